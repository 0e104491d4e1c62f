"""The score rows: one department's (or the organisation's) numbers per dimension, built
once and read by the results pages, the API, the CSV/XLSX exports and the PDF report."""

from __future__ import annotations

from dataclasses import dataclass, field

from .loader import CampaignResults


@dataclass
class DimensionRow:
    """One dimension of one department (or of the organisation)."""

    dimension: object
    mean: float | None
    score: float | None
    level: int | None
    n: int = 0
    spread: float | None = None
    organisation_mean: float | None = None
    previous_mean: float | None = None
    delta: float | None = None
    target: int | None = None
    gap: float | None = None
    self_mean: float | None = None
    other_mean: float | None = None
    perception_gap: float | None = None
    current_description: str = ""
    next_description: str = ""
    level_title: str = ""
    recommendations: list[str] = field(default_factory=list)


def _level_texts(dimension, level: int | None) -> tuple[str, str, list[str]]:
    levels = {dl.level: dl for dl in dimension.levels.all()}
    if level is None:
        return "", "", []
    current = levels.get(level)
    following = levels.get(level + 1)
    recommendations = [r.text for r in current.recommendations.all()] if current else []
    return (
        current.description if current else "",
        following.description if following else "",
        recommendations,
    )


def department_rows(results: CampaignResults, department_id: int) -> list[DimensionRow]:
    """The department's row per dimension, in the framework's order (built once per
    ``results``)."""
    cache = results.presented
    if ("department", department_id) in cache:
        return cache[("department", department_id)]
    levels = results.level_titles
    rows = []
    for dimension in results.dimensions:
        keys = {"department_id": department_id, "dimension": dimension.code}
        mean = results.value("by_department", "mean", **keys)
        level = results.scale.level(mean) if mean is not None else None
        target = results.target_for(department_id, dimension.code)
        current, following, recommendations = _level_texts(dimension, level)
        rows.append(
            DimensionRow(
                dimension=dimension,
                mean=mean,
                score=results.value("by_department", "score", **keys),
                level=level,
                n=int(results.value("by_department", "n", **keys) or 0),
                spread=results.value("by_department", "std", **keys),
                organisation_mean=results.value("organisation", "mean", dimension=dimension.code),
                previous_mean=results.value("history", "mean_previous", **keys),
                delta=results.value("history", "delta", **keys),
                target=target,
                gap=max(0.0, target - mean) if target is not None and mean is not None else None,
                self_mean=results.value("perception_gap", "mean_self", **keys),
                other_mean=results.value("perception_gap", "mean_other", **keys),
                perception_gap=results.value("perception_gap", "gap", **keys),
                current_description=current,
                next_description=following,
                level_title=levels.get(level, ""),
                recommendations=recommendations,
            )
        )
    cache[("department", department_id)] = rows
    return rows


def organisation_rows(results: CampaignResults) -> list[DimensionRow]:
    """The organisation's row per dimension: the mean of the departments shown."""
    levels = results.level_titles
    rows = []
    for dimension in results.dimensions:
        keys = {"dimension": dimension.code}
        mean = results.value("organisation", "mean", **keys)
        level = results.scale.level(mean) if mean is not None else None
        rows.append(
            DimensionRow(
                dimension=dimension,
                mean=mean,
                score=results.value("organisation", "score", **keys),
                level=level,
                n=int(results.value("organisation", "n", **keys) or 0),
                previous_mean=results.value("organisation_history", "mean_previous", **keys),
                delta=results.value("organisation_history", "delta", **keys),
                level_title=levels.get(level, ""),
            )
        )
    return rows


def department_means(results: CampaignResults) -> list[tuple[object, list[float | None]]]:
    """Each department with its mean per dimension, in the framework's order (the table
    beside the heatmap)."""
    return [
        (
            department,
            [
                results.value(
                    "by_department", "mean", department_id=department.pk, dimension=d.code
                )
                for d in results.dimensions
            ],
        )
        for department in results.departments
    ]


@dataclass(frozen=True)
class Overall:
    """One figure for a department or the organisation: the mean over its scored
    dimensions (each dimension counts once), its level and the level's title."""

    mean: float
    level: int
    level_title: str


def overall(results: CampaignResults, rows: list[DimensionRow]) -> Overall | None:
    """The overall figure of ``rows`` (``department_rows`` or ``organisation_rows``); None
    when no dimension has a score."""
    scored = [r.mean for r in rows if r.mean is not None]
    if not scored:
        return None
    mean = sum(scored) / len(scored)
    level = results.scale.level(mean)
    return Overall(mean=mean, level=level, level_title=results.level_titles.get(level, ""))


def strengths_and_gaps(rows: list[DimensionRow], count: int = 3):
    """The ``count`` highest and lowest means, highest (lowest) first."""
    scored = [r for r in rows if r.mean is not None]
    strengths = sorted(scored, key=lambda r: r.mean, reverse=True)[:count]
    gaps = sorted(scored, key=lambda r: r.mean)[:count]
    return strengths, gaps
