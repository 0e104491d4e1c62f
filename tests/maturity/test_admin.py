"""Authoring frameworks in the admin: upload with path-precise errors, frozen published
versions, publish and new-version actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maturity.models import Framework
from tests.conftest import to_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def upload(client, content: bytes, dry_run: bool = False):
    data = {"file": SimpleUploadedFile("framework.yaml", content, "application/yaml")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("admin:maturity_framework_import"), data)


def test_it_imports_an_uploaded_file(admin_client, framework_data):
    response = upload(admin_client, to_yaml(framework_data))
    framework = Framework.objects.get(slug="sample")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:maturity_framework_change", args=[framework.pk])
    assert framework.questions.count() == 4


def test_it_shows_every_problem_with_its_path(admin_client, framework_data):
    framework_data["dimensions"][1]["questions"][0]["choices"][2]["score"] = 7
    del framework_data["levels"][0]
    response = upload(admin_client, to_yaml(framework_data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "dimensions[1].questions[0].choices[2].score" in html
    assert "7 is outside the level scale 1–5" in html
    assert "missing level(s) 1" in html
    assert Framework.objects.count() == 0


def test_a_dry_run_upload_checks_without_importing(admin_client, framework_data):
    response = upload(admin_client, to_yaml(framework_data), dry_run=True)
    assert response.status_code == 200
    assert Framework.objects.count() == 0


def test_the_import_page_requires_staff(client, django_user_model, framework_data):
    client.force_login(django_user_model.objects.create_user("plain", password="pw"))
    response = upload(client, to_yaml(framework_data))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Framework.objects.count() == 0


def test_published_frameworks_are_read_only_in_the_admin(admin_client, sample_framework):
    url = reverse("admin:maturity_framework_change", args=[sample_framework.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = admin_client.post(url, {"title_ja": "変更", "slug": "sample", "version": 1})
    assert response.status_code == 403
    sample_framework.refresh_from_db()
    assert sample_framework.title_ja == "サンプル診断"


def test_published_questions_are_read_only_in_the_admin(admin_client, sample_framework):
    question = sample_framework.questions.first()
    url = reverse("admin:maturity_question_change", args=[question.pk])
    assert admin_client.post(url, {"code": "changed"}).status_code == 403


def test_the_changelist_searches_and_filters(admin_client, sample_framework):
    url = reverse("admin:maturity_framework_changelist")
    assert "サンプル診断" in admin_client.get(url, {"q": "sample"}).content.decode()
    assert "サンプル診断" not in admin_client.get(url, {"status__exact": "draft"}).content.decode()


def test_actions_create_a_draft_then_publish_it(admin_client, sample_framework):
    url = reverse("admin:maturity_framework_changelist")
    admin_client.post(
        url, {"action": "new_draft_version", "_selected_action": [sample_framework.pk]}
    )
    draft = Framework.objects.get(slug="sample", version=2)
    assert draft.status == Framework.Status.DRAFT
    change = admin_client.get(reverse("admin:maturity_framework_change", args=[draft.pk]))
    assert 'name="_save"' in change.content.decode()
    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published


def test_the_download_action_returns_the_framework_file(admin_client, sample_framework):
    response = admin_client.post(
        reverse("admin:maturity_framework_changelist"),
        {"action": "download_yaml", "_selected_action": [sample_framework.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="sample-v1.yaml"'
    assert "slug: sample" in response.content.decode()
