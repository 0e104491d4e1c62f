"""The result charts as Drawings (heatmap, radars) from the score rows: the results pages
turn them into SVG, the PDF report places them as they are."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .charts.drawings import Cell, Series, bar_chart, heatmap, radar_chart
from .charts.palette import DEPARTMENT_COLOUR, ORGANISATION_COLOUR, PREVIOUS_COLOUR
from .loader import CampaignResults
from .rows import DimensionRow


def heatmap_drawing(results: CampaignResults, *, width: float):
    cells = []
    for department in results.departments:
        row = []
        for dimension in results.dimensions:
            keys = {"department_id": department.pk, "dimension": dimension.code}
            mean = results.value("by_department", "mean", **keys)
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
