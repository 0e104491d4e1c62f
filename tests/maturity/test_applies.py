"""Whether a question applies to a department: one rule, the same answer everywhere."""

import pytest

from maturity.functions import applies
from maturity.selectors import question_rules


@pytest.mark.parametrize(
    "functions, function, expected",
    [
        ([], "sales", True),  # no list: every department
        (None, "sales", True),
        (["sales"], "sales", True),
        (["sales", "marketing"], "marketing", True),
        (["sales"], "customer_success", False),
        (["inside_sales"], "sales", False),  # a whole code, not a part of one
    ],
)
def test_it_applies_to_listed_functions_or_to_all_when_none_are_listed(
    functions, function, expected
):
    assert applies(functions, function) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("function", ["sales", "customer_success"])
def test_the_question_and_its_cached_rule_agree(sample_framework, function):
    questions = list(sample_framework.questions.order_by("code"))
    rules = question_rules(sample_framework)
    by_question = [q.code for q in questions if q.applies_to(function)]
    by_rule = [q.code for q in questions if rules[q.pk].applies_to(function)]
    assert by_question == by_rule
    expected = (
        ["data-q0", "kpi-q0"]
        if function != "sales"
        else [
            "data-q0",
            "data-q1",
            "kpi-q0",
            "kpi-q1",
        ]
    )
    assert by_question == expected
