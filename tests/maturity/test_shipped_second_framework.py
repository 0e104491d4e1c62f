"""The second shipped framework, customer-data-maturity (顧客データ活用成熟度): a format-v2
file the project wrote itself. Its shape is the model's (four areas, eight practices, streams
A/B, one question per stream per level 1–3, answers 0/0.25/0.5/1, sum ÷ 2), every text is in
Japanese and English, it has no poles, and it imports as it is written."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from maturity.framework_file import load_framework_file
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework
from maturity.models import Framework
from maturity.scoring_rules import ScoringRules

PATH = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-data-maturity.yaml"
AREAS = {"C": ["C-ID", "C-UD"], "U": ["U-MT", "U-HS"], "A": ["A-SG", "A-AU"], "G": ["G-QL", "G-PR"]}
# The questions a department may answer N/A (a service with no way of recording use).
NA_QUESTIONS = {"C-UD-1-A", "C-UD-2-A", "C-UD-3-A"}


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def questions(data):
    return [q for dimension in data["dimensions"] for q in dimension["questions"]]


def texts(value, path="$"):
    """Every language mapping in the file, with where it is."""
    if isinstance(value, dict):
        if value and set(value) <= {"ja", "en"}:
            yield path, value
        else:
            for key, item in value.items():
                yield from texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{path}[{index}]")


def test_metadata_says_what_the_model_is_and_who_may_use_it(data):
    assert data["format"] == "levelcheck-framework/2"
    assert data["slug"] == "customer-data-maturity"
    assert data["version"] == "1.0.0"  # a string, kept as the label
    assert data["status"] == "published"
    assert data["languages"] == ["ja", "en"]
    assert data["title"] == {"ja": "顧客データ活用成熟度", "en": "Customer data maturity"}
    assert data["licence"] == "CC-BY-4.0"
    assert data["attribution"] == {"ja": "LevelCheck プロジェクト", "en": "LevelCheck project"}
    assert data["scale"] == {"min": 0, "max": 3}
    # Level 0 is "nothing in place"; every step of the scale has a title and a description.
    assert [level["level"] for level in data["levels"]] == [0, 1, 2, 3]
    assert data["levels"][0]["title"] == {"ja": "未着手", "en": "Not started"}
    assert all(level["title"] and level["description"] for level in data["levels"])


def test_the_declared_rule_is_the_sum_of_a_practices_six_answers_divided_by_two(data):
    assert data["scoring"] == {
        "unanswered": 0,
        "not_applicable": 0,
        "dimension": "sum_divided",
        "divisor": 2,
        "area": "mean",
        "overall": "mean_of_areas",
        "level": {"rule": "floor"},
        "precision": 2,
    }
    rules = ScoringRules.from_data(data["scoring"])
    assert (rules.unanswered, rules.not_applicable) == (0.0, 0.0)
    assert (rules.dimension, rules.divisor, rules.area, rules.overall) == (
        "sum_divided",
        2.0,
        "mean",
        "mean_of_areas",
    )
    assert rules.level_rule == "floor" and rules.precision == 2 and rules.raw_values


def test_one_answer_set_no_partly_mostly_fully(data):
    [degree] = data["answer_sets"]
    assert degree["code"] == "degree"
    assert degree["values"] == {"min": 0, "max": 1}
    assert [(c["label"]["ja"], c["label"]["en"], c["value"]) for c in degree["choices"]] == [
        ("いいえ", "No", 0),
        ("一部", "Partly", 0.25),
        ("おおむね", "Mostly", 0.5),
        ("完全に", "Fully", 1),
    ]


def test_four_areas_of_two_practices_each(data):
    assert [area["code"] for area in data["areas"]] == list(AREAS)
    by_area = {}
    for dimension in data["dimensions"]:
        by_area.setdefault(dimension["area"], []).append(dimension["code"])
    assert by_area == AREAS


def test_every_practice_has_streams_a_and_b_with_one_question_per_level_1_to_3(data):
    assert len(questions(data)) == 48
    for dimension in data["dimensions"]:
        code = dimension["code"]
        assert [stream["code"] for stream in dimension["streams"]] == ["A", "B"], code
        assert [(q["stream"], q["level"]) for q in dimension["questions"]] == [
            (stream, level) for stream in "AB" for level in (1, 2, 3)
        ], code
        for question in dimension["questions"]:
            # Codes are case-preserved and say where the question sits: C-ID-2-B.
            assert question["code"] == f"{code}-{question['level']}-{question['stream']}"
            assert question["answer_set"] == "degree"
            assert "choices" not in question and "values" not in question
        # The highest reachable score: six answers of 1, summed, ÷ 2 = 3, the top of the scale.
        assert sum(1 for _ in dimension["questions"]) / 2 == data["scale"]["max"]


def test_every_question_has_guidance_and_one_to_three_criteria(data):
    for question in questions(data):
        assert 1 <= len(question["criteria"]) <= 3, question["code"]
        for lang in ("ja", "en"):
            guidance = question["guidance"][lang]
            # Two to four sentences.
            ends = guidance.count("。") if lang == "ja" else guidance.count(". ") + 1
            assert 2 <= ends <= 4, (question["code"], lang, ends)


def test_practice_levels_describe_0_to_3_and_recommend_a_way_up_from_0_to_2(data):
    for dimension in data["dimensions"]:
        assert [level["level"] for level in dimension["levels"]] == [0, 1, 2, 3]
        for level in dimension["levels"][:-1]:
            assert len(level["recommendations"]) >= 2, (dimension["code"], level["level"])
        assert "recommendations" not in dimension["levels"][-1]


def test_no_poles_and_n_a_only_where_a_service_may_record_no_use(data):
    for question in questions(data):
        assert "acquisition_pole" not in question and "engagement_pole" not in question
    assert {q["code"] for q in questions(data) if q.get("allow_na")} == NA_QUESTIONS


def test_every_text_is_in_japanese_and_english(data):
    mappings = list(texts(data))
    # 48 questions × (text, guidance, 1–3 criteria) alone are more than 200 mappings.
    assert len(mappings) > 300
    for path, mapping in mappings:
        assert set(mapping) == {"ja", "en"}, path
        assert mapping["ja"].strip() and mapping["en"].strip(), path
        # Japanese first, in Japanese: some kana or kanji in every ja text.
        assert any("\u3040" <= ch <= "\u9fff" for ch in mapping["ja"]), path
        assert mapping["ja"] != mapping["en"], path


def test_it_passes_every_importer_check():
    assert load_framework_file(PATH.read_bytes(), source=str(PATH))["slug"] == (
        "customer-data-maturity"
    )


@pytest.mark.django_db
def test_the_command_validates_it_with_dry_run_and_imports_it_once():
    out = io.StringIO()
    call_command("import_framework", str(PATH), "--dry-run", stdout=out)
    assert "is valid (8 dimensions, 48 questions)" in out.getvalue()
    assert not Framework.objects.filter(slug="customer-data-maturity").exists()

    call_command("import_framework", str(PATH), stdout=out)
    call_command("import_framework", str(PATH), "--skip-existing", stdout=out)
    assert "already imported; nothing to do" in out.getvalue()
    assert Framework.objects.filter(slug="customer-data-maturity").count() == 1


@pytest.mark.django_db
def test_it_imports_as_written():
    framework = import_framework(load_framework_file(PATH.read_bytes()), source=str(PATH))
    assert framework.is_published
    assert (framework.version_label, framework.file_format) == ("1.0.0", 2)
    assert (framework.scale_min, framework.scale_max) == (0, 3)
    assert framework.licence == "CC-BY-4.0"
    assert framework.scoring["dimension"] == "sum_divided"
    titles = [level.title for level in framework.levels.all()]
    assert titles == ["未着手", "初期", "定義済み", "定着"]
    assert [area.code for area in framework.areas.all()] == ["C", "U", "A", "G"]
    assert framework.dimensions.count() == 8
    assert framework.questions.count() == 48
    question = framework.questions.select_related("stream", "answer_set").get(code="C-ID-2-B")
    assert (question.stream.code, question.level, question.answer_set.code) == ("B", 2, "degree")
    assert question.value_range() == (Decimal("0"), Decimal("1"))
    assert [c.score for c in question.choices.all()] == [
        Decimal("0"),
        Decimal("0.25"),
        Decimal("0.5"),
        Decimal("1"),
    ]
    assert len(question.criteria) == 2 and question.criteria[0]["en"].startswith("A document")
    assert question.acquisition_pole == "" and question.engagement_pole == ""


@pytest.mark.django_db
def test_the_shipped_file_is_in_canonical_form():
    framework = import_framework(load_framework_file(PATH.read_bytes()), source=str(PATH))
    assert dump_framework_yaml(export_framework(framework)) == PATH.read_text(encoding="utf-8")
