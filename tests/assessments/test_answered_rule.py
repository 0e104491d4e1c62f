"""What counts as answered — a choice or N/A, never a comment alone — is one rule: the
database condition, the model property and every count built on them agree."""

import pytest

from assessments import selectors, services
from assessments.models import Answer
from assessments.services import AnswerInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_kinds(cast):
    """A choice, an N/A with its reason, and a comment alone, in the sales manager's response."""
    q = cast.questions
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(question_id=q["kpi-q0"].pk, choice_id=q["kpi-q0"].choices.first().pk),
            AnswerInput(question_id=q["kpi-q1"].pk, is_na=True, na_reason="no quota"),
            AnswerInput(question_id=q["data-q0"].pk, comment="only a note"),
        ],
    )
    return q


def test_the_condition_and_the_property_agree(cast, three_kinds):
    answers = Answer.objects.filter(response=cast.response).select_related("question")
    by_property = sorted(a.question.code for a in answers if a.is_answered)
    by_condition = sorted(Answer.objects.answered().values_list("question__code", flat=True))
    assert by_property == by_condition == ["kpi-q0", "kpi-q1"]


def test_every_count_counts_the_same_two(cast, three_kinds):
    assert selectors.answered_count(cast.response) == 2
    [own] = [r for r in selectors.responses_of(cast.users.manager) if r.pk == cast.response.pk]
    assert (own.answered, own.total) == (2, 4)
    progress = {row["department"].pk: row for row in selectors.campaign_progress(cast.campaign)}
    [sales] = progress[cast.sales.pk]["responses"]
    assert (sales.answered, sales.total, sales.percent) == (2, 4, 50)
