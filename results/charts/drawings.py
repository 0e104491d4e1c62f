"""The charts LevelCheck draws, as reportlab Drawings: the same Drawing goes into the PDF and,
as SVG (``results.charts.svg``), into the pages.

Every function is pure: lists of labels and numbers in, a ``Drawing`` out, no database. Values
are on the framework's own scale (1–5, 0–3, …). Labels arrive already translated; the few
words a chart adds itself (the heatmap's legend) go through gettext. Colours come from
``results.charts.palette``.
"""

from results.charts.bars import bar_chart
from results.charts.heatmap import Cell, heatmap
from results.charts.radar import Series, radar_chart

__all__ = ["Cell", "Series", "bar_chart", "heatmap", "radar_chart"]
