"""What a new action starts with when it is made from a plan row or a recommendation: its
dimension, planned level, title and the recommendation it carries out. The form shows these
as initial values; ``services.create_action_from_*`` write them."""

from __future__ import annotations

from django.utils.text import Truncator

from maturity.models import Recommendation

from ..models import TITLE_MAX_LENGTH


def _recommendation_for(dimension, level: int | None) -> Recommendation | None:
    if level is None:
        return None
    return (
        Recommendation.objects.filter(
            dimension_level__dimension=dimension, dimension_level__level=level
        )
        .order_by("order", "pk")
        .first()
    )


def plan_row_defaults(row) -> dict:
    """What an action made from a plan row (``results.plan.PlanRow``) starts with: its
    dimension, its target as the planned level, and the row's first recommendation (or what
    the next level looks like) as the title, with that recommendation linked."""
    recommendation = _recommendation_for(row.dimension, row.level)
    return {
        "dimension_code": row.dimension.code,
        "planned_level": row.target,
        "title": Truncator(row.action or row.dimension.title).chars(TITLE_MAX_LENGTH),
        "recommendation": recommendation,
    }


def recommendation_defaults(recommendation: Recommendation) -> dict:
    """What an action made from a recommendation starts with: its dimension, its text (cut
    to the title's length) as the title, the level above the recommendation's as the
    planned level, and the recommendation linked."""
    level = recommendation.dimension_level
    return {
        "dimension_code": level.dimension.code,
        "title": Truncator(recommendation.text).chars(TITLE_MAX_LENGTH),
        "planned_level": level.level + 1
        if level.level < level.dimension.framework.scale_max
        else level.level,
        "recommendation": recommendation,
        "description": recommendation.text if len(recommendation.text) > TITLE_MAX_LENGTH else "",
    }
