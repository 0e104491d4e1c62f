"""The declared scoring rules in words, written once: the framework page, the explanation
page and the PDF all say what ``maturity.scoring_rules.ScoringRules`` means the same way."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .scoring_rules import ScoringRules


def _number(value: float) -> str:
    return f"{value:g}"


def _question_aggregate(name: str, low: int, high: int) -> str:
    return {
        "weighted_mean": _(
            "the weighted mean of its questions' values, each mapped onto the %(low)s–%(high)s "
            "scale"
        ),
        "mean": _(
            "the plain mean of its questions' values, each mapped onto the %(low)s–%(high)s scale"
        ),
        "sum": _("the sum of its questions' values (each times its weight)"),
    }[name] % {"low": low, "high": high}


def describe(rules: ScoringRules, scale: tuple[int, int], *, areas: bool = True) -> list[str]:
    """One sentence per part of the rule: dimension, unanswered, N/A, area and overall (when
    the framework has areas), level, precision. ``scale`` is (lowest, highest) level."""
    low, high = scale
    lines = []
    if rules.dimension == "mean_of_streams":
        lines.append(
            _(
                "A dimension's score is the mean of its streams' scores; a stream's score is "
                "%(stream)s."
            )
            % {"stream": _question_aggregate(rules.stream, low, high)}
        )
    elif rules.dimension == "sum_divided":
        lines.append(
            _(
                "A dimension's score is the sum of its questions' values (each times its "
                "weight) divided by %(divisor)s."
            )
            % {"divisor": _number(rules.divisor or 1)}
        )
    else:
        lines.append(
            _("A dimension's score is %(rule)s.")
            % {"rule": _question_aggregate(rules.dimension, low, high)}
        )
    if rules.unanswered is None:
        lines.append(_("Unanswered questions are left out."))
    else:
        lines.append(
            _("An unanswered question counts as a value of %(value)s.")
            % {"value": _number(rules.unanswered)}
        )
    if rules.not_applicable is None:
        lines.append(_("Questions answered N/A are left out."))
    else:
        lines.append(
            _("A question answered N/A counts as a value of %(value)s.")
            % {"value": _number(rules.not_applicable)}
        )
    if areas:
        lines.append(
            _("An area's score is the weighted mean of its dimensions' scores.")
            if rules.area == "weighted_mean"
            else _("An area's score is the mean of its dimensions' scores.")
        )
        lines.append(
            _("The overall score is the mean of the dimensions' scores.")
            if rules.effective_overall == "mean_of_dimensions"
            else _("The overall score is the mean of the areas' scores.")
        )
    else:
        lines.append(_("The overall score is the mean of the dimensions' scores."))
    if rules.level_rule == "thresholds":
        steps = ", ".join(
            _("level %(level)s from %(start)s") % {"level": t.level, "start": _number(t.start)}
            for t in rules.thresholds
        )
        lines.append(
            _("The level is set by thresholds on the score: %(steps)s; below them, level %(low)s.")
            % {"steps": steps, "low": low}
        )
    elif rules.level_rule == "gated":
        lines.append(
            _(
                "Level n is reached when every question of level n or below has a value of at "
                "least %(gate)s and every level below it is reached; otherwise the level stays "
                "at the highest reached (%(low)s if none)."
            )
            % {"gate": _number(rules.gate or 0), "low": low}
        )
    else:
        lines.append(_("The level is the score rounded down (2.7 is level 2)."))
    # A number that ends in 5 just past the shown places: half up rounds it away from zero.
    places = rules.precision
    written = "2.5" if places == 0 else "2." + "3" * places + "5"
    shown = f"{rules.round(float(written)):.{places}f}"
    lines.append(
        _(
            "Scores are shown to %(places)s decimal places, rounded half up "
            "(%(written)s → %(shown)s)."
        )
        % {"places": places, "written": written, "shown": shown}
    )
    return lines
