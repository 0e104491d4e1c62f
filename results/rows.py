"""The score rows: one department's (or the organisation's) numbers per dimension, with its
streams (sub-groups), per area and overall, built once and read by the results pages, the API,
the CSV/XLSX exports and the PDF report.

Every level shown is the one the scored frames hold (``results.loader``: the framework's
declared level rule, floor, thresholds or gated), never one worked out again here; the overall
figure is the framework's declared overall rule (mean of areas or of dimensions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .loader import CampaignResults


def _level(value) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class StreamRow:
    """One stream (sub-group) of one dimension, for a department or the organisation."""

    stream: object
    mean: float | None
    score: float | None
    n: int = 0

    @property
    def title(self) -> str:
        """The stream's title, or "Stream A" when the file gives none."""
        return self.stream.title or _("Stream %(code)s") % {"code": self.stream.code}


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
    streams: list[StreamRow] = field(default_factory=list)


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
        level = _level(results.value("by_department", "level", **keys))
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
                streams=_stream_rows(
                    results, "by_department_stream", dimension, department_id=department_id
                ),
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
        level = _level(results.value("organisation", "level", **keys))
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
                streams=_stream_rows(results, "organisation_stream", dimension),
            )
        )
    return rows


def _stream_rows(results: CampaignResults, frame: str, dimension, **keys) -> list[StreamRow]:
    """The dimension's streams in the framework's order (none for a dimension without)."""
    streams = results.streams.get(dimension.code, [])
    rows = []
    for stream in streams:
        at = {**keys, "dimension": dimension.code, "stream": stream.code}
        rows.append(
            StreamRow(
                stream=stream,
                mean=results.value(frame, "mean", **at),
                score=results.value(frame, "score", **at),
                n=int(results.value(frame, "n", **at) or 0),
            )
        )
    return rows


@dataclass(frozen=True)
class AreaRow:
    """One area of one department (or of the organisation): the roll-up of its dimensions by
    the framework's area rule."""

    area: object
    mean: float | None
    score: float | None
    level: int | None
    level_title: str = ""
    n: int = 0
    # The organisation's mean of the area, beside a department's.
    organisation_mean: float | None = None


def department_area_rows(results: CampaignResults, department_id: int) -> list[AreaRow]:
    """The department's row per area, in the framework's order; empty without areas."""
    key = ("department-areas", department_id)
    if key not in results.presented:
        results.presented[key] = [
            _area_row(results, "by_department_area", area, department_id=department_id)
            for area in results.areas
        ]
    return results.presented[key]


def organisation_area_rows(results: CampaignResults) -> list[AreaRow]:
    """The organisation's row per area (the mean of the departments shown); empty without
    areas."""
    key = ("organisation-areas",)
    if key not in results.presented:
        results.presented[key] = [
            _area_row(results, "organisation_area", area) for area in results.areas
        ]
    return results.presented[key]


def _area_row(results: CampaignResults, frame: str, area, **keys) -> AreaRow:
    at = {**keys, "area": area.code}
    level = _level(results.value(frame, "level", **at))
    return AreaRow(
        area=area,
        mean=results.value(frame, "mean", **at),
        score=results.value(frame, "score", **at),
        level=level,
        level_title=results.level_titles.get(level, "") if level is not None else "",
        n=int(results.value(frame, "n", **at) or 0),
        organisation_mean=results.value("organisation_area", "mean", area=area.code),
    )


def department_area_means(results: CampaignResults) -> list[tuple[object, list[float | None]]]:
    """Each department with its mean per area, in the framework's order (the table beside
    the area heatmap)."""
    return [
        (department, [r.mean for r in department_area_rows(results, department.pk)])
        for department in results.departments
    ]


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
    """One figure for a department or the organisation by the framework's overall rule (the
    mean of its areas, or of its dimensions), with its 0–100 score, level and level title."""

    mean: float
    score: float | None
    level: int
    level_title: str


def overall(results: CampaignResults, department_id: int | None = None) -> Overall | None:
    """The overall figure of the department ``department_id``, or of the organisation; None
    when nothing is scored."""
    if department_id is None:
        frame, keys = "organisation_overall", {}
    else:
        frame, keys = "by_department_overall", {"department_id": department_id}
    mean = results.value(frame, "mean", **keys)
    level = _level(results.value(frame, "level", **keys))
    if mean is None or level is None:
        return None
    return Overall(
        mean=mean,
        score=results.value(frame, "score", **keys),
        level=level,
        level_title=results.level_titles.get(level, ""),
    )


def strengths_and_gaps(rows: list[DimensionRow], count: int = 3):
    """The ``count`` highest and lowest means, highest (lowest) first."""
    scored = [r for r in rows if r.mean is not None]
    strengths = sorted(scored, key=lambda r: r.mean, reverse=True)[:count]
    gaps = sorted(scored, key=lambda r: r.mean)[:count]
    return strengths, gaps
