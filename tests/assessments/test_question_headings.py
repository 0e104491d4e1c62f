"""Each question of the questionnaire is a heading: a screen reader user moves from question
to question with the heading keys (issue 17: each question reachable by heading)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_question_on_the_page_is_a_heading_inside_its_legend(client, cast):
    client.force_login(cast.users.manager)
    html = client.get(
        reverse("assessments:questionnaire", args=[cast.response.pk, "kpi"])
    ).content.decode()
    headings = re.findall(r'<legend class="q-legend"><h2 class="q-text">(.*?)</h2></legend>', html)
    shown = [
        q for q in cast.questions.values() if q.dimension.code == "kpi" and q.applies_to("sales")
    ]
    assert len(headings) == len(shown) >= 2
    assert all(any(q.text in h for h in headings) for q in shown)
    # Under the page's h1 (the dimension), no level skipped.
    assert "<h1>" in html and "<h3" not in html.split('class="q-legend"')[1].split("</legend>")[0]
