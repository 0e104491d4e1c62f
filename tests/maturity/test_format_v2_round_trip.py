"""Format v2 import: every field lands in its model; export writes v2, canonically, so
export → import into an empty database → export is identical; drafts and publishing."""

from decimal import Decimal

import pytest
import yaml

from maturity.framework_file import FrameworkFileError, load_framework_file
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework
from maturity.models import AnswerSet, Choice, Framework, Question, Stream
from maturity.services import create_draft_version, import_framework_file, publish_framework
from tests.conftest import to_yaml
from tests.maturity.test_format_v2_validation import v2_data

pytestmark = pytest.mark.django_db

RICH = """\
format: levelcheck-framework/2
slug: rich
version: 2.2.0
status: published
languages: [en, ja]
title: {en: Rich model, ja: 豊富なモデル}
description: Every v2 feature once.
licence: CC-BY-4.0
attribution: {en: After a published model, ja: 公開モデルに基づく}
source_url: https://example.org/model
external_ids: {doi: 10.1234/abc, isbn: 978-0}
scale: {min: -1, max: 3}
levels:
  - {level: -1}
  - {level: 0, title: None yet}
  - {level: 1, title: {en: Initial, ja: 初期}, description: Started.}
  - {level: 2}
  - {level: 3, title: Best}
scoring:
  unanswered: 0
  not_applicable: left_out
  stream: mean
  dimension: mean_of_streams
  area: weighted_mean
  overall: mean_of_areas
  level:
    rule: thresholds
    thresholds: [{level: 0, from: -0.5}, {level: 1, from: 0.75}, {level: 3, from: 2.9}]
  precision: 1
  rounding: half_up
answer_sets:
  - code: Degree
    title: {en: Degree, ja: 程度}
    values: {min: 0, max: 1}
    choices:
      - {label: {en: "No", ja: いいえ}, value: 0}
      - {label: {en: Partly}, value: 0.25}
      - {label: Fully, value: 1}
areas:
  - {code: G, title: Governance, description: Steering., weight: 2}
  - {code: d.2, title: Design}
dimensions:
  - code: G-SM
    area: G
    title: {en: Strategy, ja: 戦略}
    description: Where it goes.
    weight: 1.5
    streams:
      - {code: A, title: Create, description: Make it.}
      - {code: b}
    levels:
      - level: 0
        description: Nothing.
        recommendations: [Start., {en: Then more., ja: さらに。}]
      - {level: 2}
    questions:
      - code: G-SM-1-A
        stream: A
        level: 1
        text: {en: "Is there a plan?", ja: 計画はありますか？}
        acquisition_pole: Short term
        engagement_pole: Long term
        help: Short help.
        guidance: "A *Markdown* text.\\n\\n- one\\n- two"
        criteria: [Written down, {en: Reviewed yearly, ja: 毎年見直し}]
        references:
          - {title: {en: The model}, url: https://example.org/model#sm}
          - {url: http://example.org/other}
        weight: 1.5
        functions: [sales, support]
        allow_na: true
        answer_set: Degree
      - code: G-SM-1-b
        stream: b
        level: 2
        text: Own values?
        values: {min: 1, max: 5}
        choices:
          - {label: Low, value: 1}
          - {label: Mid, value: 2.5}
          - {label: High, value: 5}
  - code: d.2-x
    area: d.2
    title: Design
    streams: [{code: A}]
    questions:
      - code: D-1
        stream: A
        text: On the scale?
        choices:
          - {label: Lowest, value: -1}
          - {label: Highest, value: 3}
"""


def import_text(text: str) -> Framework:
    return import_framework(load_framework_file(text.encode(), source="rich.yaml"), source="x")


def exported(framework: Framework) -> str:
    return dump_framework_yaml(export_framework(framework))


def test_every_v2_field_lands_in_its_model():
    framework = import_text(RICH)
    assert (framework.version, framework.version_label, framework.file_format) == (1, "2.2.0", 2)
    assert framework.label == "豊富なモデル v2.2.0"  # the active language is Japanese
    assert framework.licence == "CC-BY-4.0"
    assert (framework.attribution_en, framework.attribution_ja) == (
        "After a published model",
        "公開モデルに基づく",
    )
    assert framework.source_url == "https://example.org/model"
    assert framework.external_ids == {"doi": "10.1234/abc", "isbn": "978-0"}
    assert framework.scoring["dimension"] == "mean_of_streams"
    assert framework.scoring["level"]["thresholds"][1] == {"level": 1, "from": 0.75}
    assert (framework.scale_min, framework.scale_max) == (-1, 3)
    assert [(lv.value, lv.title_en) for lv in framework.levels.all()] == [
        (-1, ""),
        (0, "None yet"),
        (1, "Initial"),
        (2, ""),
        (3, "Best"),
    ]
    area = framework.areas.get(code="G")
    assert area.weight == Decimal("2")
    dimension = framework.dimensions.get(code="G-SM")
    assert dimension.weight == Decimal("1.5")
    assert [(s.code, s.title_en) for s in dimension.streams.all()] == [("A", "Create"), ("b", "")]
    assert [(lv.level, lv.description_en) for lv in dimension.levels.all()] == [
        (0, "Nothing."),
        (2, ""),
    ]
    answer_set = AnswerSet.objects.get(framework=framework)
    assert (answer_set.code, answer_set.value_min, answer_set.value_max) == (
        "Degree",
        Decimal("0"),
        Decimal("1"),
    )
    q1 = Question.objects.get(framework=framework, code="G-SM-1-A")
    assert q1.stream.code == "A"
    assert q1.level == 1
    assert q1.answer_set == answer_set
    assert q1.value_range() == (Decimal("0"), Decimal("1"))
    assert [c.score for c in q1.choices.all()] == [Decimal("0"), Decimal("0.25"), Decimal("1")]
    assert [c.label_en for c in q1.choices.all()] == ["No", "Partly", "Fully"]
    assert q1.guidance_en == "A *Markdown* text.\n\n- one\n- two"
    assert q1.criteria == [{"en": "Written down"}, {"ja": "毎年見直し", "en": "Reviewed yearly"}]
    assert q1.references == [
        {"title": {"en": "The model"}, "url": "https://example.org/model#sm"},
        {"url": "http://example.org/other"},
    ]
    q2 = Question.objects.get(framework=framework, code="G-SM-1-b")
    assert q2.answer_set is None
    assert q2.value_range() == (Decimal("1"), Decimal("5"))
    assert (q2.acquisition_pole_en, q2.engagement_pole_en) == ("", "")
    q3 = Question.objects.get(framework=framework, code="D-1")
    assert (q3.value_min, q3.value_max) == (None, None)
    assert q3.value_range() == (Decimal("-1"), Decimal("3"))
    assert framework.is_published


def test_export_import_export_of_a_rich_v2_file_is_identical():
    first = exported(import_text(RICH))
    Framework.objects.all().delete()
    assert exported(import_text(first)) == first
    data = yaml.safe_load(first)
    assert data["format"] == "levelcheck-framework/2"
    assert data["version"] == "2.2.0"
    # Answer sets stay references; own choices keep their values and range.
    questions = data["dimensions"][0]["questions"]
    assert questions[0]["answer_set"] == "Degree"
    assert "choices" not in questions[0]
    assert questions[1]["values"] == {"min": 1, "max": 5}
    assert [c["value"] for c in questions[1]["choices"]] == [1, 2.5, 5]
    assert "values" not in data["dimensions"][1]["questions"][0]
    # Plain strings become mappings in the file's language order.
    assert data["levels"][1] == {"level": 0, "title": {"en": "None yet"}}
    assert list(questions[0]["criteria"][1]) == ["en", "ja"]


def test_the_samm_like_file_round_trips():
    first = exported(import_framework(v2_data(), source="x"))
    Framework.objects.all().delete()
    assert exported(import_text(first)) == first


def test_a_v1_framework_still_exports_v1(sample_framework):
    data = export_framework(sample_framework)
    assert data["format"] == "levelcheck-framework/1"
    assert sample_framework.file_format == 1
    assert sample_framework.version_label == ""


def test_a_string_version_takes_the_next_free_number_of_its_slug():
    data = v2_data()
    data["version"] = 7
    assert import_framework(data, source="x").version == 7
    data = v2_data()
    framework = import_framework(data, source="x")
    assert (framework.version, framework.version_label) == (8, "2.2.0")


def test_a_version_string_already_imported_is_refused():
    import_framework(v2_data(), source="x")
    with pytest.raises(FrameworkFileError) as excinfo:
        import_framework_file(content=to_yaml(v2_data()), source="again.yaml")
    assert excinfo.value.render() == (
        "again.yaml: version: framework 'samm-lite' version 2.2.0 already exists; versions are "
        "never overwritten: give the changed file a new version number"
    )
    # The same number as a plain integer is another version (1 is taken as a number).
    data = v2_data()
    data["version"] = 1
    with pytest.raises(FrameworkFileError):
        import_framework(data, source="x")
    data["version"] = 2
    assert import_framework(data, source="x").version == 2


def test_a_draft_copy_of_a_labelled_version_is_labelled_draft_and_its_number():
    published = import_framework(v2_data(), source="x")
    draft = create_draft_version(framework=published)
    assert (draft.version, draft.version_label, draft.status) == (2, "2.2.0-draft2", "draft")
    assert draft.file_format == 2
    assert draft.scoring == published.scoring
    assert Stream.objects.filter(dimension__framework=draft).count() == 4
    assert Choice.objects.filter(question__framework=draft).count() == 48
    again = create_draft_version(framework=draft)
    assert again.version_label == "2.2.0-draft3"
    publish_framework(framework=draft)
    draft.refresh_from_db()
    assert draft.is_published
    # Apart from version and status, the copy exports as the original.
    original, copy_ = export_framework(published), export_framework(draft)
    assert {k: v for k, v in copy_.items() if k != "version"} == {
        k: v for k, v in original.items() if k != "version"
    }


def test_publishing_checks_a_v2_draft():
    data = v2_data()
    data["status"] = "draft"
    draft = import_framework(data, source="x")
    # A choice value moved off its range after import (drafts are editable).
    Choice.objects.filter(question__framework=draft).update(score=Decimal("3"))
    Question.objects.filter(framework=draft).update(answer_set=None)
    with pytest.raises(FrameworkFileError) as excinfo:
        publish_framework(framework=draft)
    assert str(excinfo.value.problems[0]) == (
        "dimensions[0].questions[0].choices[0].value: 3 is outside the value range 0–1"
    )


def test_the_scoring_block_exports_in_the_documented_order_whatever_the_database_keeps():
    # PostgreSQL's jsonb keeps an object's keys ordered by length, SQLite as written: the
    # export must not depend on it (the shipped file's canonical-form test failed on
    # PostgreSQL before this).
    from maturity.framework_io import canonical_scoring

    stored = {
        "area": "mean",
        "level": {"gate": 1, "thresholds": [{"from": 0.5, "level": 1}], "rule": "thresholds"},
        "divisor": 2,
        "precision": 2,
        "dimension": "sum_divided",
        "unanswered": 0,
    }
    block = canonical_scoring(stored)
    assert list(block) == ["unanswered", "dimension", "divisor", "area", "level", "precision"]
    assert list(block["level"]) == ["rule", "thresholds", "gate"]
    assert list(block["level"]["thresholds"][0]) == ["level", "from"]
    assert block == stored  # the same block, only in order
