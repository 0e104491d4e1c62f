"""The report page: A4, running header and footer ("page x of y"), a table of contents,
and paragraph styles in the embedded Japanese font.

Every text in the PDF is drawn with IPAex Gothic (results.charts.fonts); the canvas starts with it
too, so no unused Helvetica is left in the file un-embedded.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from results.charts.fonts import FONT, FONT_BOLD
from results.charts.palette import BRAND, INK, LINE, MUTED

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
FRAME_PADDING = 6  # reportlab's Frame default on each side
BODY_WIDTH = FRAME_WIDTH - 2 * FRAME_PADDING  # what a left-aligned flowable gets inside it


# The one typographic scale: every text of the report takes its size and leading from here.
SCALE = {
    "caption": (7.5, 11),
    "small": (8, 12),
    "cell": (8.5, 12.5),
    "body": (9.5, 15.5),
    "h3": (10.5, 16),
    "h2": (12.5, 19),
    "h1": (16, 24),
    "addressee": (18, 26),
    "title": (24, 34),
}


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name, all in the Japanese font with CJK wrapping, sized from
    ``SCALE``."""
    base = {
        "fontName": FONT,
        "bulletFontName": FONT,
        "textColor": INK,
        "wordWrap": "CJK",
        "alignment": TA_LEFT,
    }

    def style(name: str, step: str, **overrides) -> ParagraphStyle:
        size, leading = SCALE[step]
        return ParagraphStyle(name, **{**base, "fontSize": size, "leading": leading, **overrides})

    bold = {"fontName": FONT_BOLD}
    keep = {"keepWithNext": 1}  # a heading never ends a page
    return {
        "title": style("title", "title", **bold),
        "subtitle": style("subtitle", "h2", textColor=MUTED),
        "lead": style("lead", "h3", **bold, textColor=BRAND),
        "cover_addressee": style("cover_addressee", "addressee", **bold),
        "confidential": style("confidential", "small", **bold, textColor=MUTED),
        "h1": style("h1", "h1", **bold, **keep, spaceBefore=6, spaceAfter=8, textColor=BRAND),
        "h2": style("h2", "h2", **bold, **keep, spaceBefore=10, spaceAfter=5),
        "h3": style("h3", "h3", **bold, **keep, spaceBefore=6, spaceAfter=3),
        "body": style("body", "body", spaceAfter=4),
        "small": style("small", "small", textColor=MUTED),
        "caption": style("caption", "caption", textColor=MUTED, spaceBefore=3, spaceAfter=10),
        "table_caption": style("table_caption", "caption", **bold, **keep, spaceAfter=3),
        "cell": style("cell", "cell"),
        "cell_bold": style("cell_bold", "cell", **bold),
        "chip": style("chip", "caption", **bold, alignment=1),
        "bullet": style("bullet", "body", leading=15, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "toc1": style("toc1", "h3", leading=20, leftIndent=0),
        "toc2": style("toc2", "body", leading=16, leftIndent=14, textColor=MUTED),
    }


class Heading(Paragraph):
    """A heading that appears in the table of contents and the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(text, style)
        self.toc_level = level
        self.toc_text = text


class NumberedCanvas(pdfcanvas.Canvas):
    """Defers drawing the footer until the page count is known ("page x of y")."""

    def __init__(
        self,
        *args,
        header: str = "",
        footer: str = "",
        page_label: str = "{page} / {pages}",
        **kwargs,
    ):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        self._header, self._footer, self._page_label = header, footer, page_label

    def showPage(self):  # noqa: N802 - reportlab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:  # the cover stays clean
                self._draw_running(total)
            super().showPage()
        super().save()

    def _draw_running(self, total: int) -> None:
        width, height = A4
        self.saveState()
        self.setStrokeColor(LINE)
        self.setLineWidth(0.5)
        self.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
        self.setFont(FONT, SCALE["caption"][0])
        self.setFillColor(MUTED)
        self.drawString(MARGIN, height - 10 * mm, self._header)
        self.drawString(MARGIN, 8 * mm, self._footer)
        self.drawRightString(
            width - MARGIN, 8 * mm, self._page_label.format(page=self._pageNumber, pages=total)
        )
        self.restoreState()


Progress = Callable[[str, int, "int | None"], None]
"""``progress(stage, done, total)``: "data" (scoring done), "layout" after each page laid out
(``total`` None until a first pass has counted the pages) and "done" (total pages)."""


@dataclass
class Running:
    header: str
    footer: str
    page_label: str


class ReportDocument(BaseDocTemplate):
    """A4 document whose ``Heading`` flowables feed the table of contents and outline."""

    def __init__(
        self,
        filename,
        *,
        title: str,
        author: str,
        running: Running,
        progress: Progress | None = None,
        **kwargs,
    ):
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author=author,
            creator="LevelCheck",
            initialFontName=FONT,  # no default Helvetica left in the file
            **kwargs,
        )
        self.running = running
        frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, A4[1] - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._heading_count = 0
        self.progress = progress
        self._pages_known: int | None = None  # the page count of the previous pass
        self._pages_laid = 0

    def beforeDocument(self):  # noqa: N802 - reportlab's name
        # multiBuild runs several passes; the same heading must get the same key each time.
        self._heading_count = 0
        if self._pages_laid:  # a later pass: the previous one counted the pages
            self._pages_known = self._pages_laid
        self._pages_laid = 0

    def afterPage(self):  # noqa: N802 - reportlab's name
        self._pages_laid = self.page
        if self.progress is not None:
            self.progress("layout", self.page, self._pages_known)

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        if isinstance(flowable, Heading):
            self._heading_count += 1
            key = f"h{self._heading_count}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level, closed=True)
            if (
                flowable.toc_level == 0
            ):  # the outline has every heading; the contents page the chapters
                self.notify("TOCEntry", (0, flowable.toc_text, self.page, key))

    def build_pdf(self, story: list) -> None:
        with collector_slowed():
            self._build_pdf(story)

    def _build_pdf(self, story: list) -> None:
        running = self.running

        def make_canvas(*args, **kwargs):
            return NumberedCanvas(
                *args,
                header=running.header,
                footer=running.footer,
                page_label=running.page_label,
                **kwargs,
            )

        if self.progress is None:
            self.multiBuild(story, canvasmaker=make_canvas)
            return
        self.multiBuild(story, canvasmaker=make_canvas)
        self.progress("done", self._pages_laid, self._pages_laid)


# While a document builds, Python's cycle collector runs a young-generation pass every 50,000
# new objects instead of every 700 (and older passes proportionally less often).
BUILD_COLLECTOR_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def collector_slowed() -> Iterator[None]:
    """Python's cycle collector slowed down while a document is built. A build makes
    hundreds of thousands of short-lived objects (a unit per character, frags, lines, cells);
    with the default thresholds their collections cost about a fifth of a report's CPU time
    (bench/report.py). Slowed, not stopped: the build's cyclic garbage is still collected, so
    a 50-department report peaks about 70 MB lower than with the collector off. The
    thresholds found are restored after."""
    found = gc.get_threshold()
    gc.set_threshold(*BUILD_COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*found)


LEADER_STEP = 4.5  # points between leader dots: every line's dots sit on the same grid
PAGE_COLUMN = 24  # the page numbers' right-aligned column


class AlignedContents(TableOfContents):
    """The contents with aligned dot leaders: every entry's dots sit on one horizontal grid
    and stop before a fixed right column, where the page numbers are right-aligned."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        entries = self._lastEntries or [(0, "", 0, None)]

        def leader(canvas, kind, label):
            page, level = (int(part) for part in label.split(",")[:2])
            style = self.getLevelStyle(level)
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            right = availWidth - PAGE_COLUMN
            first = (int((x + 3) / LEADER_STEP) + 1) * LEADER_STEP
            count = int((right - first) / LEADER_STEP)
            canvas.saveState()
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(MUTED)
            if count > 0:
                dot = stringWidth(".", style.fontName, style.fontSize)
                canvas.drawString(first, y, "." * count, charSpace=LEADER_STEP - dot)
            canvas.setFillColor(style.textColor)
            canvas.drawRightString(availWidth, y, str(page))
            canvas.restoreState()

        self.canv.setNamedCB("alignedLeader", leader)
        data = []
        for level, text, page, key in entries:
            style = self.getLevelStyle(level)
            linked = f'<a href="#{key}">{text}</a>' if key else text
            paragraph = Paragraph(
                f'{linked}<onDraw name="alignedLeader" label="{page},{level}"/>',
                ParagraphStyle(
                    f"toc{level}_fit", parent=style, rightIndent=PAGE_COLUMN + 3 * LEADER_STEP
                ),
            )
            data.append([paragraph])
        self._table = Table(data, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height


def table_of_contents(style_map: dict[str, ParagraphStyle]) -> TableOfContents:
    toc = AlignedContents()
    toc.levelStyles = [style_map["toc1"], style_map["toc2"]]
    # The contents are a Table, whose default font would add an unused Helvetica.
    toc.tableStyle = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    toc.dotsMinLevel = 0
    return toc
