"""The shipped customer-engagement level check: valid, complete, bilingual, canonical."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from jsonschema import Draft202012Validator

from maturity.framework_file import framework_schema, load_framework_file
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework

PATH = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
REQUIRED_DIMENSIONS = {
    "kpi",
    "incentives",
    "tools",
    "data",
    "organisation",
    "operations",
    "customer-success",
    "talent",
    "leadership",
}


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def texts(value):
    """Every language mapping in the file."""
    if isinstance(value, dict):
        if set(value) <= {"ja", "en"} and value:
            yield value
        else:
            for item in value.values():
                yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def test_it_validates_against_the_published_json_schema(data):
    assert list(Draft202012Validator(framework_schema()).iter_errors(data)) == []


def test_it_passes_every_importer_check():
    assert load_framework_file(PATH.read_bytes(), source=str(PATH))["slug"] == "customer-engagement"


def test_it_covers_the_transformation_axes_with_enough_questions(data):
    codes = [dimension["code"] for dimension in data["dimensions"]]
    assert set(codes) >= REQUIRED_DIMENSIONS
    assert len(codes) >= 8
    for dimension in data["dimensions"]:
        assert len(dimension["questions"]) >= 4, dimension["code"]
        assert [level["level"] for level in dimension["levels"]] == [1, 2, 3, 4, 5]
        # Every department function gets a meaningful set of questions in every dimension.
        assert sum("functions" not in q for q in dimension["questions"]) >= 3, dimension["code"]


def test_every_question_runs_from_the_acquisition_pole_to_the_engagement_pole(data):
    for dimension in data["dimensions"]:
        for question in dimension["questions"]:
            scores = [choice["score"] for choice in question["choices"]]
            assert scores == sorted(scores) and scores[0] == 1 and scores[-1] == 5, question["code"]
            assert question["acquisition_pole"]["ja"] != question["engagement_pole"]["ja"]


def test_every_text_is_in_japanese_and_english(data):
    mappings = list(texts(data))
    assert len(mappings) > 500
    for mapping in mappings:
        assert mapping.get("ja", "").strip() and mapping.get("en", "").strip(), mapping


def test_level_descriptions_lead_to_recommendations(data):
    for dimension in data["dimensions"]:
        for level in dimension["levels"][:-1]:
            assert len(level.get("recommendations", [])) >= 2, (dimension["code"], level["level"])


@pytest.mark.django_db
def test_the_shipped_file_is_in_canonical_form():
    framework = import_framework(load_framework_file(PATH.read_bytes()), source=str(PATH))
    assert framework.is_published
    assert framework.questions.count() >= 36
    assert dump_framework_yaml(export_framework(framework)) == PATH.read_text(encoding="utf-8")
