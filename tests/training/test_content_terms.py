"""One name per concept across the shipped training content and the calculators' texts.

Every module file in training/content (both languages) and every text the calculators
page shows (rendered in Japanese and in English) is checked against the glossary of
/work/shared/DOMAIN.md: no banned variant of a term appears, the case-study company is
anonymised, the customer lifetime is defined as 1 ÷ churn rate wherever it is defined
from the churn rate, and each ja/en module pair has the same number of sections.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from training.calculators.views import SECTIONS
from training.module_files import load_module_pair, module_slugs

CONTENT = Path(__file__).resolve().parents[2] / "training" / "content"
SLUGS = sorted(module_slugs(CONTENT))
FILES = sorted(CONTENT.glob("*.md"))


class _AnyCode(frozenset):
    def __contains__(self, code) -> bool:
        return True


# Banned variant → the glossary term to use instead (the reason is the failure message).
BANNED = {
    "ja": {
        "健全度": "ヘルススコア",
        "ヘルスシグナル": "ヘルススコア (a single clue is a シグナル or 兆し)",
        "平均購買額": "平均購買単価",
        "見込み客": "見込み顧客",
        "勉強会モジュール": "学習モジュール (勉強会 is the session)",
        "顧客解約率": "解約率（顧客数）",
        "顧客数の解約率": "解約率（顧客数）",
        "顧客数で見た解約率": "解約率（顧客数）",
        "顧客数ベースの": "解約率（顧客数）",
        "売上の解約率": "売上解約率",
        "金額ベースの解約率": "売上解約率",
        "金額ベースと": "売上解約率",
        "売上で見た解約率": "売上解約率",
        "チャーン率": "解約率（チャーンレート）",
        "離脱率": "解約率",
        "平均顧客継続期間": "平均継続期間",
        "逆数": "1 ÷ …, written out",
    },
    "en": {
        "hearing": "interview / interviewing customers",
        "book of accounts": "the customers someone looks after",
        "health signal": "health score (a single clue is a signal or sign)",
        "attrition": "churn",
        "inverse of": "1 ÷ …, written out",
        # Money is written with the yen sign: ¥3,000,000, not 3,000,000 yen.
        " yen": "¥ before the amount",
        "JPY": "¥ before the amount",
    },
}
ANONYMISED = "EXIDEA"

# A definition of the lifetime from the churn rate: the lifetime term, a defining link
# (=, ≒, "is", "as", "は", an opening bracket or quote, "replaced by", 「…」を), then
# within the same clause a churn term. The link must contain "1 ÷": "lifetime = 1 ÷ churn" passes,
# "lifetime is the inverse of churn" and "lifetime replaced by the churn rate" fail.
LIFETIME_FROM_CHURN = re.compile(
    r"(?:継続期間|lifetime)"
    r"(?P<link>\s*(?:=|＝|≒|≈|は|is\b|as\b|（|\(|「|\"|」を|replaced by)[^。.\n|]{0,25}?)"
    r"(?:解約率|churn)",
    re.IGNORECASE,
)


def module_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def language_of(path: Path) -> str:
    return path.name.split(".")[-2]


def calculator_texts(language: str) -> str:
    """Every text a calculator carries (titles, explanations, formulas, labels, help)."""
    parts = []
    with translation.override(language):
        for section in SECTIONS:
            parts += [str(section.title), str(section.intro)]
            for form in section.calculators:
                parts += [str(form.title), str(form.explanation), str(form.formula)]
                parts.append(str(form.result_label))
                parts += [str(extra.label) for extra in getattr(form, "extras", ())]
                for field in form.base_fields.values():
                    parts += [str(field.label), str(field.help_text or "")]
    return "\n".join(parts)


def calculators_page(client, language: str) -> str:
    """The calculators page's main content as shown, rules of thumb included."""
    response = client.get(reverse("training:calculators"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def banned_in(text: str, language: str) -> list[str]:
    haystack = text if language == "ja" else text.lower()
    return [
        f"{word!r} (use {use})"
        for word, use in BANNED[language].items()
        if (word if language == "ja" else word.lower()) in haystack
    ]


def lifetime_problems(text: str) -> list[str]:
    return [
        match.group(0)
        for match in LIFETIME_FROM_CHURN.finditer(text)
        if "1 ÷" not in match.group("link")
    ]


def test_the_shipped_modules_are_all_here():
    assert len(SLUGS) == 14
    assert len(FILES) == 28


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_module_file_uses_the_glossary_terms(path):
    assert banned_in(module_text(path), language_of(path)) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_module_file_anonymises_the_case_study_company(path):
    text = module_text(path)
    assert ANONYMISED.lower() not in text.lower()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_module_file_defines_the_lifetime_as_one_over_churn(path):
    assert lifetime_problems(module_text(path)) == []


def test_the_case_study_company_is_named_the_same_way_everywhere():
    """The modules that tell the case study call the company the same thing."""
    ja = [p.name for p in FILES if "SEOライティングツール" in module_text(p)]
    en = [p.name for p in FILES if "SEO writing tool" in module_text(p)]
    assert len(ja) == len(en) >= 2
    for name in ja:
        assert "あるWebマーケティング企業" in module_text(CONTENT / name)
    for name in en:
        assert "web marketing company" in module_text(CONTENT / name).lower()


def test_the_lifetime_is_defined_in_the_modules_that_explain_ltv():
    """The check above has something to check: the definitions are there, written 1 ÷."""
    for slug in ("ltv-and-subscription", "kpi-and-incentive-redesign", "retention-and-churn"):
        assert "1 ÷ 解約率" in module_text(CONTENT / f"{slug}.ja.md").replace("年間", "").replace(
            "月次", ""
        )
        assert re.search(
            r"lifetime[^.\n]{0,30}1 ÷ (annual |monthly )?churn",
            module_text(CONTENT / f"{slug}.en.md"),
        )


@pytest.mark.parametrize(
    "text",
    [
        "平均継続期間は月次解約率の逆数です",
        "「継続期間」を解約率に置き換えた形",
        "the average lifetime is the churn rate",
        '"lifetime" replaced by the churn rate',
        "lifetime (churn)",
    ],
)
def test_the_lifetime_check_catches_a_wrong_definition(text):
    assert lifetime_problems(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "平均継続期間は1 ÷ 月次解約率（顧客数）",
        "平均継続期間 ≒ 1 ÷ 年間解約率",
        "Average lifetime (1 ÷ churn)",
        'Estimating average customer lifetime as "1 ÷ monthly churn rate"',
        "| Lifetime | Onboarding, acting on early signs of churn |",
        "継続期間を掛けるだけで解約率で割っていない",
    ],
)
def test_the_lifetime_check_passes_a_right_definition(text):
    assert lifetime_problems(text) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_a_module_pair_has_as_many_sections_in_each_language(slug):
    pair = load_module_pair(CONTENT, slug, dimension_codes=_AnyCode())
    ja, en = pair["ja"].sections, pair["en"].sections
    assert len(ja) == len(en) >= 2


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_calculators_use_the_glossary_terms(language):
    text = calculator_texts(language)
    assert banned_in(text, language) == []
    assert ANONYMISED.lower() not in text.lower()
    assert lifetime_problems(text) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_calculators_page_uses_the_glossary_terms(client, language):
    text = calculators_page(client, language)
    assert banned_in(text, language) == []
    assert ANONYMISED.lower() not in text.lower()
    assert lifetime_problems(text) == []


@pytest.mark.parametrize(
    ("language", "definition"),
    [("ja", "平均継続期間（1 ÷ 解約率）"), ("en", "average customer lifetime, 1 ÷ churn rate")],
)
def test_the_ltv_from_churn_calculator_states_the_lifetime(language, definition):
    assert definition in calculator_texts(language)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("ja", ["解約率（顧客数）", "売上解約率"]),
        ("en", ["Customer churn rate", "Revenue churn rate"]),
    ],
)
def test_customer_churn_and_revenue_churn_each_have_one_name(language, names):
    text = calculator_texts(language)
    for name in names:
        assert name in text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_unit_economics_help_leaves_the_1_5_rule_to_its_own_place(language):
    """The 1:5 rule compares acquisition with retention cost; it is not unit economics."""
    section = next(s for s in SECTIONS if s.slug == "unit-economics")
    with translation.override(language):
        texts = [str(section.intro)]
        for form in section.calculators:
            texts += [str(form.explanation)] + [str(f.help_text) for f in form.base_fields.values()]
    joined = "\n".join(texts)
    for mark in ("1:5", "5倍", "five times"):
        assert mark not in joined


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "caveat"),
    [("ja", "5ポイントの上昇なのか"), ("en", "whether 5 percent means 5 points")],
)
def test_the_5_25_rule_says_its_source_is_ambiguous_on_the_calculators_page(
    client, language, caveat
):
    assert caveat in calculators_page(client, language)


@pytest.mark.parametrize(
    ("path", "caveat"),
    [
        ("retention-and-churn.ja.md", "5ポイントの上昇なのか"),
        ("retention-and-churn.en.md", "whether this 5% means 5 points"),
        ("customer-marketing-and-nps.ja.md", "5ポイントの上昇なのか"),
        ("customer-marketing-and-nps.en.md", "whether this 5% means 5 points"),
    ],
)
def test_the_modules_stating_the_5_25_rule_say_the_source_is_ambiguous(path, caveat):
    assert caveat in module_text(CONTENT / path)


# Issue 16, item 6: each concept of the sources the modules were missing now has its own
# section, in both languages (module, ja heading, en heading).
SOURCE_CONCEPTS = [
    (
        "customer-engagement-and-loyalty",
        "満足度・ロイヤルティ・エンゲージメント",
        "Satisfaction, loyalty and engagement",
    ),
    (
        "customer-engagement-and-loyalty",
        "ファネルを閉じるループ：推奨者",
        "The loop that closes the funnel: advocates",
    ),
    ("customer-agreements-and-voc", "フェーズごとに顧客と結ぶ合意", "Agreements per phase"),
    ("customer-agreements-and-voc", "顧客の声の仕組み", "A voice-of-customer programme"),
    ("business-phase-and-growth", "自社の事業フェーズ", "Our business phase"),
    ("business-phase-and-growth", "次の課題を決める", "Deciding the next challenges"),
    (
        "business-phase-and-growth",
        "施策が指標を動かしたと示す",
        "Showing that an initiative moved the metrics",
    ),
]


@pytest.mark.parametrize(("slug", "ja_title", "en_title"), SOURCE_CONCEPTS)
def test_a_source_concept_has_its_own_section_in_both_languages(slug, ja_title, en_title):
    pair = load_module_pair(CONTENT, slug, dimension_codes=_AnyCode())
    ja = dict(pair["ja"].sections)
    en = dict(pair["en"].sections)
    assert ja_title in ja and en_title in en
    # The same place in both files, and more than a heading.
    assert list(ja).index(ja_title) == list(en).index(en_title)
    assert len(ja[ja_title]) > 200 and len(en[en_title]) > 400


TEMPLATES = sorted((CONTENT.parents[1] / "templates" / "training").glob("*.html"))
TRANSLATE_TAG = re.compile(r'{%\s*translate\s+"([^"]+)"')


def template_strings(path: Path) -> list[str]:
    return TRANSLATE_TAG.findall(path.read_text(encoding="utf-8"))


def test_the_training_templates_have_strings_to_check():
    assert len(TEMPLATES) >= 9
    assert sum(len(template_strings(path)) for path in TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_a_training_template_uses_the_glossary_terms_in_both_languages(path):
    english = "\n".join(template_strings(path))
    with translation.override("ja"):
        japanese = "\n".join(translation.gettext(text) for text in template_strings(path))
    assert banned_in(english, "en") == []
    assert banned_in(japanese, "ja") == []
    assert lifetime_problems(english) == [] and lifetime_problems(japanese) == []
