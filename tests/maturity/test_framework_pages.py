"""The public page that presents a framework, in Japanese and English."""

import pytest
from django.urls import reverse

from maturity.services import create_draft_version

pytestmark = pytest.mark.django_db


def test_it_presents_dimensions_levels_and_both_poles(client, sample_framework):
    response = client.get(reverse("maturity:framework-detail", args=["sample"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "サンプル診断" in html
    assert "kpiの軸" in html and "dataの軸" in html
    assert "kpi 段階3" in html
    assert "新規受注だけを追う" in html and "LTVを追う" in html
    assert "獲得型" in html and "エンゲージメント型" in html


def test_it_speaks_english_when_asked(client, sample_framework):
    response = client.get(
        reverse("maturity:framework-detail", args=["sample"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sample check" in html and "kpi axis" in html and "Grow LTV" in html
    assert "Acquisition type" in html and "Engagement type" in html


def test_the_language_switch_sets_the_language(client, sample_framework):
    url = reverse("maturity:framework-detail", args=["sample"])
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert "Sample check" in client.get(url).content.decode()


def test_drafts_are_not_public(client, sample_framework):
    create_draft_version(framework=sample_framework)
    url = reverse("maturity:framework-version", args=["sample", 2])
    assert client.get(url).status_code == 404
    assert client.get(reverse("maturity:framework-version", args=["sample", 1])).status_code == 200


def test_an_unknown_framework_is_404(client, sample_framework):
    assert client.get(reverse("maturity:framework-detail", args=["nope"])).status_code == 404


def test_the_default_link_finds_a_published_framework(client, sample_framework):
    response = client.get(reverse("maturity:framework-default"))
    assert response.status_code == 302
    assert response["Location"] == reverse("maturity:framework-detail", args=["sample"])


def test_the_page_query_count_does_not_grow_with_questions(
    client, sample_framework, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get(reverse("maturity:framework-detail", args=["sample"]))
