"""The report page: A4, running header and footer ("page x of y"), a table of contents,
and paragraph styles in the embedded Japanese font.

Every text in the PDF is drawn with IPAex Gothic (results.charts.fonts); the canvas starts with it
too, so no unused Helvetica is left in the file un-embedded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from results.charts.fonts import FONT, FONT_BOLD
from results.charts.palette import BRAND, INK, LINE, MUTED

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name, all in the Japanese font with CJK wrapping."""
    base = {
        "fontName": FONT,
        "bulletFontName": FONT,
        "textColor": INK,
        "wordWrap": "CJK",
        "alignment": TA_LEFT,
    }

    def style(name: str, **overrides) -> ParagraphStyle:
        return ParagraphStyle(name, **{**base, **overrides})

    bold = {"fontName": FONT_BOLD}
    return {
        "title": style("title", **bold, fontSize=24, leading=34),
        "subtitle": style("subtitle", fontSize=13, leading=20, textColor=MUTED),
        "h1": style(
            "h1",
            **bold,
            keepWithNext=1,  # a heading never ends a page
            fontSize=16,
            leading=24,
            spaceBefore=6,
            spaceAfter=8,
            textColor=BRAND,
        ),
        "h2": style(
            "h2",
            **bold,
            keepWithNext=1,  # a heading never ends a page
            fontSize=12.5,
            leading=19,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "h3": style(
            "h3",
            **bold,
            keepWithNext=1,  # a heading never ends a page
            fontSize=10.5,
            leading=16,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "body": style("body", fontSize=9.5, leading=15.5, spaceAfter=4),
        "small": style("small", fontSize=8, leading=12, textColor=MUTED),
        "cell": style("cell", fontSize=8.5, leading=12.5),
        "cell_bold": style("cell_bold", **bold, fontSize=8.5, leading=12.5),
        "bullet": style(
            "bullet", fontSize=9.5, leading=15, leftIndent=12, bulletIndent=2, spaceAfter=2
        ),
        "toc1": style("toc1", fontSize=11, leading=20, leftIndent=0),
        "toc2": style("toc2", fontSize=9.5, leading=16, leftIndent=14, textColor=MUTED),
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
        self.setFont(FONT, 7.5)
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


def table_of_contents(style_map: dict[str, ParagraphStyle]) -> TableOfContents:
    toc = TableOfContents()
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
