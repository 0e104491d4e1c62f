"""Where a dimension score comes from: each respondent's answers with the scoring engine's
own arithmetic under the framework's declared rule (``maturity.scoring_rules``), for the
explanation page: the rule in words, then per respondent the values that count and the
sum or mean that makes the score (Σ weight × score ÷ Σ weight for the default rule,
Σ values ÷ 2 for a sum ÷ 2, the streams' mean for mean_of_streams, …)."""

from __future__ import annotations

import math

import pandas as pd

from assessments.selectors import dimension_answers
from maturity import scoring
from maturity.business_models import applies, worded
from maturity.models import Stream
from maturity.scoring_rules import ScoringRules
from maturity.scoring_text import describe


class Explanation(list):
    """The respondents (a list, as the page iterates them) with the rule beside them:
    ``rules`` and ``rule_text`` (the declared rule in words, one sentence a line)."""

    rules: ScoringRules
    rule_text: list[str]


def _number(value: float, rules: ScoringRules) -> str:
    """A number as the explanation prints it: the declared precision, half-up."""
    rounded = rules.round(value)
    return f"{rounded:.{rules.precision}f}"


def _format_plain(value: float) -> str:
    """2 → "2", 0.25 → "0.25" (a value as a file writes it)."""
    return f"{value:g}"


def explained_answers(
    campaign, department, dimension, *, viewer, scale: scoring.Scale, rules=None
) -> Explanation:
    """``assessments.selectors.dimension_answers`` (what ``viewer`` may read), each
    respondent with ``mean``, ``weight`` (the weight of the answers that count),
    ``weighted`` (Σ weight × score) and ``arithmetic`` (the declared rule's sum before its
    result, e.g. "(1 + 0.25 + 0.25 + 0 + 0 + 0) ÷ 2") as ``scoring.respondent_scores``
    computes them; each line with ``value`` (the value that counts), ``by_rule`` (counted
    by the unanswered or N/A rule, not chosen) and ``counted``."""
    if rules is None:
        rules = ScoringRules.from_data(getattr(campaign.framework, "scoring", None))
    respondents = _worded(
        dimension_answers(campaign, department, dimension, viewer=viewer),
        campaign.organisation.business_model,
    )
    streams = dict(Stream.objects.filter(dimension=dimension).values_list("id", "code"))
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
                streams.get(line["question"].stream_id),
                float(line["answer"].choice.score) if line["answer"].choice_id else math.nan,
                math.nan if line["question"].level is None else float(line["question"].level),
            )
            for each in respondents
            for line in each["lines"]
            if line["answer"] is not None
        ],
        columns=scoring.ANSWER_V2_COLUMNS,
    )
    questions = {line["question"] for each in respondents for line in each["lines"]}
    applicable = pd.DataFrame(
        [
            (
                department.pk,
                dimension.code,
                q.pk,
                float(q.weight),
                streams.get(q.stream_id),
                math.nan if q.level is None else float(q.level),
                math.nan if q.value_min is None else float(q.value_min),
                math.nan if q.value_max is None else float(q.value_max),
            )
            for q in questions
        ],
        columns=scoring.APPLICABLE_V2_COLUMNS,
    )
    scores = scoring.respondent_scores(answers, applicable, scale, rules)
    by_response = {row.response_id: row for row in scores.itertuples()}
    values = (
        scoring.question_values(answers, applicable, scale, rules)
        if len(answers)
        else pd.DataFrame(columns=["response_id", "question_id", "value", "score", "counted"])
    )
    counted = {
        (row.response_id, row.question_id): row for row in values.itertuples() if bool(row.counted)
    }
    raw = rules.raw_values or (rules.dimension == "mean_of_streams" and rules.stream == "sum")
    for each in respondents:
        row = by_response.get(each["response"].pk)
        mean = None if row is None or pd.isna(row.mean) else float(row.mean)
        weight = 0.0 if row is None else float(row.weight)
        terms = []
        for line in each["lines"]:
            found = counted.get((each["response"].pk, line["question"].pk))
            line["by_rule"] = found is not None and not line["counted"]
            line["counted"] = found is not None
            line["value"] = None if found is None else float(found.value)
            # The value on the scale, where the rule maps values (not where it adds them).
            line["scale_score"] = None if found is None or raw else float(found.score)
            if found is not None:
                terms.append((line, float(line["question"].weight), found))
        each.update(
            mean=mean,
            weight=weight,
            weighted=0.0 if mean is None else mean * weight,
            arithmetic=_arithmetic(rules, terms, mean, weight),
        )
    explanation = Explanation(respondents)
    explanation.rules = rules
    # The rule in the words the framework page and the PDF use (maturity.scoring_text).
    explanation.rule_text = describe(
        rules,
        (scale.low, scale.high),
        areas=dimension.area_id is not None,
    )
    return explanation


def _worded(respondents: list[dict], business_model: str) -> list[dict]:
    """The respondents' lines of the questions that apply to the organisation's business
    model, question and chosen label worded for it (``maturity.business_models``)."""
    labels: dict[int, dict[int, str]] = {}
    for each in respondents:
        lines = []
        for line in each["lines"]:
            question = line["question"]
            if not applies(question.business_models, business_model):
                continue
            if question.pk not in labels:
                wording = worded(question, business_model)
                labels[question.pk] = dict(
                    zip((c.pk for c in question.choices.all()), wording.choice_labels, strict=True)
                )
                question.text = wording.text
            answer = line["answer"]
            if answer is not None and answer.choice_id in labels[question.pk]:
                answer.choice.label = labels[question.pk][answer.choice_id]
            lines.append(line)
        each["lines"] = lines
    return respondents


def _arithmetic(rules: ScoringRules, terms, mean: float | None, weight: float) -> str:
    """The declared rule's arithmetic for one respondent up to its result (the page adds
    "= mean"); "" for the weighted mean (the page prints Σ weight × score ÷ Σ weight)."""
    if mean is None or rules.dimension == "weighted_mean":
        return ""

    def weighted(w, value):
        text = _format_plain(value)
        return text if w == 1 else f"{_format_plain(w)} × {text}"

    if rules.dimension == "mean":
        scores = " + ".join(_number(found.score, rules) for _line, _w, found in terms)
        return f"({scores}) ÷ {len(terms)}"
    if rules.dimension in ("sum", "sum_divided"):
        total = " + ".join(weighted(w, found.value) for _line, w, found in terms)
        if rules.dimension == "sum":
            return total
        return f"({total}) ÷ {_format_plain(rules.divisor)}"
    # mean_of_streams: each stream's figure, then their mean
    by_stream: dict[str, list] = {}
    for _line, w, found in terms:
        by_stream.setdefault(found.stream, []).append((w, found))
    parts = []
    for code, items in by_stream.items():
        if rules.stream == "sum":
            figure = sum(w * f.value for w, f in items)
        elif rules.stream == "mean":
            figure = sum(f.score for _w, f in items) / len(items)
        else:
            total = sum(w for w, _f in items)
            figure = sum(w * f.score for w, f in items) / total if total else math.nan
        parts.append(f"{code} {_number(figure, rules)}")
    return f"({' + '.join(parts)}) ÷ {len(parts)}"
