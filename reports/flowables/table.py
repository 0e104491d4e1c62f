"""``FitTable``: a table whose columns are fitted to the frame when it is laid out."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table, TableStyle

from results.charts.fonts import FONT
from results.charts.palette import LINE, TABLE_HEADER


class FitTable(Flowable):
    """A table of JPParagraph cells whose column widths are fitted to the frame at layout time:
    natural widths when they fit, else each column between its unbreakable minimum and its
    natural width in proportion. The first row repeats on every page when it is a header."""

    PADDING = 4.0

    def __init__(self, rows: list[list[Flowable]], header: bool, style_commands=()):
        super().__init__()
        self.rows, self.header, self.style_commands = rows, header, list(style_commands)
        self.hAlign = "LEFT"
        self.spaceBefore, self.spaceAfter = 2, 8
        self._table: Table | None = None

    def column_widths(self, available: float) -> list[float]:
        count = max(len(row) for row in self.rows)
        pad = 2 * self.PADDING
        lows, highs = [pad] * count, [pad] * count
        for row in self.rows:
            for i, cell in enumerate(row):
                lows[i] = max(lows[i], cell.minWidth() + pad)
                highs[i] = max(highs[i], cell.natural_width() + pad + 0.5)
        if sum(highs) <= available:
            return highs
        if sum(lows) >= available:
            return [low * available / sum(lows) for low in lows]
        share = (available - sum(lows)) / (sum(highs) - sum(lows))
        return [low + (high - low) * share for low, high in zip(lows, highs, strict=True)]

    def wrap(self, availWidth, availHeight):
        widths = self.column_widths(availWidth)
        rows = [row + [""] * (len(widths) - len(row)) for row in self.rows]
        self._table = Table(rows, colWidths=widths, repeatRows=1 if self.header else 0)
        self._table.setStyle(TableStyle(self._commands()))
        self._table.hAlign = self.hAlign
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def _commands(self) -> list:
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),  # else Table sets an unused Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ]
        if self.header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), TABLE_HEADER))
        return commands + self.style_commands

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        return self._table.split(availWidth, availHeight)

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)
