"""Every kind of malformed framework file is refused with the file, the path inside it and
what was expected, and nothing is written."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from maturity.models import Choice, Dimension, Framework, Question
from tests.conftest import to_yaml

pytestmark = pytest.mark.django_db


def import_error(tmp_path, content: bytes) -> str:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_framework", str(path))
    assert Framework.objects.count() == 0
    assert Dimension.objects.count() == Question.objects.count() == Choice.objects.count() == 0
    message = str(excinfo.value)
    assert str(path) in message
    assert "nothing was imported" in message
    return message


def test_it_rejects_invalid_yaml(tmp_path):
    message = import_error(tmp_path, b"slug: a\ntitle: [unclosed\n")
    assert "invalid YAML" in message
    assert "line 3" in message


def test_it_rejects_duplicate_keys(tmp_path, framework_data):
    text = to_yaml(framework_data).decode().replace("slug: sample\n", "slug: sample\nslug: b\n")
    message = import_error(tmp_path, text.encode())
    assert "duplicate key 'slug'" in message


def test_it_rejects_a_document_that_is_not_a_mapping(tmp_path):
    message = import_error(tmp_path, b"- just\n- a list\n")
    assert "expected object, got list" in message


def test_it_rejects_wrong_types(tmp_path, framework_data):
    framework_data["version"] = "one"
    framework_data["dimensions"][1]["questions"][0]["weight"] = "heavy"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "broken.yaml: version: expected integer, got string 'one'" in message
    assert "dimensions[1].questions[0].weight: expected number, got string 'heavy'" in message


def test_it_rejects_missing_required_fields(tmp_path, framework_data):
    del framework_data["dimensions"][0]["questions"][1]["engagement_pole"]
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].questions[1]: missing required field 'engagement_pole'" in message


def test_it_rejects_unknown_fields(tmp_path, framework_data):
    framework_data["dimensions"][0]["titel"] = "typo"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0]: unknown field: 'titel' was unexpected" in message


def test_it_rejects_duplicate_dimension_codes(tmp_path, framework_data):
    framework_data["dimensions"][1]["code"] = "kpi"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert (
        "dimensions[1].code: duplicate code 'kpi' (already used at dimensions[0].code)" in message
    )


def test_it_rejects_duplicate_question_codes_across_dimensions(tmp_path, framework_data):
    framework_data["dimensions"][1]["questions"][0]["code"] = "kpi-q0"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[1].questions[0].code: duplicate code 'kpi-q0'" in message


def test_it_rejects_a_score_outside_the_scale(tmp_path, framework_data):
    framework_data["dimensions"][0]["questions"][0]["choices"][2]["score"] = 6
    message = import_error(tmp_path, to_yaml(framework_data))
    assert (
        "dimensions[0].questions[0].choices[2].score: 6 is outside the level scale 1–5" in message
    )


def test_it_rejects_gaps_in_levels(tmp_path, framework_data):
    del framework_data["levels"][2]
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "levels: missing level(s) 3" in message


def test_it_rejects_a_dimension_without_a_description_for_every_level(tmp_path, framework_data):
    framework_data["dimensions"][1]["levels"][4]["level"] = 4
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[1].levels: level 4 appears 2 times" in message
    assert "dimensions[1].levels: missing level(s) 5" in message


def test_it_rejects_levels_outside_the_scale(tmp_path, framework_data):
    framework_data["levels"].append({"level": 6, "title": "six"})
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "levels: level(s) 6 outside the scale 1–5" in message


def test_it_rejects_an_unknown_language_key(tmp_path, framework_data):
    framework_data["dimensions"][0]["title"]["fr"] = "Axe"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].title: unknown language 'fr'; expected one of: ja, en" in message


def test_it_rejects_text_missing_in_the_first_language(tmp_path, framework_data):
    framework_data["dimensions"][0]["questions"][0]["text"] = {"en": "Only English"}
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].questions[0].text: missing text in the framework's first language" in (
        message
    )


def test_it_rejects_an_empty_dimension(tmp_path, framework_data):
    framework_data["dimensions"][1]["questions"] = []
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[1].questions: needs at least 1 item(s), got 0" in message


def test_it_rejects_too_few_and_too_many_choices(tmp_path, framework_data):
    question = framework_data["dimensions"][0]["questions"]
    question[0]["choices"] = question[0]["choices"][:1]
    question[1]["choices"] = [{"label": f"c{i}", "score": 1} for i in range(8)]
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].questions[0].choices: needs at least 2 item(s), got 1" in message
    assert "dimensions[0].questions[1].choices: allows at most 7 item(s), got 8" in message


def test_it_rejects_an_unknown_area(tmp_path, framework_data):
    framework_data["dimensions"][0]["area"] = "nowhere"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].area: unknown area 'nowhere' (areas: strategy)" in message


def test_it_rejects_an_unknown_department_function(tmp_path, framework_data):
    framework_data["dimensions"][0]["questions"][1]["functions"] = ["sales", "finance"]
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].questions[1].functions[1]: 'finance' is not one of:" in message


def test_it_rejects_an_unordered_scale(tmp_path, framework_data):
    framework_data["scale"] = {"min": 5, "max": 1}
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "scale.max: must be above scale.min (5), got 1" in message


def test_it_rejects_recommendations_above_the_top_level(tmp_path, framework_data):
    framework_data["dimensions"][0]["levels"][4]["recommendations"] = ["more"]
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].levels[4].recommendations: level 5 is the top of the scale" in message


def test_it_rejects_a_wrong_format_marker(tmp_path, framework_data):
    framework_data["format"] = "other-tool/2"
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "format: expected 'levelcheck-framework/1', got 'other-tool/2'" in message


def test_it_rejects_a_file_that_is_not_utf8(tmp_path, framework_data):
    message = import_error(tmp_path, to_yaml(framework_data).decode().encode("shift_jis"))
    assert "not UTF-8 text" in message


def test_it_rejects_a_10_mb_file_before_parsing_it(tmp_path, framework_data):
    padding = "# " + "x" * 1000 + "\n"
    content = to_yaml(framework_data) + (padding * 10_240).encode()
    assert len(content) > 10_000_000
    message = import_error(tmp_path, content)
    assert "framework files may be at most 2,097,152 bytes" in message


def test_it_refuses_to_reimport_an_existing_version(tmp_path, framework_data):
    path = tmp_path / "sample.yaml"
    path.write_bytes(to_yaml(framework_data))
    call_command("import_framework", str(path))
    framework_data["title"]["en"] = "Changed"
    path.write_bytes(to_yaml(framework_data))
    with pytest.raises(CommandError, match="version 1 already exists"):
        call_command("import_framework", str(path))
    assert Framework.objects.filter(slug="sample").count() == 1
    assert Framework.objects.get().title_en == "Sample check"


def test_it_reports_every_problem_not_only_the_first(tmp_path, framework_data):
    framework_data["dimensions"][0]["questions"][0]["choices"][0]["score"] = 9
    framework_data["dimensions"][1]["questions"][1]["choices"][1]["score"] = -1
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "2 problem(s)" in message


def test_it_rolls_back_a_failure_in_the_middle_of_writing(tmp_path, framework_data, monkeypatch):
    """A database error after some rows are written leaves no trace of the import."""
    from maturity import framework_io

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(framework_io.Choice.objects, "bulk_create", explode)
    path = tmp_path / "sample.yaml"
    path.write_bytes(to_yaml(framework_data))
    with pytest.raises(RuntimeError):
        call_command("import_framework", str(path))
    assert Framework.objects.count() == Dimension.objects.count() == Question.objects.count() == 0


def test_dry_run_validates_without_writing(tmp_path, framework_data, capsys):
    path = tmp_path / "sample.yaml"
    path.write_bytes(to_yaml(framework_data))
    call_command("import_framework", str(path), "--dry-run")
    assert "is valid (2 dimensions, 4 questions)" in capsys.readouterr().out
    assert Framework.objects.count() == 0


def test_skip_existing_makes_a_second_import_a_no_op(tmp_path, framework_data, capsys):
    path = tmp_path / "sample.yaml"
    path.write_bytes(to_yaml(framework_data))
    call_command("import_framework", str(path), "--skip-existing")
    call_command("import_framework", str(path), "--skip-existing")
    assert "already imported" in capsys.readouterr().out
    assert Framework.objects.count() == 1


def test_it_accepts_single_language_plain_text_and_a_0_to_3_scale(tmp_path):
    data = {
        "format": "levelcheck-framework/1",
        "slug": "cmmi-like",
        "version": 2,
        "title": "Four-step model",
        "languages": ["en"],
        "scale": {"min": 0, "max": 3},
        "levels": [{"level": n, "title": f"Stage {n}"} for n in range(4)],
        "dimensions": [
            {
                "code": "process",
                "title": "Process",
                "levels": [{"level": n, "description": f"Does {n}"} for n in range(4)],
                "questions": [
                    {
                        "code": "p1",
                        "text": "How defined is the process?",
                        "acquisition_pole": "Ad hoc",
                        "engagement_pole": "Measured",
                        "choices": [{"label": "No", "score": 0}, {"label": "Yes", "score": 3}],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    call_command("import_framework", str(path))
    framework = Framework.objects.get(slug="cmmi-like")
    assert (framework.scale_min, framework.scale_max, framework.title_en) == (
        0,
        3,
        "Four-step model",
    )
    assert framework.status == Framework.Status.DRAFT
    assert list(Choice.objects.values_list("score", flat=True)) == [0, 3]


def test_it_reports_a_missing_file_clearly(tmp_path):
    with pytest.raises(CommandError, match="cannot read file"):
        call_command("import_framework", str(tmp_path / "nope.yaml"))


# Values the schema alone lets through but the database or the exports cannot hold: each
# used to end in a traceback (a 500 in the admin), on PostgreSQL or on both databases.


def test_it_rejects_an_integer_written_as_a_decimal(tmp_path, framework_data):
    framework_data["scale"]["min"] = 1.0
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "broken.yaml: scale.min: expected integer, got number 1.0" in message


def test_it_rejects_a_weight_that_is_not_a_number(tmp_path, framework_data):
    text = to_yaml(framework_data).decode().replace("weight: 2", "weight: .nan")
    message = import_error(tmp_path, text.encode())
    assert "dimensions[0].questions[1].weight: expected a number from 0 to 100, got nan" in message


def test_it_rejects_scores_and_weights_with_more_than_two_decimals(tmp_path, framework_data):
    framework_data["dimensions"][0]["questions"][1]["weight"] = 1.125
    framework_data["dimensions"][1]["questions"][0]["choices"][1]["score"] = 2.555
    message = import_error(tmp_path, to_yaml(framework_data))
    assert (
        "dimensions[0].questions[1].weight: 1.125 has 3 decimal places; weights are stored with "
        "at most 2" in message
    )
    assert "dimensions[1].questions[0].choices[1].score: 2.555 has 3 decimal places" in message


def test_it_rejects_titles_and_labels_longer_than_the_database_holds(tmp_path, framework_data):
    framework_data["title"]["en"] = "x" * 201
    framework_data["levels"][0]["title"] = "x" * 121
    framework_data["dimensions"][0]["questions"][0]["choices"][0]["label"]["ja"] = "選" * 301
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "title.en: 201 characters; at most 200 are allowed here" in message
    assert "levels[0].title: 121 characters; at most 120 are allowed here" in message
    assert "choices[0].label.ja: 301 characters; at most 300 are allowed here" in message


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\ud800", "\uffff"])
def test_it_rejects_characters_a_database_or_an_export_cannot_hold(
    tmp_path, framework_data, character
):
    framework_data["dimensions"][1]["questions"][0]["text"]["en"] = f"a{character}b"
    # Written as YAML escapes ("\0", "\v", "\ud800", "\uffff"): the file itself is clean.
    content = yaml.safe_dump(framework_data, allow_unicode=False, sort_keys=False).encode()
    message = import_error(tmp_path, content)
    assert (
        f"dimensions[1].questions[0].text.en: contains the character U+{ord(character):04X} at "
        "position 2, which cannot be stored or exported; remove it" in message
    )


def test_it_rejects_a_version_beyond_the_database_integer(tmp_path, framework_data):
    framework_data["version"] = 2**31
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "version: expected at most 2147483647, got 2147483648" in message


def test_it_rejects_more_than_50_recommendations_for_a_level(tmp_path, framework_data):
    framework_data["dimensions"][0]["levels"][0]["recommendations"] = ["more"] * 51
    message = import_error(tmp_path, to_yaml(framework_data))
    assert "dimensions[0].levels[0].recommendations: allows at most 50 item(s), got 51" in message


def test_it_checks_unique_functions_in_linear_time(tmp_path, framework_data):
    """jsonschema's own uniqueItems compares every pair of mappings (5,000 took half a minute)."""
    import time

    functions = [{"f": n} for n in range(5_000)]
    framework_data["dimensions"][0]["questions"][0]["functions"] = functions
    started = time.perf_counter()
    message = import_error(tmp_path, to_yaml(framework_data))
    assert time.perf_counter() - started < 2
    assert "dimensions[0].questions[0].functions[0]: {'f': 0} is not one of:" in message


def test_it_checks_the_descriptions_of_levels_areas_and_dimensions(tmp_path, framework_data):
    # Found by tests/maturity/test_loader_properties.py: these three were never checked, so a
    # lone surrogate there ended in a UnicodeEncodeError and a missing Japanese text passed.
    framework_data["levels"][1]["description"] = {"en": "Only English"}
    framework_data["areas"][0]["description"] = "a\x00b"
    framework_data["dimensions"][1]["description"] = {"ja": "説明", "en": "a\ud800b"}
    content = yaml.safe_dump(framework_data, allow_unicode=False, sort_keys=False).encode()
    message = import_error(tmp_path, content)
    assert "levels[1].description: missing text in the framework's first language 'ja'" in message
    assert "areas[0].description: contains the character U+0000 at position 2" in message
    assert "dimensions[1].description.en: contains the character U+D800 at position 2" in message
