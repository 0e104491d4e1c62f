"""The result charts as Drawings (heatmaps of dimensions and of areas, radars) from the score
rows: the results pages turn them into SVG, the PDF report places them as they are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .charts.drawings import Cell, Series, bar_chart, heatmap, radar_chart
from .charts.palette import DEPARTMENT_COLOUR, ORGANISATION_COLOUR, PREVIOUS_COLOUR
from .loader import CampaignResults
from .rows import DimensionRow, department_area_rows


def _cell(results: CampaignResults, mean: float | None, level: float | None) -> Cell | None:
    """A heatmap cell: the mean to one decimal (half-up), coloured by the frame's level."""
    if mean is None:
        return None
    return Cell(score=results.rules.round(mean, 1), level=None if level is None else int(level))


def _heatmap(results: CampaignResults, departments, columns: list[str], cells, *, width: float):
    return heatmap(
        [d.name for d in departments],
        columns,
        cells,
        scale_min=results.scale.low,
        scale_max=results.scale.high,
        width=width,
    )


def heatmap_drawing(results: CampaignResults, *, width: float, departments=None):
    """Departments × dimensions: every department, or the ``departments`` given (the PDF
    draws a long list in parts that each fit a page)."""
    departments = results.departments if departments is None else departments
    cells = []
    for department in departments:
        row = []
        for dimension in results.dimensions:
            keys = {"department_id": department.pk, "dimension": dimension.code}
            row.append(
                _cell(
                    results,
                    results.value("by_department", "mean", **keys),
                    results.value("by_department", "level", **keys),
                )
            )
        cells.append(row)
    columns = [d.title for d in results.dimensions]
    return _heatmap(results, departments, columns, cells, width=width)


def area_heatmap_drawing(results: CampaignResults, *, width: float, departments=None):
    """Departments × areas (the framework's areas in order); None without areas."""
    if not results.areas:
        return None
    departments = results.departments if departments is None else departments
    cells = [
        [_cell(results, r.mean, r.level) for r in department_area_rows(results, department.pk)]
        for department in departments
    ]
    return _heatmap(results, departments, [a.title for a in results.areas], cells, width=width)


def _profile(results: CampaignResults, rows: list[DimensionRow], series: list[Series]):
    """A radar over the dimensions; a framework with fewer than three dimensions has no
    radar shape, so it gets bars of the first series instead."""
    labels = [r.dimension.title for r in rows]
    scale = {"scale_min": results.scale.low, "scale_max": results.scale.high}
    if len(rows) < 3:
        return bar_chart(labels, series[0].values, **scale)
    return radar_chart(labels, series, **scale)


def _previous(rows: list[DimensionRow]) -> list[Series]:
    """The previous campaign's dashed series, when there was a previous campaign."""
    if not any(r.previous_mean is not None for r in rows):
        return []
    values = [r.previous_mean for r in rows]
    return [Series(_("Previous campaign"), values, PREVIOUS_COLOUR, dashed=True)]


def organisation_radar(results: CampaignResults, rows: list[DimensionRow]):
    series = [Series(_("Organisation average"), [r.mean for r in rows], ORGANISATION_COLOUR)]
    return _profile(results, rows, series + _previous(rows))


def department_radar(results: CampaignResults, department, rows: list[DimensionRow]):
    series = [
        Series(department.name, [r.mean for r in rows], DEPARTMENT_COLOUR),
        Series(_("Organisation average"), [r.organisation_mean for r in rows], ORGANISATION_COLOUR),
    ]
    return _profile(results, rows, series + _previous(rows))
