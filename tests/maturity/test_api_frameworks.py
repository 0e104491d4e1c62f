"""The framework API: published versions only, texts in the request language."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_it_lists_published_frameworks(sample_framework):
    response = APIClient().get("/api/v1/frameworks/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [f["slug"] for f in response.json()] == ["sample"]
    assert response.json()[0]["title"] == "Sample check"


def test_it_returns_a_framework_with_its_content(sample_framework):
    response = APIClient().get(f"/api/v1/frameworks/{sample_framework.pk}/")
    body = response.json()
    assert body["title"] == "サンプル診断"
    assert [d["code"] for d in body["dimensions"]] == ["kpi", "data"]
    question = body["dimensions"][0]["questions"][1]
    assert question["functions"] == ["sales"] and question["allow_na"] is True
    assert [c["score"] for c in question["choices"]] == ["1.00", "3.00", "5.00"]
    assert body["dimensions"][0]["levels"][0]["recommendations"] == ["kpi 次へ1"]


def test_it_hides_drafts(sample_framework):
    from maturity.services import create_draft_version

    draft = create_draft_version(framework=sample_framework)
    assert APIClient().get(f"/api/v1/frameworks/{draft.pk}/").status_code == 404


def test_the_openapi_schema_is_served(db):
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/frameworks/" in response.content
