"""Level check v2 (maturity/frameworks/customer-engagement-v2.yaml, docs/level-check-v2.md): the
same nine dimensions as v1, duplicates merged, department practice rather than company facts,
talent answered with counts, one style and one term per concept, B2C-subscription wording
free of B2B words, and usage-based wording that speaks of usage."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
V1 = ROOT / "maturity" / "frameworks" / "customer-engagement.yaml"
V2 = ROOT / "maturity" / "frameworks" / "customer-engagement-v2.yaml"
B2C = "b2c-subscription"
USAGE = "usage-based"
# Answered once for the whole organisation (scope: organisation).
ORGANISATION_QUESTIONS = {"incentives-pay-scheme", "leadership-executive-message"}

# Merged into another question (tools-handoff → organisation-handoff, organisation-segment-coverage
# → customer-success-coverage-model) or re-asked as department practice under a new code.
GONE = {
    "tools-handoff",
    "organisation-segment-coverage",
    "incentives-renewal-reward",
    "leadership-management-message",
}
# One name per concept (DOMAIN.md): the variants the issue found, which v2 must not use.
# (the same list as tests/training/test_content_terms.py holds for the modules).
BANNED_JA = [
    "健全度",
    "ヘルスシグナル",
    "見込み客",
    "平均購買額",
    "勉強会モジュール",
    "顧客解約率",
    "チャーン率",
    "離脱率",
]
BANNED_EN = ["hearing", "book of accounts", "health signal", "attrition", " yen"]
# Words that only make sense when the customer is a company: none may reach a B2C respondent.
B2B_JA = [
    "決裁者",
    "稟議",
    "商談",
    "法人",
    "取引先",
    "社名",
    "株式会社",
    "案件",
    "予算策定",
    "決算期",
    "業種",
    "大口",
    "一社",
    "1社",
]
B2B_EN = [
    r"decision makers?",
    r"internal approval",
    r"deals?",
    r"business customers?",
    r"fiscal",
    r"budgeting",
    r"big accounts?",
    r"company names?",
    r"industry",
    r"account owners?",
    r"accounts they",
    r"account plans?",
]
# A count, a share or a band: a digit, or one of the words the talent choices use for them.
COUNT_JA = re.compile(r"[0-9０-９]|半数|半分|すべて|全員")
COUNT_EN = re.compile(r"[0-9]|\b(none|once|twice|half|most|all|quarter)\b", re.IGNORECASE)


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def v2():
    return load(V2)


@pytest.fixture(scope="module")
def v1():
    return load(V1)


def questions(data):
    return [q for dimension in data["dimensions"] for q in dimension["questions"]]


def by_code(data):
    return {q["code"]: q for q in questions(data)}


def texts(value, path="$"):
    """Every {ja, en} mapping in ``value``, with where it is."""
    if isinstance(value, dict):
        if value and set(value) <= {"ja", "en"}:
            yield path, value
        else:
            for key, item in value.items():
                yield from texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}[{index}]")


def b2c_wording(question):
    """What a B2C-subscription respondent reads: the variant's text where it gives one."""
    variant = question.get("variants", {}).get(B2C, {})
    fields = {
        "text": variant.get("text", question["text"]),
        "acquisition_pole": variant.get("acquisition_pole", question.get("acquisition_pole")),
        "engagement_pole": variant.get("engagement_pole", question.get("engagement_pole")),
        "help": variant.get("help_text", question.get("help")),
    }
    labels = variant.get("choices") or question["choices"]
    fields.update({f"choices[{i}]": choice["label"] for i, choice in enumerate(labels)})
    return {field: text for field, text in fields.items() if text}


def b2b_words(text):
    found = [word for word in B2B_JA if word in text.get("ja", "")]
    found += [w for w in B2B_EN if re.search(rf"\b{w}\b", text.get("en", ""), re.IGNORECASE)]
    return found


def test_it_is_version_2_of_the_same_framework(v2):
    assert v2["format"] == "levelcheck-framework/2"
    assert v2["slug"] == "customer-engagement"
    assert v2["version"] == "2.0.0"
    assert v2["status"] == "published"
    assert v2["presentation"]["show_step_numbers"] is False


def test_it_keeps_v1s_nine_dimension_codes_in_order(v1, v2):
    codes = [dimension["code"] for dimension in v2["dimensions"]]
    assert codes == [dimension["code"] for dimension in v1["dimensions"]]
    assert len(codes) == 9


def test_the_instruction_says_practice_not_policy_and_the_lower_when_unsure(v2):
    instruction = v2["presentation"]["instruction"]
    assert "実際に行っていること" in instruction["ja"] and "方針" in instruction["ja"]
    assert "低いほう" in instruction["ja"]
    assert "actually does" in instruction["en"] and "policy" in instruction["en"]
    assert "lower" in instruction["en"]


def test_the_merged_and_renamed_codes_are_gone(v2):
    codes = set(by_code(v2))
    assert not codes & GONE
    # … and the questions they were merged into remain, once.
    assert {"organisation-handoff", "customer-success-coverage-model"} <= codes
    assert len(questions(v2)) == len(codes) == 58


def test_unchanged_questions_keep_their_v1_codes(v1, v2):
    assert set(by_code(v1)) - set(by_code(v2)) == GONE
    new = set(by_code(v2)) - set(by_code(v1))
    assert new == {
        "incentives-renewal-in-reviews",
        "leadership-department-message",
        *ORGANISATION_QUESTIONS,
    }


def test_the_merged_coverage_question_reaches_the_departments_of_both(v1, v2):
    old = by_code(v1)
    merged = set(by_code(v2)["customer-success-coverage-model"]["functions"])
    assert set(old["customer-success-coverage-model"]["functions"]) <= merged
    assert set(old["organisation-segment-coverage"]["functions"]) <= merged


def test_company_schemes_are_asked_as_the_departments_practice(v2):
    questions_ = by_code(v2)
    pay = questions_["incentives-renewal-in-reviews"]
    assert "あなたの部門のマネージャー" in pay["text"]["ja"]
    assert "manager" in pay["text"]["en"]
    assert "報酬制度そのものではなく" in pay["help"]["ja"]
    message = questions_["leadership-department-message"]
    assert "あなたの部門のマネージャー" in message["text"]["ja"]
    assert "経営メッセージではなく" in message["help"]["ja"]


def test_company_facts_are_asked_once_of_the_organisation(v2):
    """The pay scheme and the executives' message are facts of the company: answered once
    by its admin for every department (maturity.scopes), worded about the company."""
    scoped = {q["code"] for q in questions(v2) if q.get("scope") == "organisation"}
    assert scoped == ORGANISATION_QUESTIONS
    for code in scoped:
        question = by_code(v2)[code]
        assert "全社" in question["text"]["ja"] and "company" in question["text"]["en"]
        assert "あなたの部門" not in question["text"]["ja"]
        assert "組織管理者が全社で一度だけ回答" in question["help"]["ja"]
        assert "answers it once" in question["help"]["en"]
        assert "functions" not in question  # counted for every department


@pytest.mark.parametrize("language, ending", [("ja", "か。"), ("en", "?")])
def test_every_question_is_a_question_in_one_style(v2, language, ending):
    wrong = []
    for question in questions(v2):
        worded = [question["text"]] + [
            variant["text"]
            for variant in question.get("variants", {}).values()
            if "text" in variant
        ]
        wrong += [
            (question["code"], t[language]) for t in worded if not t[language].endswith(ending)
        ]
    assert wrong == []


def test_every_question_speaks_of_your_department(v2):
    missing = []
    for question in questions(v2):
        if question.get("scope") == "organisation":
            continue  # about the whole company (test_company_facts_are_asked_once_…)
        worded = [question["text"]] + [
            variant["text"]
            for variant in question.get("variants", {}).values()
            if "text" in variant
        ]
        for text in worded:
            if "あなたの部門" not in text["ja"] or "your department" not in text["en"].lower():
                missing.append(question["code"])
    assert missing == []


def test_no_banned_term_variant_appears_anywhere(v2):
    found = []
    for path, text in texts(v2):
        found += [(path, w) for w in BANNED_JA if w in text.get("ja", "")]
        found += [(path, w) for w in BANNED_EN if w in text.get("en", "").lower()]
    assert found == []


def test_talent_questions_are_answered_with_counts_or_bands(v2):
    talent = next(d for d in v2["dimensions"] if d["code"] == "talent")
    assert len(talent["questions"]) == 7
    for question in talent["questions"]:
        labels = [choice["label"] for choice in question["choices"]]
        assert all(COUNT_JA.search(label["ja"]) for label in labels), question["code"]
        assert all(COUNT_EN.search(label["en"]) for label in labels), question["code"]
        # v1's vague quantifiers are gone.
        assert not any(w in label["ja"] for label in labels for w in ("一部の", "多くの")), (
            question["code"]
        )


def test_kpi_ltv_primary_top_choice_has_one_criterion(v2, v1):
    top = by_code(v2)["kpi-ltv-primary"]["choices"][-1]["label"]
    assert top != by_code(v1)["kpi-ltv-primary"]["choices"][-1]["label"]
    # v1 added "reviewed weekly by everyone" to what the target is.
    assert "週次" not in top["ja"] and "全員" not in top["ja"]
    assert "weekly" not in top["en"]


def test_top_performer_choices_rise_from_new_orders_to_ltv(v2):
    labels = [c["label"]["ja"] for c in by_code(v2)["incentives-top-performer"]["choices"]]
    assert [c["value"] for c in by_code(v2)["incentives-top-performer"]["choices"]] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert "新規受注" in labels[0] and "LTV" not in labels[0]
    assert "継続・リピート・紹介" in labels[3]
    assert "LTVの伸び" in labels[4]


def test_process_goal_choice_3_is_on_the_scale_between_orders_and_churn(v2):
    labels = [c["label"]["ja"] for c in by_code(v2)["operations-process-goal"]["choices"]]
    assert "別々の部門" not in labels[2]  # v1's choice 3 spoke of who, not of the goal
    assert "受注" in labels[2] and "解約率" in labels[2]


def test_no_b2b_word_appears_in_a_b2c_variant(v2):
    found = []
    for question in questions(v2):
        variant = question.get("variants", {}).get(B2C)
        if variant:
            found += [(question["code"], p, w) for p, t in texts(variant) for w in b2b_words(t)]
    assert found == []


def test_a_b2c_respondent_reads_no_b2b_word_in_any_question_that_applies(v2):
    found = []
    for question in questions(v2):
        models = question.get("business_models")
        if models and B2C not in models:
            continue
        for field, text in b2c_wording(question).items():
            found += [(question["code"], field, w) for w in b2b_words(text)]
    assert found == []


def test_the_b2b_words_are_really_in_the_b2b_wording(v2):
    """The check above could pass on a word list that matches nothing: it matches here."""
    questions_ = by_code(v2)
    assert b2b_words(questions_["customer-success-renewal-review"]["choices"][3]["label"])
    assert b2b_words(questions_["kpi-deal-quality"]["text"])
    assert b2b_words(questions_["operations-renewal-calendar"]["text"])


def test_budget_calendar_question_does_not_apply_to_b2c(v2):
    models = by_code(v2)["operations-renewal-calendar"]["business_models"]
    assert B2C not in models and "b2b-saas" in models


def test_variant_choices_match_the_questions_choice_count(v2):
    for question in questions(v2):
        for model, variant in question.get("variants", {}).items():
            if "choices" in variant:
                assert len(variant["choices"]) == len(question["choices"]), (
                    question["code"],
                    model,
                )


@pytest.mark.django_db
def test_the_file_imports_with_its_presentation_limits_and_variants():
    if not (ROOT / "maturity" / "business_models.py").exists():
        pytest.skip("the business-model parser (maturity/business_models.py) is not in yet")
    from maturity.business_models import worded
    from maturity.services import import_framework_file

    summary = import_framework_file(content=V2.read_bytes(), source=str(V2))
    framework = summary["framework"]
    assert (framework.slug, framework.version_label) == ("customer-engagement", "2.0.0")
    assert framework.show_step_numbers is False
    assert framework.instruction_ja.startswith("会社の方針や制度として")
    assert sorted(framework.dimensions.values_list("code", flat=True)) == sorted(
        d["code"] for d in load(V1)["dimensions"]
    )
    question = framework.dimensions.get(code="customer-success").questions.get(
        code="customer-success-renewal-review"
    )
    b2c = worded(question, B2C, "ja")
    b2b = worded(question, "b2b-saas", "ja")
    assert "会員" in b2c.text and "決裁者" not in " ".join(b2c.choice_labels)
    assert "決裁者" in b2b.choice_labels[3]
    calendar = framework.dimensions.get(code="operations").questions.get(
        code="operations-renewal-calendar"
    )
    assert calendar.business_models == ["b2b-saas", "rental-lease", "usage-based"]
    health = framework.dimensions.get(code="customer-success").questions.get(
        code="customer-success-health-monitoring"
    )
    usage = worded(health, USAGE, "en")
    assert (
        usage.text
        == "How does your department keep track of customers' usage trend and health score?"
    )
    assert "consumption against the commitment" in usage.engagement_pole
    assert worded(health, "b2b-saas", "en").text == (
        "How does your department keep track of customers' usage and health score?"
    )
    scopes = dict(framework.questions.values_list("code", "scope"))
    assert {code for code, scope in scopes.items() if scope == "organisation"} == (
        ORGANISATION_QUESTIONS
    )
    assert scopes["incentives-renewal-in-reviews"] == "department"


def wording_for(question, model):
    """What a respondent of ``model`` reads: the variant's text where it gives one."""
    variant = question.get("variants", {}).get(model, {})
    fields = {
        "text": variant.get("text", question["text"]),
        "acquisition_pole": variant.get("acquisition_pole", question.get("acquisition_pole")),
        "engagement_pole": variant.get("engagement_pole", question.get("engagement_pole")),
        "help": variant.get("help_text", question.get("help")),
    }
    labels = variant.get("choices") or question["choices"]
    fields.update({f"choices[{i}]": choice["label"] for i, choice in enumerate(labels)})
    return {field: text for field, text in fields.items() if text}


@pytest.mark.parametrize("model", ["consumables", "rental-lease"])
def test_goods_businesses_read_no_software_words(v2, model):
    """A printer-and-ink or a rental customer has no logins and no account that gets issued."""
    found = []
    for question in questions(v2):
        models = question.get("business_models")
        if models and model not in models:
            continue
        for field, text in wording_for(question, model).items():
            found += [
                (question["code"], field) for w in ("ログイン", "アカウント") if w in text["ja"]
            ]
            found += [
                (question["code"], field)
                for w in ("login", "account is", "account was")
                if w in text["en"].lower()
            ]
    assert found == []
    # … whereas the software wording does say it, so the check can fail.
    base = wording_for(by_code(v2)["customer-success-onboarding-plan"], "b2b-saas")
    assert "アカウント" in base["acquisition_pole"]["ja"]


# ------------------------------------------------------------------ usage-based

# The questions where a metered business differs most: churn shows as falling usage, health is
# the usage trend, expansion is usage growth; each must say so in both languages.
USAGE_WORDS = {
    "kpi-churn-tracking": ("利用量", "usage"),
    "customer-success-health-monitoring": ("利用量の推移", "usage trend"),
    "customer-success-nps-upsell": ("利用拡大", "usage growth"),
    "incentives-upsell-referral": ("利用拡大", "usage growth"),
    "data-churn-analysis": ("利用量が大きく減った", "usage falls sharply"),
    "leadership-churn-response": ("利用量が大きく減った", "usage falls sharply"),
    "operations-renewal-calendar": ("コミット契約", "committed-use contracts"),
}


@pytest.mark.parametrize("code", sorted(USAGE_WORDS))
def test_a_usage_based_respondent_reads_about_usage(v2, code):
    ja, en = USAGE_WORDS[code]
    question = by_code(v2)[code]
    usage = wording_for(question, USAGE)["text"]
    assert ja in usage["ja"] and en in usage["en"].lower()
    # … which the question's own wording does not say: the variant is what says it.
    own = wording_for(question, "b2b-saas")["text"]
    assert ja not in own["ja"] and en not in own["en"].lower()


def test_usage_based_health_and_churn_signals_include_the_bill(v2):
    """A metered customer is at risk when the bill jumps, not only when usage falls."""
    questions_ = by_code(v2)
    health = wording_for(questions_["customer-success-health-monitoring"], USAGE)
    assert "請求額の急な変化" in health["engagement_pole"]["ja"]
    assert "sudden changes in the bill" in health["engagement_pole"]["en"]
    signal = wording_for(questions_["operations-churn-signal-response"], USAGE)
    assert "請求額の急な増加" in signal["text"]["ja"]
    assert "a sudden jump in the bill" in signal["text"]["en"]
    assert "利用が落ちきる" in signal["choices[0]"]["ja"]


def test_usage_based_metrics_are_nrr_and_consumption_not_mrr(v2):
    questions_ = by_code(v2)
    metrics = wording_for(questions_["data-saas-metrics"], USAGE)["text"]
    assert "NRR" in metrics["ja"] and "MRR" not in metrics["ja"]
    assert "net revenue retention" in metrics["en"] and "MRR" not in metrics["en"]
    cs = wording_for(questions_["customer-success-metrics"], USAGE)["text"]
    assert "コミット額に対する消化率" in cs["ja"]
    assert "consumption against commitment" in cs["en"]


def test_a_usage_based_renewal_review_does_not_assume_a_renewal(v2):
    review = wording_for(by_code(v2)["customer-success-renewal-review"], USAGE)
    assert "更新のない従量契約" in review["help"]["ja"]
    assert "has no renewal" in review["help"]["en"]
    assert review["choices[0]"] == {
        "ja": "利用明細と請求の連絡のみ",
        "en": "Only usage statements and billing details",
    }


def test_the_renewal_calendar_applies_to_usage_based_and_is_worded_for_commitments(v2):
    question = by_code(v2)["operations-renewal-calendar"]
    assert USAGE in question["business_models"]
    assert "text" in question["variants"][USAGE]


def test_every_variant_gives_both_languages(v2):
    missing = []
    for question in questions(v2):
        for model, variant in question.get("variants", {}).items():
            missing += [
                (question["code"], model, path)
                for path, text in texts(variant)
                if not (text.get("ja") and text.get("en"))
            ]
    assert missing == []


def test_usage_based_variants_relabel_every_choice(v2):
    relabelled = [
        (question["code"], len(question["variants"][USAGE]["choices"]))
        for question in questions(v2)
        if "choices" in question.get("variants", {}).get(USAGE, {})
    ]
    assert relabelled and all(count == 5 for _, count in relabelled)
    assert len(relabelled) == 7


def test_the_usage_based_variants_are_the_ones_the_document_lists(v2):
    """docs/level-check-v2.md names every question that carries a usage-based variant."""
    doc = (ROOT / "docs" / "level-check-v2.md").read_text(encoding="utf-8")
    paragraph = doc.split("**Usage-based**", 1)[1].split("Every other question", 1)[0]
    listed = paragraph.split("questions carry a `usage-based` variant:", 1)[1].split("\n- ")[0]
    documented = set(re.findall(r"`([a-z0-9-]+)`", listed))
    in_file = {q["code"] for q in questions(v2) if USAGE in q.get("variants", {})}
    assert documented == in_file
    assert len(in_file) == 25
