"""Where a dimension score comes from: each respondent's answers with the scoring engine's
own arithmetic (Σ weight × score ÷ Σ weight), for the explanation page."""

from __future__ import annotations

import math

import pandas as pd

from assessments.selectors import dimension_answers
from maturity import scoring


def explained_answers(campaign, department, dimension, *, viewer, scale: scoring.Scale):
    """``assessments.selectors.dimension_answers`` (what ``viewer`` may read), each
    respondent with ``mean``, ``weight`` (the weight of the answers that count) and
    ``weighted`` (Σ weight × score) as ``scoring.respondent_scores`` computes them."""
    respondents = dimension_answers(campaign, department, dimension, viewer=viewer)
    answers = pd.DataFrame(
        [
            (
                each["response"].pk,
                department.pk,
                each["response"].rater_role,
                line["question"].pk,
                dimension.code,
                float(line["question"].weight),
                float(line["answer"].choice.score) if line["answer"].choice_id else math.nan,
                line["answer"].is_na,
            )
            for each in respondents
            for line in each["lines"]
            if line["answer"] is not None
        ],
        columns=scoring.ANSWER_COLUMNS,
    )
    questions = {line["question"] for each in respondents for line in each["lines"]}
    applicable = pd.DataFrame(
        [(department.pk, dimension.code, q.pk, float(q.weight)) for q in questions],
        columns=scoring.APPLICABLE_COLUMNS,
    )
    scores = scoring.respondent_scores(answers, applicable, scale)
    by_response = {row.response_id: row for row in scores.itertuples()}
    for each in respondents:
        row = by_response.get(each["response"].pk)
        mean = None if row is None or pd.isna(row.mean) else float(row.mean)
        weight = 0.0 if row is None else float(row.weight)
        each.update(mean=mean, weight=weight, weighted=0.0 if mean is None else mean * weight)
    return respondents
