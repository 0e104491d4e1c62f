"""The report's layout rules as flowables: numbered captions, tables that never leave one row
alone on a page, and level chips.

- ``Captions``: numbers the figures and tables of one report (「図1」/"Figure 1",
  「表1」/"Table 1"); a figure's caption sits under it, a table's above it, kept with it.
- ``ReportTable``: a table of at most ``KEEP_ROWS`` body rows moves to the next page whole;
  a longer one splits between rows, never leaving fewer than ``MIN_ROWS`` body rows on
  either page (its header row repeats).
- ``LevelChip``: a small rounded box in the level's palette colour with the level's number,
  its text white or ink, whichever meets WCAG AA (4.5:1) on that fill.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from results import formatting as fmt
from results.charts.fonts import FONT_BOLD
from results.charts.palette import INK, WHITE, contrast, level_colour

from .document import SCALE
from .flowables import FitTable, JPParagraph

KEEP_ROWS = 6  # a table of up to this many body rows is never split
MIN_ROWS = 2  # a split table leaves at least this many body rows on each page
AFTER_TABLE = 10  # points between a table and the text after it
AA = 4.5  # WCAG AA contrast for normal-size text
LEAD_IN = 60  # characters: a paragraph this short under a heading stays with its table


def keep_leading_headings(story: list, group: KeepTogether) -> KeepTogether:
    """Moves the headings (flowables that keep with the next) at the end of ``story`` into
    ``group``: platypus does not join a heading to a KeepTogether that follows it, so a
    heading would be left at a page's end with its table or chart on the next page."""
    lead = []
    if len(story) >= 2 and _lead_in(story[-1]) and story[-2].getKeepWithNext():
        lead.insert(0, story.pop())  # a one-line lead-in under a heading goes along too
    while story and not isinstance(story[-1], CondPageBreak) and story[-1].getKeepWithNext():
        lead.insert(0, story.pop())
    group._content[:0] = lead
    return group


def _lead_in(flowable) -> bool:
    """A short paragraph (at most ``LEAD_IN`` characters) that introduces what follows."""
    return isinstance(flowable, Paragraph) and len(flowable.getPlainText()) <= LEAD_IN


class Captions:
    """Figure and table numbers of one report, counted in story order."""

    def __init__(self, styles: dict):
        self.styles = styles
        self.figures = 0
        self.tables = 0

    def figure(self, flowable, title: str) -> KeepTogether:
        """``flowable`` with 「図n タイトル」 under it, kept together."""
        self.figures += 1
        text = _("Figure %(number)s. %(title)s") % {"number": self.figures, "title": title}
        return KeepTogether([flowable, JPParagraph(escape(text), self.styles["caption"])])

    def table_caption(self, title: str) -> JPParagraph:
        self.tables += 1
        text = _("Table %(number)s. %(title)s") % {"number": self.tables, "title": title}
        return JPParagraph(escape(text), self.styles["table_caption"])

    def table(self, table: Table, title: str, *, width: float) -> list:
        """``table`` with its caption above and space after it. A short table is kept whole
        with its caption; a long one starts only where its caption, header and first
        ``MIN_ROWS`` rows fit (a CondPageBreak measured on the table), and then splits."""
        caption = self.table_caption(title)
        header = table.repeatRows or 0
        body_rows = len(table._cellvalues) - header
        if body_rows <= KEEP_ROWS:
            return [KeepTogether([caption, table]), Spacer(1, AFTER_TABLE)]
        caption.keepWithNext = 0  # the CondPageBreak keeps it with the table's first rows
        table.wrap(width, 10**6)
        first_rows = sum(table._rowHeights[: header + MIN_ROWS])
        need = caption.wrap(width, 10**6)[1] + caption.style.spaceAfter + first_rows
        return [CondPageBreak(need + 6), caption, table, Spacer(1, AFTER_TABLE)]

    def markdown(self, story: list, flowables: list, title: str) -> None:
        """Appends module or commentary Markdown (``markdown_flowables``) to ``story`` with a
        numbered caption above each of its tables, titled ``title``; a short table is kept
        whole with its caption and the heading right above it."""
        for flowable in flowables:
            if not isinstance(flowable, FitTable):
                story.append(flowable)
                continue
            caption = self.table_caption(title)
            body_rows = len(flowable.rows) - (1 if flowable.header else 0)
            if body_rows <= KEEP_ROWS:
                kept = keep_leading_headings(story, KeepTogether([caption, flowable]))
                story += [kept, Spacer(1, AFTER_TABLE)]
            else:
                story += [caption, flowable, Spacer(1, AFTER_TABLE)]


class ReportTable(Table):
    """A table that, when it splits, leaves at least ``MIN_ROWS`` body rows on each page."""

    def _getFirstPossibleSplitRowPosition(self, availHeight, ignoreSpans=0):  # noqa: N802, N803
        n = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        rows = len(self._rowHeights)
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if n <= 0 or n >= rows:
            return n
        if rows - n < MIN_ROWS:  # too few left for the next page: split earlier
            n = rows - MIN_ROWS
        if n - header < MIN_ROWS:  # too few on this page: move the table on
            return 0
        return n


def chip_colours(level: int, low: int, high: int) -> tuple[Color, Color]:
    """(fill, text) of a level chip: the palette colour, and white or ink, whichever
    contrasts more; a fill on which neither reaches AA is darkened until white does."""
    fill = level_colour(level, low, high)
    text = WHITE if contrast(fill, WHITE) >= contrast(fill, INK) else INK
    while contrast(fill, text) < AA:  # only a blended fill can land here
        fill = HexColor("#{:02x}{:02x}{:02x}".format(*(int(c * 255 * 0.9) for c in fill.rgb())))
        text = WHITE
    return fill, text


class LevelChip(Flowable):
    """The level's number on a small rounded box of its colour."""

    def __init__(self, level, low: int, high: int, *, size: float = SCALE["caption"][0]):
        super().__init__()
        self.level = None if fmt.missing(level) else int(level)
        self.low, self.high, self.size = low, high, size
        self.width, self.height = size * 2.6, size * 1.6

    def wrap(self, available_width, available_height):
        return self.width, self.height

    @property
    def text(self) -> str:
        return fmt.level(self.level)

    def draw(self):
        canvas = self.canv
        if self.level is None:  # no number: the dash, no box
            canvas.setFont(FONT_BOLD, self.size)
            canvas.setFillColor(INK)
            canvas.drawString(2, self.size * 0.45, fmt.DASH)
            return
        fill, text = chip_colours(self.level, self.low, self.high)
        canvas.saveState()
        canvas.setFillColor(fill)
        canvas.roundRect(0, 0, self.width, self.height, self.height / 3, stroke=0, fill=1)
        canvas.setFillColor(text)
        canvas.setFont(FONT_BOLD, self.size)
        canvas.drawCentredString(self.width / 2, self.size * 0.45, self.text)
        canvas.restoreState()
