"""The Japanese font every chart and report draws with, registered with reportlab once.

IPAex Gothic (Debian's ``fonts-ipaexfont-gothic``) is embedded as a TrueType subset, so a PDF
looks the same on every reader. Without it we fall back to reportlab's built-in CID font
HeiseiKakuGo-W5, which needs no file but is not embedded: readers substitute a local Japanese
font. Code never has to care which one is in use; ``FONT_SOURCE`` says, for tests and logs.

The text helpers below measure in that font: ``wrap`` breaks a Japanese label into a few
balanced lines at word-like boundaries, ``truncate`` ends a label with "…".

IPAex has no bold face. ``FONT_BOLD`` is the same file under a second name, so that the PDF
builder's ``<b>`` works (``reports.flowables.bold`` outlines it).
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from results.charts.kinsoku import NO_LINE_END, NO_LINE_START, may_break

TTF_NAME = "IPAexGothic"
TTF_BOLD_NAME = "IPAexGothic-Bold"
TTF_PATHS = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
)
CID_NAME = "HeiseiKakuGo-W5"


def ttf_path() -> Path | None:
    """The IPAex Gothic file if it is installed."""
    return next((p for p in TTF_PATHS if p.is_file()), None)


@cache
def register_fonts() -> tuple[str, str, str]:
    """Register the Japanese font (idempotent) and return ``(regular, bold, source)``.

    ``source`` is ``"ttf"`` for IPAex Gothic or ``"cid"`` for the built-in fallback.
    """
    path = ttf_path()
    if path is not None:
        regular, bold, source = TTF_NAME, TTF_BOLD_NAME, "ttf"
        if regular not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(regular, str(path)))
            pdfmetrics.registerFont(TTFont(bold, str(path)))
    else:
        regular = bold = CID_NAME
        source = "cid"
        if regular not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(regular))
    # Platypus maps <b>/<i> through the family; without it a Paragraph with <b> raises.
    # Regular last: addMapping also sets the reverse lookup, and that must say "not bold".
    addMapping(regular, 1, 1, bold)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, regular)
    addMapping(regular, 0, 0, regular)
    # Drawings start from reportlab's default graphics state, whose font is Helvetica: set
    # ours so that no unused, un-embedded Helvetica ends up in a PDF.
    STATE_DEFAULTS["fontName"] = regular
    return regular, bold, source


FONT, FONT_BOLD, FONT_SOURCE = register_fonts()


ELLIPSIS = "\u2026"


@lru_cache(maxsize=65536)  # labels are measured again and again while they are fitted
def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def truncate(text: str, size: float, max_width: float) -> str:
    """``text`` if it fits in ``max_width``, else as much of it as fits followed by "…"."""
    if text_width(text, size) <= max_width:
        return text
    while text and text_width(text + ELLIPSIS, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, size: float, max_width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines no wider than ``max_width``.

    Japanese has no spaces, so lines break between runs of one script (a katakana word, a
    kanji compound, a Latin word) with trailing particles and punctuation kept on the line:
    評価・インセンティブ制度 becomes 評価・ / インセンティブ制度, never 評価・インセン / ティブ制度.
    A break inside a run is allowed only when nothing else fits (before a particle rather than
    inside a compound, inside a compound rather than inside a word), and never where the
    kinsoku table (``results.charts.kinsoku``) forbids: before "ー", small kana or closing
    punctuation, after an opening bracket. Among equally good splits the one with the fewest, then
    the most balanced, lines wins. A Latin word cut in two gets a hyphen. Text that still does
    not fit ends in "…".
    """
    text = " ".join(text.split())
    if not text or text_width(text, size) <= max_width:
        return [text] if text else []
    best = _best_split(text, size, max_width, max_lines)
    if best is not None:
        return best
    lines: list[str] = []
    rest = text
    while rest and len(lines) < max_lines - 1:
        runs = _run_starts(rest)
        fitting = [
            i
            for i in range(1, len(rest))
            if may_break(rest[i - 1], rest[i]) and text_width(_line(rest, 0, i), size) <= max_width
        ] or [1]
        cut = min(fitting, key=lambda i: (_break_cost(rest, i, runs), -i))
        lines.append(_line(rest, 0, cut))
        rest = rest[cut:].lstrip()
    if rest:
        lines.append(truncate(rest, size, max_width))
    return lines


def _line(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as a line, with a hyphen when it ends inside a Latin word."""
    line = text[start:end].strip()
    if 0 < end < len(text) and _is_letter(text[end - 1]) and _is_letter(text[end]):
        line += "-"
    return line


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


@cache  # one answer a character; called for every character of every label wrapped
def _script(char: str) -> str:
    if char.isspace():
        return "space"
    if char in NO_LINE_END:
        return "open"
    if char in NO_LINE_START or unicodedata.category(char).startswith("P"):
        return "trail"
    name = unicodedata.name(char, "")
    if name.startswith("HIRAGANA"):
        return "hiragana"
    if name.startswith("KATAKANA"):
        return "katakana"
    if name.startswith("CJK"):
        return "kanji"
    return "latin"


def _run_starts(text: str) -> set[int]:
    """Where a new run begins; hiragana, punctuation and spaces stay with the run before."""
    starts = set()
    previous = None
    for index, char in enumerate(text):
        kind = _script(char)
        new_run = previous == "space" or kind not in (previous, "hiragana")
        if index and previous != "open" and kind not in ("trail", "space") and new_run:
            starts.add(index)
        if kind != "trail":
            previous = kind
    return starts


def _break_cost(text: str, index: int, runs: set[int]) -> int:
    """0 between runs; before a particle is fine, inside a kanji compound worse, a word worst."""
    if index in runs:
        return 0
    return {"hiragana": 1, "kanji": 2}.get(_script(text[index]), 3)


def _best_split(text: str, size: float, max_width: float, max_lines: int) -> list[str] | None:
    if len(text) > 40:  # a sentence, not a label: the greedy fallback will do
        return None
    runs = _run_starts(text)
    allowed = [i for i in range(1, len(text)) if may_break(text[i - 1], text[i])]
    best, best_key = None, None
    for count in range(2, max_lines + 1):
        for cuts in itertools.combinations(allowed, count - 1):
            bounds = (0, *cuts, len(text))
            lines = [_line(text, a, b) for a, b in itertools.pairwise(bounds)]
            widest = max(text_width(line, size) for line in lines)
            if widest > max_width or not all(lines):
                continue
            key = (sum(_break_cost(text, cut, runs) for cut in cuts), count, widest)
            if best_key is None or key < best_key:
                best, best_key = lines, key
    return best


def wrap_words(
    text: str, size: float, max_width: float, max_lines: int, *, cut_words: bool = False
) -> list[str] | None:
    """``text`` in at most ``max_lines`` lines no wider than ``max_width``, broken only between
    words, or None when it does not fit so (the caller then shrinks the font or turns the text).

    Words are what a reader sees as one: a Latin word is never cut and never gets a hyphen (a
    line may end after a hyphen already there, "Requirements-" / "driven"); in Japanese a line
    breaks between runs of one script (評価・ / インセンティブ制度), after a prolonged sound mark
    that ends a katakana word (カスタマー / サクセス), always by the kinsoku table. With
    ``cut_words`` a kanji compound or a katakana word may also be cut (kinsoku-correct, no
    hyphen), the compound first. Among fitting splits the one with the cheapest breaks, then the
    fewest lines, then the narrowest wins.
    """
    text = " ".join(text.split())
    if not text:
        return []
    if text_width(text, size) <= max_width:
        return [text]
    costs = _word_breaks(text, cut_words=cut_words)
    ends = sorted(costs) + [len(text)]

    @cache
    def best(start: int, lines_left: int):
        results = []
        for end in ends:
            if end <= start:
                continue
            line = text[start:end].strip()
            width = text_width(line, size)
            if width > max_width:
                break  # every later end only makes this line longer
            if end == len(text):
                results.append((0, 1, width, (line,)))
            elif lines_left > 1:
                rest = best(_skip_spaces(text, end), lines_left - 1)
                if rest is not None:
                    cost, count, widest, tail = rest
                    results.append(
                        (costs[end] + cost, count + 1, max(width, widest), (line, *tail))
                    )
        return min(results, default=None)

    found = best(0, max_lines)
    return list(found[3]) if found else None


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def word_breaks(text: str, *, cut_words: bool = False) -> dict[int, int]:
    """Where a line may end in ``text`` (index of the next line's first character) → its cost:
    the rule ``wrap_words`` breaks by, for any other wrapper of short labels (the PDF's table
    headers, ``reports.flowables``) to share."""
    return _word_breaks(text, cut_words=cut_words)


def _word_breaks(text: str, *, cut_words: bool) -> dict[int, int]:
    """Where a line may end in ``text`` (index of the next line's first character) → its cost."""
    runs = _run_starts(text)
    breaks = {}
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after.isspace() or not may_break(before, after):
            continue
        if before.isspace():
            breaks[i] = 0
            continue
        latin = _script(before) == "latin" or _script(after) == "latin"
        if latin and (before.isascii() and before.isalnum() or before in "'’"):
            continue  # inside a Latin word (or right after its letters): never
        if before in "-/" and after.isascii():
            breaks[i] = 1  # after a hyphen or slash the word already has
        elif i in runs:
            breaks[i] = 0
        elif before == "ー" and _katakana_words_meet(text, i):
            breaks[i] = 1  # カスタマー|サクセス
        elif cut_words and _inside_run(text, i) >= 3:
            breaks[i] = {"hiragana": 2, "kanji": 3}.get(_script(after), 4)
    return breaks


# What follows a long vowel inside one loanword (オペレー|ション, リーダー|シップ).
_KATAKANA_SUFFIXES = ("ション", "ジョン", "シップ", "ター", "ティ", "ング", "ズム", "ト", "ド")


def _katakana_span(text: str, i: int) -> tuple[int, int]:
    start, end = i, i
    while (
        start > 0 and _script(text[start - 1]) in ("katakana", "trail") and text[start - 1] != "・"
    ):
        start -= 1
    while end < len(text) and _script(text[end]) in ("katakana", "trail") and text[end] != "・":
        end += 1
    return start, end


def _katakana_words_meet(text: str, i: int) -> bool:
    """Whether a katakana run likely joins two loanwords at ``i`` (just after a "ー"): both
    parts three characters or more and the second no loanword suffix. A guess without a
    dictionary, so it only ever competes with cuts inside a word."""
    if _script(text[i]) != "katakana":
        return False
    start, end = _katakana_span(text, i)
    rest = text[i:end]
    return i - start >= 3 and len(rest) >= 3 and not rest.startswith(_KATAKANA_SUFFIXES)


def _inside_run(text: str, i: int) -> int:
    """How many characters a cut at ``i`` leaves on the shorter side within its run of one
    script (a cut that leaves "クス" of アナリティクス is no cut worth making)."""
    kind = _script(text[i])

    def same(char: str) -> bool:
        return _script(char) == kind or (
            kind == "katakana" and char in "ーァィゥェォッャュョヮヵヶ"
        )

    start, end = i, i
    while start > 0 and same(text[start - 1]):
        start -= 1
    while end < len(text) and same(text[end]):
        end += 1
    return min(i - start, end - i)
