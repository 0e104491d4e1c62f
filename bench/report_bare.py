"""The floor of the report benchmark: the same content as a LevelCheck report, built by bare
reportlab platypus.

``capture`` builds one LevelCheck report and records the story it hands to platypus;
``bare_content`` turns that story into plain content (texts with their styles, table cells with
the column widths and style commands LevelCheck used, the very chart Drawings), once, outside
any timing; ``build_bare`` then builds that content with reportlab alone: its own ``Paragraph``
with ``wordWrap='CJK'`` (no custom line breaking, no outlined bold), ``Table``, a
``TableOfContents`` over ``multiBuild``, an outline and a running footer, and no data access.
Same page size, margins and frame as the report (reports.document).
"""

from __future__ import annotations

import copy
import io
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from reports import document
from reports.flowables import FitTable
from results.charts.fonts import FONT


@dataclass
class Captured:
    pdf: bytes
    story: list = field(default_factory=list)
    seconds: float = 0.0  # the whole build
    layout_seconds: float = 0.0  # of which platypus laying out and drawing the story


@contextmanager
def _recording():
    """Record each ``Table``'s style commands on the table (platypus keeps none)."""
    original = Table.setStyle

    def set_style(self, style):
        commands = style.getCommands() if isinstance(style, TableStyle) else list(style)
        self.__dict__.setdefault("_bench_commands", []).extend(commands)
        return original(self, style)

    Table.setStyle = set_style
    try:
        yield
    finally:
        Table.setStyle = original


def capture(build) -> Captured:
    """``build()`` (a LevelCheck report build returning PDF bytes) and the story it laid out."""
    captured = Captured(b"")
    original = document.ReportDocument.build_pdf

    def build_pdf(self, story):
        captured.story = list(story)
        started = time.process_time()
        try:
            return original(self, story)
        finally:
            captured.layout_seconds = time.process_time() - started

    document.ReportDocument.build_pdf = build_pdf
    try:
        with _recording():
            started = time.process_time()
            captured.pdf = build()
            captured.seconds = time.process_time() - started
    finally:
        document.ReportDocument.build_pdf = original
    return captured


# -- content: plain data, built once -----------------------------------------------------------


def _bare_style(style: ParagraphStyle) -> ParagraphStyle:
    bare = ParagraphStyle(f"bare-{style.name}", parent=style)
    bare.wordWrap = "CJK"
    return bare


class _Content:
    """The story as plain items: ("p", text, style, bullet, toc_level), ("table", rows, widths,
    commands, repeat), ("drawing", d), ("keep", items), ("spacer", w, h), ("break",),
    ("cond", h), ("toc", level_styles, table_style), ("copy", flowable)."""

    def __init__(self):
        self.styles: dict[int, ParagraphStyle] = {}
        self.copied: dict[str, int] = {}

    def style(self, style: ParagraphStyle) -> ParagraphStyle:
        if id(style) not in self.styles:
            self.styles[id(style)] = _bare_style(style)
        return self.styles[id(style)]

    def cell(self, value):
        if isinstance(value, Paragraph):
            return self.item(value)
        if isinstance(value, list | tuple):
            return ("keep", [self.item(v) for v in value])
        if value is None or isinstance(value, str | int | float):
            return ("text", "" if value is None else str(value))
        return self.item(value)

    def item(self, f):
        if isinstance(f, Paragraph):
            level = getattr(f, "toc_level", None)
            return ("p", f.text, self.style(f.style), f.bulletText, level)
        if isinstance(f, FitTable):
            rows = [[self.cell(c) for c in row] for row in f.rows]
            count = max(len(row) for row in rows)
            rows = [row + [("text", "")] * (count - len(row)) for row in rows]
            widths = f.column_widths(document.FRAME_WIDTH)
            return ("table", rows, widths, f._commands(), 1 if f.header else 0, f.hAlign)
        if isinstance(f, Table):
            rows = [[self.cell(c) for c in row] for row in f._cellvalues]
            commands = getattr(f, "_bench_commands", [])
            return ("table", rows, list(f._argW), commands, f.repeatRows, f.hAlign)
        if isinstance(f, Drawing):
            return ("drawing", f)
        if isinstance(f, KeepTogether):
            return ("keep", [self.item(x) for x in f._content])
        if isinstance(f, CondPageBreak):
            return ("cond", f.height)
        if isinstance(f, PageBreak):
            return ("break",)
        if isinstance(f, Spacer):
            return ("spacer", f.width, f.height)
        if isinstance(f, TableOfContents):
            return ("toc", [self.style(s) for s in f.levelStyles], f.tableStyle, f.dotsMinLevel)
        name = type(f).__name__
        self.copied[name] = self.copied.get(name, 0) + 1
        return ("copy", f)


@dataclass
class BareContent:
    items: list
    copied: dict[str, int]  # flowables of other kinds, laid out as they are (by kind)


def bare_content(story: list) -> BareContent:
    content = _Content()
    return BareContent([content.item(f) for f in story], content.copied)


# -- the bare build ----------------------------------------------------------------------------


class _Heading(Paragraph):
    def __init__(self, text, style, level):
        super().__init__(text, style)
        self.toc_level, self.toc_text = level, text


def _flowable(item):
    kind = item[0]
    if kind == "p":
        _, text, style, bullet, level = item
        if level is not None:
            return _Heading(text, style, level)
        return Paragraph(text, style, bulletText=bullet)
    if kind == "table":
        _, rows, widths, commands, repeat, align = item
        cells = [[_cell(c) for c in row] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=repeat)
        table.setStyle(TableStyle(commands))
        table.hAlign = align
        return table
    if kind == "drawing":
        return item[1]
    if kind == "keep":
        return KeepTogether([_flowable(x) for x in item[1]])
    if kind == "cond":
        return CondPageBreak(item[1])
    if kind == "break":
        return PageBreak()
    if kind == "spacer":
        return Spacer(item[1], item[2])
    if kind == "toc":
        toc = TableOfContents()
        toc.levelStyles, toc.tableStyle, toc.dotsMinLevel = item[1], item[2], item[3]
        return toc
    return copy.copy(item[1])


def _cell(item):
    if item[0] == "text":
        return item[1]
    if item[0] == "keep":
        return [_flowable(x) for x in item[1]]
    return _flowable(item)


class _Document(BaseDocTemplate):
    def __init__(self, filename):
        margin = document.MARGIN
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            initialFontName=FONT,
        )
        frame = Frame(margin, margin, document.FRAME_WIDTH, A4[1] - 2 * margin, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_running)])
        self._headings = 0

    def beforeDocument(self):  # noqa: N802 - reportlab's name
        self._headings = 0

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        if isinstance(flowable, _Heading):
            self._headings += 1
            key = f"h{self._headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level)
            if flowable.toc_level == 0:
                self.notify("TOCEntry", (0, flowable.toc_text, self.page, key))


def _running(canvas, doc):
    if doc.page == 1:
        return
    width, height = A4
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.line(document.MARGIN, 12 * 2.835, width - document.MARGIN, 12 * 2.835)
    canvas.drawRightString(width - document.MARGIN, 8 * 2.835, str(doc.page))
    canvas.restoreState()


def build_bare(content: BareContent) -> tuple[bytes, int]:
    """The content as a PDF by reportlab alone; returns the bytes and the page count."""
    buffer = io.BytesIO()
    doc = _Document(buffer)
    doc.multiBuild([_flowable(item) for item in content.items])
    return buffer.getvalue(), doc.page
