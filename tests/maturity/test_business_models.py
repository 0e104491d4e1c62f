"""Business models in format v2: which questions apply and how they are worded
(``maturity.business_models``); ``presentation``, ``business_models`` and ``variants``
validated at their path, imported, exported canonically and served by the framework API."""

import copy

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from maturity.business_models import BusinessModel, applies, worded
from maturity.framework_file import framework_schema, validate_framework_data
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework
from maturity.models import Framework, Question

B2C = "b2c-subscription"
MODELS = "b2b-saas, b2c-subscription, consumables, rental-lease, usage-based"


def _choices():
    return [
        {"label": {"ja": "いいえ", "en": "No"}, "value": 1},
        {"label": {"ja": "一部", "en": "Partly"}, "value": 3},
        {"label": {"ja": "はい", "en": "Yes"}, "value": 5},
    ]


V2 = {
    "format": "levelcheck-framework/2",
    "slug": "bm",
    "version": "1.0.0",
    "status": "published",
    "languages": ["ja", "en"],
    "title": {"ja": "事業モデル診断", "en": "Business model check"},
    "scale": {"min": 1, "max": 5},
    "presentation": {
        "show_step_numbers": True,
        "instruction": {"ja": "いまの実際で答えてください。", "en": "Answer for today."},
    },
    "answer_sets": [
        {
            "code": "degree",
            "values": {"min": 1, "max": 5},
            "choices": [
                {"label": {"ja": "低い", "en": "Low"}, "value": 1},
                {"label": {"ja": "高い", "en": "High"}, "value": 5},
            ],
        }
    ],
    "dimensions": [
        {
            "code": "kpi",
            "title": {"ja": "KPI", "en": "KPIs"},
            "questions": [
                {
                    "code": "kpi-common",
                    "text": {"ja": "共通の質問", "en": "Common question"},
                    "choices": _choices(),
                },
                {
                    "code": "kpi-renewal",
                    "text": {"ja": "契約更新率を追っていますか？", "en": "Do you track renewals?"},
                    "help": {"ja": "更新のヒント", "en": "Renewal hint"},
                    "business_models": ["b2b-saas", B2C],
                    "variants": {
                        B2C: {
                            "text": {
                                "ja": "継続率を追っていますか？",
                                "en": "Do you track retention?",
                            },
                            "engagement_pole": {"ja": "継続を追う", "en": "Chase retention"},
                            "choices": [
                                {"label": {"ja": "追っていない", "en": "Not tracked"}},
                                {"label": {"ja": "月次で", "en": "Monthly"}},
                                {"label": {"ja": "週次で", "en": "Weekly"}},
                            ],
                        }
                    },
                    "choices": _choices(),
                },
                {
                    "code": "kpi-b2b-only",
                    "text": {
                        "ja": "稟議の承認者を把握していますか？",
                        "en": "Do you know the approvers?",
                    },
                    "business_models": ["b2b-saas"],
                    "answer_set": "degree",
                },
            ],
        }
    ],
}


def v2():
    return copy.deepcopy(V2)


def problems_of(data) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate_framework_data(data)]


Q1 = "dimensions[0].questions[1]"
Q2 = "dimensions[0].questions[2]"


# ------------------------------------------------------------------ the rule


def test_a_question_without_business_models_applies_to_every_model():
    assert all(applies([], code) for code in BusinessModel.values)
    assert applies(None, B2C)


def test_a_limited_question_applies_only_to_its_models():
    assert applies(["b2b-saas", B2C], B2C)
    assert not applies(["b2b-saas"], B2C)
    assert not applies(["b2b-saas"], "usage-based")


def test_the_business_model_codes_are_the_schemas():
    assert framework_schema()["$defs"]["business_model"]["enum"] == BusinessModel.values


@pytest.mark.django_db
def test_it_words_a_question_by_its_variant_and_falls_back_to_its_own_texts():
    import_framework(v2())
    question = Question.objects.prefetch_related("choices").get(code="kpi-renewal")
    ja = worded(question, B2C, "ja")
    assert ja.text == "継続率を追っていますか？"
    assert ja.engagement_pole == "継続を追う"
    assert ja.help_text == "更新のヒント"  # the variant gives none: the question's own
    assert ja.acquisition_pole == ""
    assert ja.choice_labels == ("追っていない", "月次で", "週次で")
    en = worded(question, B2C, "en")
    assert (en.text, en.choice_labels) == (
        "Do you track retention?",
        ("Not tracked", "Monthly", "Weekly"),
    )
    b2b = worded(question, "b2b-saas", "en")
    assert (b2b.text, b2b.engagement_pole) == ("Do you track renewals?", "")
    assert b2b.choice_labels == ("No", "Partly", "Yes")
    with translation.override("en"):
        assert worded(question, B2C).text == "Do you track retention?"


# ------------------------------------------------------------ validation


def test_the_example_file_validates():
    assert problems_of(v2()) == []


def test_it_refuses_an_unknown_business_model_with_the_allowed_codes():
    data = v2()
    data["dimensions"][0]["questions"][1]["business_models"] = ["b2b-saas", "b2c"]
    assert problems_of(data) == [
        (f"{Q1}.business_models[1]", f"unknown business model 'b2c'; expected one of: {MODELS}")
    ]


def test_it_refuses_a_variant_for_an_unknown_business_model():
    data = v2()
    question = data["dimensions"][0]["questions"][0]
    question["variants"] = {"b2c": {"text": {"ja": "別"}}}
    assert problems_of(data) == [
        (
            "dimensions[0].questions[0].variants",
            f"unknown business model 'b2c'; expected one of: {MODELS}",
        )
    ]


def test_it_refuses_a_variant_for_a_model_the_question_does_not_apply_to():
    data = v2()
    data["dimensions"][0]["questions"][2]["variants"] = {B2C: {"text": {"ja": "B2C 向け"}}}
    assert problems_of(data) == [
        (
            f"{Q2}.variants.b2c-subscription",
            "the question does not apply to business model 'b2c-subscription' "
            "(business_models: b2b-saas); a variant is only for a model it applies to",
        )
    ]


def test_it_refuses_variant_choices_of_another_count_than_the_questions():
    data = v2()
    data["dimensions"][0]["questions"][1]["variants"][B2C]["choices"].pop()
    assert problems_of(data) == [
        (
            f"{Q1}.variants.b2c-subscription.choices",
            "gives 2 labels but the question has 3 choices; a variant relabels every choice, "
            "in order",
        )
    ]


def test_it_counts_the_choices_of_the_questions_answer_set():
    data = v2()
    labels = [{"label": {"ja": "a"}}, {"label": {"ja": "b"}}, {"label": {"ja": "c"}}]
    data["dimensions"][0]["questions"][2]["variants"] = {"b2b-saas": {"choices": labels}}
    assert problems_of(data) == [
        (
            f"{Q2}.variants.b2b-saas.choices",
            "gives 3 labels but the question has 2 choices; a variant relabels every choice, "
            "in order",
        )
    ]


def test_it_refuses_a_variant_text_without_the_first_language():
    data = v2()
    data["dimensions"][0]["questions"][1]["variants"][B2C]["text"] = {"en": "Retention?"}
    assert problems_of(data) == [
        (
            f"{Q1}.variants.b2c-subscription.text",
            "missing text in the framework's first language 'ja'",
        )
    ]


def test_it_refuses_an_unknown_field_in_a_variant():
    data = v2()
    data["dimensions"][0]["questions"][1]["variants"][B2C]["help"] = {"ja": "ヒント"}
    assert problems_of(data) == [
        (f"{Q1}.variants.b2c-subscription", "unknown field: 'help' was unexpected")
    ]


def test_it_refuses_a_show_step_numbers_that_is_not_a_boolean():
    data = v2()
    data["presentation"]["show_step_numbers"] = "yes"
    assert problems_of(data) == [
        ("presentation.show_step_numbers", "expected boolean, got string 'yes'")
    ]


def test_it_refuses_an_unknown_presentation_field_and_an_empty_instruction():
    data = v2()
    data["presentation"]["numbers"] = False
    assert problems_of(data) == [("presentation", "unknown field: 'numbers' was unexpected")]
    data = v2()
    data["presentation"]["instruction"] = {"en": "Only English"}
    assert problems_of(data) == [
        ("presentation.instruction", "missing text in the framework's first language 'ja'")
    ]


def test_a_v1_file_knows_no_presentation(framework_data):
    framework_data["presentation"] = {"show_step_numbers": False}
    assert problems_of(framework_data) == [("", "unknown field: 'presentation' was unexpected")]


# ------------------------------------------------------------ import and export


@pytest.mark.django_db
def test_it_stores_presentation_business_models_and_variants():
    framework = import_framework(v2())
    assert framework.show_step_numbers is True
    assert (framework.instruction_ja, framework.instruction_en) == (
        "いまの実際で答えてください。",
        "Answer for today.",
    )
    renewal = Question.objects.get(code="kpi-renewal")
    assert renewal.business_models == ["b2b-saas", B2C]
    assert renewal.variants[B2C]["text"] == {
        "ja": "継続率を追っていますか？",
        "en": "Do you track retention?",
    }
    assert Question.objects.get(code="kpi-common").business_models == []


@pytest.mark.django_db
def test_v2_hides_the_step_numbers_by_default_and_v1_shows_them(sample_framework):
    data = v2()
    del data["presentation"]
    framework = import_framework(data)
    assert framework.show_step_numbers is False
    assert framework.instruction == ""
    assert "presentation" not in export_framework(framework)
    assert sample_framework.show_step_numbers is True


@pytest.mark.django_db
def test_export_import_export_is_identical_with_variants():
    first = export_framework(import_framework(v2()))
    assert first["presentation"] == V2["presentation"]
    assert (
        first["dimensions"][0]["questions"][1]["variants"]
        == V2["dimensions"][0]["questions"][1]["variants"]
    )
    Framework.objects.all().delete()
    second = export_framework(import_framework(copy.deepcopy(first)))
    assert dump_framework_yaml(second) == dump_framework_yaml(first)
    assert validate_framework_data(second) == []


@pytest.mark.django_db
def test_export_writes_variants_in_the_documented_order():
    data = v2()
    question = data["dimensions"][0]["questions"][0]
    # Written in another order than the docs: the export puts models and keys in order.
    question["variants"] = {
        "usage-based": {"help_text": {"ja": "従量"}, "text": {"ja": "従量課金の質問"}},
        B2C: {"text": {"ja": "B2C の質問"}},
    }
    exported = export_framework(import_framework(data))["dimensions"][0]["questions"][0]
    assert list(exported["variants"]) == [B2C, "usage-based"]
    assert list(exported["variants"]["usage-based"]) == ["text", "help_text"]


# ------------------------------------------------------------ API


@pytest.mark.django_db
def test_the_api_words_the_questions_for_a_business_model():
    framework = import_framework(v2())
    url = f"/api/v1/frameworks/{framework.pk}/"
    body = APIClient().get(url, {"business_model": B2C}, HTTP_ACCEPT_LANGUAGE="en").json()
    questions = body["dimensions"][0]["questions"]
    assert [q["code"] for q in questions] == ["kpi-common", "kpi-renewal"]
    assert questions[1]["text"] == "Do you track retention?"
    assert [c["label"] for c in questions[1]["choices"]] == ["Not tracked", "Monthly", "Weekly"]
    assert body["show_step_numbers"] is True
    assert body["instruction"] == "Answer for today."
    plain = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="en").json()["dimensions"][0]["questions"]
    assert [q["code"] for q in plain] == ["kpi-common", "kpi-renewal", "kpi-b2b-only"]
    assert plain[1]["text"] == "Do you track renewals?"
    assert plain[2]["business_models"] == ["b2b-saas"]


@pytest.mark.django_db
def test_the_api_refuses_an_unknown_business_model():
    framework = import_framework(v2())
    reply = APIClient().get(f"/api/v1/frameworks/{framework.pk}/", {"business_model": "b2c"})
    assert reply.status_code == 400
    assert set(reply.json()) == {"error"}
