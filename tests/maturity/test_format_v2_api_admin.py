"""A format v2 framework through the command, the admin and the framework API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from maturity.framework_io import import_framework
from maturity.models import Framework
from tests.conftest import to_yaml
from tests.maturity.test_format_v2_validation import v2_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def samm():
    data = v2_data()
    question = data["dimensions"][0]["questions"][0]
    question["guidance"] = {"en": "Read *this*.", "ja": "これを読む。"}
    question["criteria"] = [{"en": "Written", "ja": "文書化"}, {"en": "Reviewed"}]
    question["references"] = [
        {"title": {"en": "SAMM"}, "url": "https://owaspsamm.org/"},
        {"url": "https://example.org/"},
    ]
    return import_framework(data, source="samm.yaml")


def test_the_command_imports_a_v2_file_and_says_its_version(tmp_path, capsys):
    path = tmp_path / "samm.yaml"
    path.write_bytes(to_yaml(v2_data()))
    call_command("import_framework", str(path))
    assert f"{path}: samm-lite v2.2.0 imported (2 dimensions, 12 questions)." in (
        capsys.readouterr().out
    )
    call_command("import_framework", str(path), "--skip-existing")
    assert "already imported" in capsys.readouterr().out
    assert Framework.objects.get().version_label == "2.2.0"


def test_the_command_exports_a_v2_framework(samm, capsys):
    call_command("export_framework", "samm-lite")
    out = capsys.readouterr().out
    assert out.startswith("format: levelcheck-framework/2\nslug: samm-lite\nversion: 2.2.0\n")
    call_command("export_framework", "samm-lite", "--version", "2.2.0")
    assert capsys.readouterr().out == out
    call_command("export_framework", "samm-lite", "--version", "1")
    assert capsys.readouterr().out == out


def test_the_admin_import_page_accepts_a_v2_file(admin_client):
    content = to_yaml(v2_data())
    response = admin_client.post(
        reverse("admin:maturity_framework_import"),
        {"file": SimpleUploadedFile("samm.yaml", content), "dry_run": "on"},
    )
    assert "samm-lite v2.2.0" in response.content.decode()
    response = admin_client.post(
        reverse("admin:maturity_framework_import"),
        {"file": SimpleUploadedFile("samm.yaml", content)},
    )
    framework = Framework.objects.get()
    assert response["Location"] == reverse("admin:maturity_framework_change", args=[framework.pk])


def test_the_admin_import_page_lists_v2_problems_with_their_paths(admin_client):
    data = v2_data()
    data["dimensions"][0]["questions"][0]["answer_set"] = "nope"
    response = admin_client.post(
        reverse("admin:maturity_framework_import"),
        {"file": SimpleUploadedFile("samm.yaml", to_yaml(data))},
    )
    html = response.content.decode()
    assert "dimensions[0].questions[0].answer_set" in html
    assert "unknown answer set &#x27;nope&#x27; (answer sets: degree)" in html


def test_the_admin_shows_the_v2_fields(admin_client, samm):
    html = admin_client.get(reverse("admin:maturity_framework_change", args=[samm.pk])).text
    # Published: shown read-only.
    assert '<div class="readonly">2.2.0</div>' in html  # the version label
    assert '<div class="readonly">CC-BY-SA-4.0</div>' in html
    assert "https://owaspsamm.org/model/" in html
    assert "0 / 0.25 / 0.5 / 1" in html  # the answer set, read-only
    dimension = samm.dimensions.get(code="G-SM")
    html = admin_client.get(reverse("admin:maturity_dimension_change", args=[dimension.pk])).text
    assert "Create and promote" in html and "Measure and improve" in html  # stream inline
    question = dimension.questions.get(code="G-SM-1-A")
    html = admin_client.get(reverse("admin:maturity_question_change", args=[question.pk])).text
    assert "Read *this*." in html
    assert "Reviewed" in html


def test_the_admin_edits_a_draft_s_streams_and_a_question_s_stream_is_its_dimension_s(
    admin_client,
):
    data = v2_data()
    data["status"] = "draft"
    framework = import_framework(data, source="x")
    dimension = framework.dimensions.get(code="G-SM")
    html = admin_client.get(reverse("admin:maturity_dimension_change", args=[dimension.pk])).text
    assert 'name="streams-0-code" value="A"' in html
    question = dimension.questions.get(code="G-SM-1-A")
    form = (
        admin_client.get(reverse("admin:maturity_question_change", args=[question.pk]))
        .context["adminform"]
        .form
    )
    own = set(dimension.streams.values_list("pk", flat=True))
    assert set(form.fields["stream"].queryset.values_list("pk", flat=True)) == own
    assert len(own) == 2  # not the other dimension's two


def test_the_api_gives_the_v2_fields_in_the_request_language(samm):
    response = APIClient().get(f"/api/v1/frameworks/{samm.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert (body["version"], body["version_label"]) == (1, "2.2.0")
    assert body["licence"] == "CC-BY-SA-4.0"
    assert body["attribution"] == "After OWASP SAMM"
    assert body["source_url"] == "https://owaspsamm.org/model/"
    assert body["external_ids"] == {"doi": "10.0000/example"}
    dimension = body["dimensions"][0]
    assert dimension["streams"] == [
        {"code": "A", "title": "Create and promote", "description": ""},
        {"code": "B", "title": "Measure and improve", "description": ""},
    ]
    question = dimension["questions"][0]
    assert (question["code"], question["stream"], question["level"]) == ("G-SM-1-A", "A", 1)
    assert question["answer_set"] == "degree"
    assert (question["value_min"], question["value_max"]) == ("0.00", "1.00")
    assert question["guidance"] == "Read *this*."
    assert question["criteria"] == ["Written", "Reviewed"]
    assert question["references"] == [
        {"title": "SAMM", "url": "https://owaspsamm.org/"},
        {"title": "", "url": "https://example.org/"},
    ]
    assert [c["score"] for c in question["choices"]] == ["0.00", "0.25", "0.50", "1.00"]
    ja = APIClient().get(f"/api/v1/frameworks/{samm.pk}/", HTTP_ACCEPT_LANGUAGE="ja").json()
    ja_question = ja["dimensions"][0]["questions"][0]
    # Japanese where given, else the text there is.
    assert ja_question["criteria"] == ["文書化", "Reviewed"]
    listed = APIClient().get("/api/v1/frameworks/").json()
    assert listed[0]["version_label"] == "2.2.0"


def test_the_api_reads_a_big_framework_in_a_fixed_number_of_queries(
    samm, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert APIClient().get(f"/api/v1/frameworks/{samm.pk}/").status_code == 200
