"""The action page lists the action's evidence, with its status, and offers to add some to
whoever may (improvement.access.adds_evidence_to_action)."""

import pytest
from django.urls import reverse

from tests.improvement.evidence_support import add_text, answered_fixture  # noqa: F401
from tests.matrix import as_role

pytestmark = pytest.mark.django_db


def test_the_action_page_shows_its_evidence_and_the_add_link(client, answered):
    add_text(answered, action=answered.action, title="Churn dashboard screenshot")
    url = reverse("improvement:action", args=[answered.action.pk])
    page = as_role(client, answered, "org_admin").get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Churn dashboard screenshot" in html
    assert "Pending review" in html
    assert reverse("improvement:action-evidence-create", args=[answered.action.pk]) in html


def test_the_owner_may_add_evidence_and_the_other_manager_sees_no_page(client, answered):
    url = reverse("improvement:action", args=[answered.action.pk])
    page = as_role(client, answered, "staff").get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "No evidence yet." in html
    assert reverse("improvement:action-evidence-create", args=[answered.action.pk]) in html
    other = as_role(client, answered, "other_manager").get(url)
    assert other.status_code in (403, 404)
