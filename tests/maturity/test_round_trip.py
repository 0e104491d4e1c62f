"""Export → import into an empty database → export gives an identical file."""

import pytest
import yaml
from django.core.management import call_command

from maturity.framework_file import load_framework_file
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework
from maturity.models import Framework
from tests.conftest import to_yaml

pytestmark = pytest.mark.django_db


def round_trip(text: str) -> str:
    Framework.objects.all().delete()
    framework = import_framework(load_framework_file(text.encode(), source="x"), source="x")
    return dump_framework_yaml(export_framework(framework))


def test_export_import_export_is_identical(sample_framework):
    first = dump_framework_yaml(export_framework(sample_framework))
    assert round_trip(first) == first


def test_the_export_keeps_every_text_and_number(sample_framework, framework_data):
    exported = yaml.safe_load(dump_framework_yaml(export_framework(sample_framework)))
    assert exported == framework_data


def japanese_only(value):
    """The same data with every text reduced to a plain Japanese string."""
    if isinstance(value, dict):
        if set(value) == {"ja", "en"}:
            return value["ja"]
        return {key: japanese_only(item) for key, item in value.items()}
    if isinstance(value, list):
        return [japanese_only(item) for item in value]
    return value


def test_single_language_files_round_trip(framework_data):
    data = japanese_only(framework_data)
    data["languages"] = ["ja"]
    data["dimensions"][0]["questions"][0]["weight"] = 1.25
    data["dimensions"][0]["questions"][1]["choices"][0]["score"] = 2.5
    framework = import_framework(data, source="x")
    assert framework.title_ja == "サンプル診断"
    assert framework.title_en == ""
    first = dump_framework_yaml(export_framework(framework))
    assert "weight: 1.25" in first
    assert "score: 2.5" in first
    assert round_trip(first) == first


def test_the_commands_round_trip_through_files(tmp_path, sample_framework):
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    call_command("export_framework", "sample", "--version", "1", "-o", str(first))
    Framework.objects.all().delete()
    call_command("import_framework", str(first))
    call_command("export_framework", "sample", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_export_writes_to_stdout_without_output(sample_framework, capsys):
    call_command("export_framework", "sample")
    assert yaml.safe_load(capsys.readouterr().out)["slug"] == "sample"


def test_export_of_an_unknown_framework_names_the_known_ones(sample_framework):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No framework 'nope'. Known frameworks: sample."):
        call_command("export_framework", "nope")


def test_exported_files_validate_against_the_schema(sample_framework):
    text = dump_framework_yaml(export_framework(sample_framework))
    assert load_framework_file(text.encode(), source="x")["slug"] == "sample"


def test_to_yaml_helper_matches_canonical_data(framework_data):
    # Guards the fixture itself: the test files above depend on it being a valid framework.
    assert load_framework_file(to_yaml(framework_data), source="fixture")["version"] == 1
