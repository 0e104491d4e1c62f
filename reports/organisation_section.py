"""The organisation chapter of the campaign report (reports.campaign_report): the
departments × dimensions heatmap and the organisation's radar, the areas as a table and a
heatmap, and every dimension with its streams; numbered captions throughout."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from results import figures
from results import rows as presenters

from .document import BODY_WIDTH, FRAME_WIDTH

# Departments per heatmap figure: more would make a drawing taller than the page frame
# (platypus cannot split a Drawing), so a long organisation is drawn in parts.
HEATMAP_ROWS = 20


def _heatmaps(builder, draw, title: str) -> None:
    """One heatmap figure per ``HEATMAP_ROWS`` departments, each with its own header row;
    the captions number the parts (1/3, 2/3, …) when there is more than one."""
    departments = builder.results.departments
    chunks = [
        departments[start : start + HEATMAP_ROWS]
        for start in range(0, len(departments), HEATMAP_ROWS)
    ] or [departments]
    for number, chunk in enumerate(chunks, start=1):
        caption = title
        if len(chunks) > 1:
            caption = _("%(title)s (%(part)s/%(parts)s)") % {
                "title": title,
                "part": number,
                "parts": len(chunks),
            }
        builder.figure(draw(builder.results, width=BODY_WIDTH, departments=chunk), caption)


def organisation_section(builder, rows: list[presenters.DimensionRow]) -> None:
    """The organisation chapter: the heatmap and radar, the areas (table and heatmap) and
    the dimensions with their streams."""
    builder.heading(_("The organisation"))
    # The heatmaps are drawn from the frame's left padding: they get the width inside it (they
    # ran 2 pt past the right margin at the frame's full width).
    _heatmaps(builder, figures.heatmap_drawing, _("Mean by department and dimension"))
    builder.figure(
        figures.organisation_radar(builder.results, rows), _("The organisation's profile")
    )
    area_rows = presenters.organisation_area_rows(builder.results)
    if area_rows:
        builder.heading(_("Organisation by area"), 1)
        builder.area_table(area_rows, organisation=True, title=_("Organisation by area"))
        _heatmaps(builder, figures.area_heatmap_drawing, _("Mean by department and area"))
    builder.heading(_("Organisation by dimension"), 1)
    header = [_("Dimension"), _("Level"), _("Mean"), pgettext("score change", "Change")]
    body = []
    for r in rows:
        body.append(
            [r.dimension.title, builder.chip(r.level), builder.mean(r.mean), builder.delta(r.delta)]
        )
        body += [
            [builder.stream_cell(stream.title), "", builder.mean(stream.mean), ""]
            for stream in r.streams
        ]
    builder.table(
        [header] + body,
        [FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.15, FRAME_WIDTH * 0.15, FRAME_WIDTH * 0.15],
        title=_("Organisation by dimension"),
    )
    if builder.results.previous is not None:
        builder.p(_("Change: against %(name)s.") % {"name": builder.results.previous.name}, "small")
