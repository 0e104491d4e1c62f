"""Turn scored results into what people read: rows for tables and the charts.

Written once for the results pages; the PDF report reuses the same rows and Drawings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from results.charts.drawings import Cell, Series, bar_chart, heatmap, radar_chart

from .charts.palette import DEPARTMENT_COLOUR, ORGANISATION_COLOUR, PREVIOUS_COLOUR
from .loader import CampaignResults


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return float(value)


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


_INDEXES: dict[int, tuple[pd.DataFrame, tuple, dict]] = {}


def _lookup(frame: pd.DataFrame | None, keys: dict, column: str):
    """The value of ``column`` in the row of ``frame`` matching ``keys``, or None.

    Rows are indexed once per frame (a report looks up thousands of cells), so each lookup
    is a dictionary access rather than a pandas filter.
    """
    if frame is None or frame.empty:
        return None
    names = tuple(keys)
    cached = _INDEXES.get(id(frame))
    if cached is None or cached[0] is not frame or cached[1] != names:
        if len(_INDEXES) > 256:
            _INDEXES.clear()
        index = {tuple(row[name] for name in names): row for row in frame.to_dict("records")}
        cached = (frame, names, index)
        _INDEXES[id(frame)] = cached
    row = cached[2].get(tuple(keys[name] for name in names))
    return None if row is None else _number(row.get(column))


def department_rows(results: CampaignResults, department_id: int) -> list[DimensionRow]:
    cache = results.presented
    if ("department", department_id) in cache:
        return cache[("department", department_id)]
    levels = results.level_titles
    rows = []
    for dimension in results.dimensions:
        keys = {"department_id": department_id, "dimension": dimension.code}
        mean = _lookup(results.by_department, keys, "mean")
        level = results.scale.level(mean) if mean is not None else None
        target = results.target_for(department_id, dimension.code)
        current, following, recommendations = _level_texts(dimension, level)
        rows.append(
            DimensionRow(
                dimension=dimension,
                mean=mean,
                score=_lookup(results.by_department, keys, "score"),
                level=level,
                n=int(_lookup(results.by_department, keys, "n") or 0),
                spread=_lookup(results.by_department, keys, "std"),
                organisation_mean=_lookup(
                    results.organisation, {"dimension": dimension.code}, "mean"
                ),
                previous_mean=_lookup(results.history, keys, "mean_previous"),
                delta=_lookup(results.history, keys, "delta"),
                target=target,
                gap=max(0.0, target - mean) if target is not None and mean is not None else None,
                self_mean=_lookup(results.perception_gap, keys, "mean_self"),
                other_mean=_lookup(results.perception_gap, keys, "mean_other"),
                perception_gap=_lookup(results.perception_gap, keys, "gap"),
                current_description=current,
                next_description=following,
                level_title=levels.get(level, ""),
                recommendations=recommendations,
            )
        )
    cache[("department", department_id)] = rows
    return rows


def organisation_rows(results: CampaignResults) -> list[DimensionRow]:
    levels = results.level_titles
    rows = []
    for dimension in results.dimensions:
        keys = {"dimension": dimension.code}
        mean = _lookup(results.organisation, keys, "mean")
        level = results.scale.level(mean) if mean is not None else None
        rows.append(
            DimensionRow(
                dimension=dimension,
                mean=mean,
                score=_lookup(results.organisation, keys, "score"),
                level=level,
                n=int(_lookup(results.organisation, keys, "n") or 0),
                previous_mean=_lookup(results.organisation_history, keys, "mean_previous"),
                delta=_lookup(results.organisation_history, keys, "delta"),
                level_title=levels.get(level, ""),
            )
        )
    return rows


def heatmap_drawing(results: CampaignResults, *, width: float | None = None):
    cells = []
    for department in results.departments:
        row = []
        for dimension in results.dimensions:
            keys = {"department_id": department.pk, "dimension": dimension.code}
            mean = _lookup(results.by_department, keys, "mean")
            row.append(
                None
                if mean is None
                else Cell(score=round(mean, 1), level=results.scale.level(mean))
            )
        cells.append(row)
    return heatmap(
        [d.name for d in results.departments],
        [d.title for d in results.dimensions],
        cells,
        scale_min=results.scale.low,
        scale_max=results.scale.high,
        width=width,
    )


def _profile(results: CampaignResults, rows: list[DimensionRow], series: list[Series]):
    """A radar over the dimensions; a framework with fewer than three dimensions has no
    radar shape, so it gets bars of the first series instead."""
    labels = [r.dimension.title for r in rows]
    scale = {"scale_min": results.scale.low, "scale_max": results.scale.high}
    if len(rows) < 3:
        return bar_chart(labels, series[0].values, **scale)
    return radar_chart(labels, series, **scale)


def organisation_radar(results: CampaignResults, rows: list[DimensionRow]):
    series = [Series(_("Organisation average"), [r.mean for r in rows], ORGANISATION_COLOUR)]
    if any(r.previous_mean is not None for r in rows):
        series.append(
            Series(
                _("Previous campaign"),
                [r.previous_mean for r in rows],
                PREVIOUS_COLOUR,
                dashed=True,
            )
        )
    return _profile(results, rows, series)


def department_radar(results: CampaignResults, department, rows: list[DimensionRow]):
    series = [
        Series(department.name, [r.mean for r in rows], DEPARTMENT_COLOUR),
        Series(_("Organisation average"), [r.organisation_mean for r in rows], ORGANISATION_COLOUR),
    ]
    if any(r.previous_mean is not None for r in rows):
        series.append(
            Series(
                _("Previous campaign"),
                [r.previous_mean for r in rows],
                PREVIOUS_COLOUR,
                dashed=True,
            )
        )
    return _profile(results, rows, series)


def strengths_and_gaps(rows: list[DimensionRow], count: int = 3):
    scored = [r for r in rows if r.mean is not None]
    strengths = sorted(scored, key=lambda r: r.mean, reverse=True)[:count]
    gaps = sorted(scored, key=lambda r: r.mean)[:count]
    return strengths, gaps
