"""Framework files are read in bounded time and memory: what YAML could make expensive
(aliases, deep nesting, huge numbers, millions of values or of problems) is refused with the
file, the path inside it and what was expected, in the command and in the admin upload."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from maturity import framework_yaml
from maturity.framework_file import FrameworkFileError, load_framework_file
from maturity.models import Framework
from tests.conftest import to_yaml

pytestmark = pytest.mark.django_db

HEADER = b"format: levelcheck-framework/1\nslug: bomb\nversion: 1\ntitle: x\n"


def alias_bomb() -> bytes:
    """The classic "billion laughs": nine aliases per line, nine lines, 9^9 items."""
    lines = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]".encode())
    return HEADER + b"\n".join(lines) + b"\nlevels: *i\ndimensions: *i\n"


def deeply_nested(depth: int = 1000) -> bytes:
    return HEADER.replace(b"title: x\n", b"title: " + b"[" * depth + b"]" * depth + b"\n")


def refusal(content: bytes) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as excinfo:
        load_framework_file(content, source="f.yaml")
    return excinfo.value


def command_error(tmp_path, content: bytes, *args) -> tuple[str, float]:
    path = tmp_path / "bomb.yaml"
    path.write_bytes(content)
    started = time.perf_counter()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_framework", str(path), *args)
    elapsed = time.perf_counter() - started
    assert Framework.objects.count() == 0
    return str(excinfo.value), elapsed


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    return client


def upload(client, content: bytes, **extra):
    # Warm up first: the first admin page of a process loads templates and translations.
    client.get(reverse("admin:maturity_framework_import"))
    started = time.perf_counter()
    response = client.post(
        reverse("admin:maturity_framework_import"),
        {"file": SimpleUploadedFile("bomb.yaml", content, "application/yaml"), **extra},
    )
    return response, time.perf_counter() - started


def test_the_alias_bomb_is_small():
    assert len(alias_bomb()) < 600


def test_the_command_refuses_an_alias_bomb_in_under_a_second(tmp_path):
    message, elapsed = command_error(tmp_path, alias_bomb(), "--dry-run")
    assert elapsed < 1
    assert "1 problem(s); nothing was imported" in message
    assert (
        "bomb.yaml: a: YAML anchor '&a' at line 5, column 4: anchors (&name) and aliases "
        "(*name) are not allowed; write the content out in full" in message
    )


def test_the_admin_refuses_an_alias_bomb_in_under_a_second(admin_client):
    response, elapsed = upload(admin_client, alias_bomb(), dry_run="on")
    assert elapsed < 1
    assert response.status_code == 200
    html = response.content.decode()
    assert "anchors (&amp;name) and aliases (*name) are not allowed" in html
    assert "<code>a</code>" in html
    assert Framework.objects.count() == 0


def test_the_admin_shows_the_refusal_in_japanese_and_english(admin_client):
    response, _ = upload(admin_client, alias_bomb(), HTTP_ACCEPT_LANGUAGE="ja")
    assert "ファイルに 1 件の問題があります。何も取り込んでいません。" in response.content.decode()
    admin_client.cookies["django_language"] = "en"
    response, _ = upload(admin_client, alias_bomb())
    assert "The file has 1 problem; nothing was imported." in response.content.decode()


def test_an_alias_is_refused_at_its_path():
    content = HEADER + b"description: *t\n"
    problem = refusal(content).problems[0]
    assert problem.path == "description"
    assert problem.message.startswith("YAML alias '*t' at line 5, column 14:")


def test_an_anchor_is_refused_even_when_nothing_refers_to_it(framework_data):
    text = to_yaml(framework_data).decode()
    text = text.replace("\n- code: data\n", "\n- &second\n  code: data\n")
    problem = refusal(text.encode()).problems[0]
    assert problem.path == "dimensions[1]"
    assert "YAML anchor '&second'" in problem.message


def test_a_merge_key_is_refused():
    problem = refusal(HEADER + b"scale: {<<: {min: 1}, max: 5}\n").problems[0]
    assert (problem.path, problem.message) == (
        "scale",
        "YAML merge key '<<' at line 5, column 9: merge keys are not allowed; write the fields "
        "out in full",
    )


def test_the_command_refuses_a_file_nested_1000_deep_in_under_a_second(tmp_path):
    content = deeply_nested()
    assert len(content) < 2100
    message, elapsed = command_error(tmp_path, content)
    assert elapsed < 1
    assert "RecursionError" not in message
    assert "bomb.yaml: title" + "[0]" * 19 + ": nested more than 20 levels deep" in message


def test_the_admin_refuses_a_file_nested_1000_deep(admin_client):
    response, elapsed = upload(admin_client, deeply_nested())
    assert elapsed < 1
    assert response.status_code == 200
    assert "nested more than 20 levels deep (at line 4, column 27)" in response.content.decode()


def test_nesting_up_to_the_limit_reaches_the_schema_check():
    problems = refusal(deeply_nested(framework_yaml.MAX_DEPTH - 1)).problems
    assert any(str(p).startswith("title: expected string or object, got list") for p in problems)


def test_a_huge_integer_is_refused_with_its_path():
    problem = refusal(HEADER.replace(b"version: 1", b"version: " + b"9" * 5000)).problems[0]
    assert (problem.path, problem.message) == (
        "version",
        "a number written with 5,000 characters at line 3, column 10; expected at most 50",
    )


def test_a_long_base_60_integer_is_refused_before_it_is_computed():
    started = time.perf_counter()
    problem = refusal(HEADER + b"scale: 1" + b":1" * 100_000 + b"\n").problems[0]
    assert time.perf_counter() - started < 1
    assert problem.path == "scale"
    assert "a number written with 200,001 characters" in problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"0x_", "'0x_' at line 5, column 8 reads as an integer but is not a valid one"),
        (b"2026-13-45", "'2026-13-45' at line 5, column 8 reads as a date but is not a valid one"),
    ],
)
def test_numbers_and_dates_python_cannot_build_are_refused(value, expected):
    problem = refusal(HEADER + b"scale: " + value + b"\n").problems[0]
    assert problem.path == "scale"
    assert problem.message.startswith(expected)


@pytest.mark.parametrize(
    "tag", [b"!!int abc", b"!!binary aGk=", b"!!python/name:os.system", b"!x a"]
)
def test_explicit_tags_are_refused(tag):
    problem = refusal(HEADER + b"scale: " + tag + b"\n").problems[0]
    assert problem.path == "scale"
    assert "tags are not allowed; expected a plain value" in problem.message


@pytest.mark.parametrize(
    ("content", "kind"), [(b"{[a]: 1}\n", "a list"), (b"? {a: 1}\n: 2\n", "a mapping")]
)
def test_keys_that_are_not_names_are_refused(content, kind):
    problem = refusal(content).problems[0]
    assert problem.message.startswith(f"{kind} used as a key at line 1")
    assert problem.message.endswith("expected a field name")


def test_too_many_values_are_refused(monkeypatch):
    monkeypatch.setattr(framework_yaml, "MAX_NODES", 1000)
    problem = refusal(HEADER + b"dimensions: [" + b"0," * 2000 + b"0]\n").problems[0]
    assert problem.path == "dimensions[989]"
    assert problem.message.startswith("more than 1,000 values (the next at line 5, column")


def test_the_shipped_framework_is_far_within_the_limits():
    from django.conf import settings

    content = (settings.BASE_DIR / "maturity/frameworks/customer-engagement.yaml").read_bytes()
    loader = framework_yaml.FrameworkYamlLoader(content.decode())
    try:
        loader.get_single_data()
        assert loader._nodes < framework_yaml.MAX_NODES / 10
    finally:
        loader.dispose()


def test_a_file_of_many_empty_items_reports_at_most_100_problems(tmp_path):
    content = HEADER + b"scale: {min: 1, max: 5}\nlevels: []\ndimensions: [" + b"{}," * 20_000
    started = time.perf_counter()
    problems = refusal(content + b"{}]\n").problems
    assert time.perf_counter() - started < 5
    assert len(problems) == 101
    assert problems[-1].message == (
        "more than 100 problems; the first 100 are listed, fix them first"
    )


def test_the_admin_does_not_read_an_upload_above_the_limit(admin_client, settings):
    settings.FRAMEWORK_FILE_MAX_BYTES = 1000
    response, _ = upload(admin_client, b"# " + b"x" * 5000)
    html = response.content.decode()
    assert "file is 5,002 bytes; framework files may be at most 1,000 bytes" in html


def test_the_command_does_not_read_a_file_above_the_limit(tmp_path, settings, monkeypatch):
    from pathlib import Path

    settings.FRAMEWORK_FILE_MAX_BYTES = 1000
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * 5000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_framework", str(path))
    assert f"{path}: file is 5,002 bytes; framework files may be at most 1,000 bytes" in str(
        excinfo.value
    )
