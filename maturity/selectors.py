"""Reads of frameworks."""

from django.db.models import Prefetch, QuerySet

from .models import Dimension, Framework


def published_frameworks() -> QuerySet[Framework]:
    """Published versions, newest first within each slug."""
    return Framework.objects.filter(status=Framework.Status.PUBLISHED).order_by("slug", "-version")


def latest_published(slug: str) -> Framework | None:
    """The newest published version of ``slug``, or None."""
    return published_frameworks().filter(slug=slug).first()


def framework_with_content(framework_id: int) -> Framework:
    """A framework with its levels, areas, dimensions, level texts, questions and choices
    loaded in a fixed number of queries, whatever its size."""
    return (
        Framework.objects.filter(pk=framework_id)
        .prefetch_related(
            "levels",
            "areas",
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.select_related("area").prefetch_related(
                    "levels__recommendations", "questions__choices"
                ),
            ),
        )
        .get()
    )
