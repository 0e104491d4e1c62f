"""Platypus flowables for Japanese report text: paragraphs broken by the kinsoku rules, tables
fitted to the frame, and module Markdown turned into both.

- ``linebreak``: where a line of a paragraph may end (the table is ``results.charts.kinsoku``);
- ``bold``: the outlined text that stands in for the bold face IPAex Gothic lacks;
- ``paragraph``: ``JPParagraph``, a reportlab ``Paragraph`` with that line breaking;
- ``table``: ``FitTable``, whose columns fit the frame when it is laid out;
- ``from_markdown``: ``markdown_flowables``, a module's Markdown as the above.
"""

from reports.flowables.from_markdown import default_styles, markdown_flowables
from reports.flowables.paragraph import JPParagraph
from reports.flowables.table import FitTable

__all__ = ["FitTable", "JPParagraph", "default_styles", "markdown_flowables"]
