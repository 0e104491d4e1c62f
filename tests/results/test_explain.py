"""The explanation page's arithmetic is the scoring engine's: an N/A answer is left out of
both the weight and the weighted sum, and each respondent's mean is the one that makes the
department mean."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.services import AnswerInput
from results.loader import shown_results

pytestmark = pytest.mark.django_db


def test_an_na_answer_counts_in_neither_the_weight_nor_the_mean(client, cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    top = {code: list(q.choices.all()) for code, q in cast.questions.items()}
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(question_id=cast.questions["kpi-q0"].pk, choice_id=top["kpi-q0"][1].pk),
            # kpi-q1 weighs 2 and allows N/A (sales only)
            AnswerInput(question_id=cast.questions["kpi-q1"].pk, is_na=True, na_reason="n/a"),
        ],
    )
    services.submit_response(response=cast.response)
    client.force_login(cast.users.org_admin)
    url = reverse("results:explain", args=[cast.campaign.pk, cast.sales.pk, "kpi"])
    reply = client.get(url)
    (respondent,) = reply.context["respondents"]
    assert (respondent["weighted"], respondent["weight"], respondent["mean"]) == (3.0, 1.0, 3.0)
    assert [line["counted"] for line in respondent["lines"]] == [True, False]
    assert "3.00 ÷ 1.00 = <strong>3.00</strong>" in reply.content.decode()
    results = shown_results(cast.campaign)
    assert results.department_mean(cast.sales.pk, "kpi") == respondent["mean"]
