"""Words kept whole in the PDF's paragraphs and table headers (issue 15).

English: a line breaks at a space or after a hyphen the word already has, never inside a word,
and no hyphen is ever added ("Org-/anisation" and "Custome-/r-success" were printed before).
Short labels such as table headers break where a word ends, by the chart labels' rule
(``results.charts.fonts.word_breaks``): 「カスタマーサクセス / 実践」,
not 「カスタマーサクセス実 / 践」.
A word wider than its cell shrinks the font (to 80 % by default) before it is cut; only a word
too wide even then is cut, as a last resort. Widths: IPAex Gothic, full-width = 1 em.
"""

import re

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.document import styles
from reports.flowables import JPParagraph
from results.charts import fonts
from results.charts.kinsoku import NO_LINE_START

from .test_flowables import broken_lines, module_paragraphs, split_words

CELL = styles()["cell_bold"]  # 8.5 pt: a full-width character is 8.5 pt wide


def lines(text: str, width: float, style=CELL, **kwargs) -> list[tuple[str, float]]:
    """``(text, font size)`` of each line once wrapped to ``width``."""
    paragraph = JPParagraph(text, style, **kwargs)
    paragraph.wrap(width, 1000)
    return [
        ("".join(w.text for w in line.words), line.words[0].fontSize)
        for line in paragraph.blPara.lines
    ]


def texts(text: str, width: float, **kwargs) -> list[str]:
    return [t for t, _ in lines(text, width, **kwargs)]


def test_english_headers_wrap_whole_words_and_add_no_hyphen():
    assert texts("Organisation and roles", 60) == ["Organisation", "and roles"]
    # "Customer-" 37.9 pt fits 45, "Customer-success" does not: the line ends after the
    # word's own hyphen, never "Custome-" / "r-success".
    assert texts("Customer-success practice", 45) == ["Customer-", "success", "practice"]
    assert texts("Customer-success practice", 70) == ["Customer-", "success practice"]


def test_a_word_wider_than_its_cell_shrinks_the_font_instead_of_being_cut():
    word = stringWidth("Organisation", fonts.FONT_BOLD, 8.5)  # 50.8 pt
    assert 50 < word < 51
    ((text, size),) = lines("Organisation", 45)  # 45 / 50.8 = 0.885 of 8.5 pt, above 80 %
    assert text == "Organisation"
    assert 7.4 < size < 7.53
    assert stringWidth(text, fonts.FONT_BOLD, size) <= 45


def test_a_word_cut_only_as_a_last_resort_and_without_a_hyphen():
    # 20 pt holds not even 80 % of "Organisation" (40.7 pt at 6.8 pt): cut, at 6.8 pt.
    found = lines("Organisation", 20)
    assert "".join(t for t, _ in found) == "Organisation"
    assert len(found) > 1 and not any(t.endswith("-") for t, _ in found)
    assert [size for _, size in found] == [pytest.approx(6.8)] * len(found)
    assert all(stringWidth(t, fonts.FONT_BOLD, 6.8) <= 20 for t, _ in found)


def test_a_body_style_paragraph_never_shrinks_unless_asked():
    body = styles()["body"]  # 9.5 pt; not a label (over 40 characters)
    text = "Organisation " * 5
    assert {size for _, size in lines(text, 40, style=body)} == {9.5}
    # asked: "Organisation" is 56.8 pt at 9.5 pt; 50 pt holds it at 9.5 × 50 / 56.8 = 8.36 pt
    shrunk = 50 / stringWidth("Organisation", fonts.FONT, 9.5) * 0.999 * 9.5
    assert 8.3 < shrunk < 8.4
    found = lines(text, 50, style=body, min_font_size=7)
    assert [size for _, size in found] == [pytest.approx(shrunk)] * len(found) == [shrunk] * 5


def test_japanese_headers_break_at_word_boundaries():
    # 11 characters = 93.5 pt > 90: between the katakana compound and 実践, not 実 / 践.
    assert texts("カスタマーサクセス実践", 90) == ["カスタマーサクセス", "実践"]
    # 10 characters = 85 pt > 60: after 「・」, not 評価・インセン / ティブ.
    assert texts("評価・インセンティブ", 60) == ["評価・", "インセンティブ"]
    # 5 characters (42.5 pt) do not fit 40: after ー, between two loanwords, at 7.99 pt.
    found = lines("カスタマーサクセス実践", 40)
    assert [t for t, _ in found] == ["カスタマー", "サクセス", "実践"]
    assert [size for _, size in found] == [pytest.approx(8.5 * 40 / 42.5 * 0.999)] * 3


def test_labels_keep_kinsoku_and_numbers_with_their_units():
    assert texts("評価・インセンティブ制度（3.3倍）", 60) == [
        "評価・",
        "インセンティブ",
        "制度（3.3倍）",
    ]
    for width in (20, 30, 45, 60, 90):  # narrower than 45, even （3.3倍） at 6.8 pt must be cut
        found = texts("評価・インセンティブ制度（3.3倍）", width)
        assert "".join(found) == "評価・インセンティブ制度（3.3倍）"
        assert not any(t[:1] in NO_LINE_START for t in found[1:]), found
        assert not any(t.endswith("（") for t in found[:-1]), found
        assert width < 45 or not any(re.search(r"\d$", t) for t in found[:-1]), found


@pytest.mark.parametrize("width", [58.5, 95.3])
def test_english_module_text_is_cut_inside_a_word_only_when_the_word_is_wider(width):
    checked = 0
    for paragraph in module_paragraphs():
        source = "".join(f.text for f in paragraph.frags)
        if ":::" in source or not re.search(r"[A-Za-z]{4}", source):
            continue
        found = broken_lines(paragraph, width)
        for cut in split_words(found, source):
            a, b = cut.split(" | ")
            # the unbreakable run: up to the spaces, with punctuation that may not start a line
            word = re.search(r"\S+$", a).group() + re.match(r"\S+", b).group()
            room = width - paragraph._indents()  # a bullet's indent narrows the line
            assert stringWidth(word, paragraph.style.fontName, paragraph.style.fontSize) > room
        assert not any(t.endswith("-") and t[:-1] == t[:-1].rstrip() and f"{t}" not in source
                       for t, _ in found)  # fmt: skip
        checked += 1
    assert checked > 100
