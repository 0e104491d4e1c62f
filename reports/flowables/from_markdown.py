"""Module Markdown as platypus flowables: ``markdown_flowables`` turns a module's Markdown,
through the sanitised HTML of ``training.rendering.render_markdown`` (the web page's), into
paragraphs, headings, lists, block quotes, code blocks and tables whose columns are fitted to
the frame when the table is laid out."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import HRFlowable

from reports.flowables.linebreak import wide
from reports.flowables.paragraph import JPParagraph
from reports.flowables.table import FitTable
from results.charts.fonts import FONT, FONT_BOLD
from results.charts.palette import BRAND, CODE_BACKGROUND, INK, LINE, MUTED
from training.rendering import render_markdown

QUOTE_INDENT = 12


def default_styles(size: float = 9.5) -> dict[str, ParagraphStyle]:
    """The styles ``markdown_flowables`` needs, in the report font (body ``size`` pt)."""
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.6)
    body.wordWrap, body.spaceAfter, body.textColor = "CJK", size * 0.6, INK
    small = {"fontSize": size - 1, "leading": (size - 1) * 1.45, "spaceAfter": 0}
    big = size + 1.5
    return {
        "body": body,
        "heading3": ParagraphStyle(
            "heading3", body, fontName=FONT_BOLD, fontSize=big, leading=big * 1.5,
            spaceBefore=size * 0.8, spaceAfter=size * 0.4, keepWithNext=1,
        ),
        "bullet": ParagraphStyle(
            "bullet", body, leftIndent=size * 1.8, bulletIndent=size * 0.4,
            bulletFontName=FONT, bulletFontSize=size, spaceAfter=size * 0.25,
        ),
        "table": ParagraphStyle("table", body, **small),
        "table_header": ParagraphStyle("table_header", body, fontName=FONT_BOLD, **small),
        "code": ParagraphStyle(
            "code", body, **{**small, "leading": (size - 1) * 1.5, "spaceAfter": size},
            leftIndent=size * 0.6, rightIndent=size * 0.6, borderPadding=(size * 0.3, size * 0.6),
            backColor=CODE_BACKGROUND, spaceBefore=size * 0.3,
        ),
    }  # fmt: skip


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
# A cell that is a number: 10,000,000 / ＋300,000 / 2.5% / 20社 / 約6.7年
_NUMBER = re.compile(r"[^\d\s]?[+＋±−–-]?\d[\d,.]*\s?[^\d\s]{0,2}$")
_INLINE = {"strong": "<b>", "b": "<b>", "em": "<i>", "i": "<i>"}
_NEWLINE = re.compile(r"(.?)[ \t]*\n\s*(.?)")


def _join_lines(markup: str) -> str:
    """Soft line breaks: nothing between two Japanese characters, else a space."""

    def join(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return a + ("" if a and b and wide(a) and wide(b) else " ") + b

    return _NEWLINE.sub(join, markup).strip()


class _Builder(HTMLParser):
    """Sanitised module HTML to flowables (see ``training.rendering.ALLOWED_TAGS``)."""

    def __init__(self, styles: dict[str, ParagraphStyle]):
        super().__init__(convert_charrefs=True)
        self.styles, self.out = styles, []
        self.markup: list[str] | None = None
        self.kind = "body"
        self.bullet: str | None = None
        self.lists: list[list] = []  # [ordered, count]
        self.quote = 0
        self.pre = 0
        self.table: list[list] | None = None
        self.cell_align = ""
        self._derived: dict = {}

    def _style(self, name: str, **changes) -> ParagraphStyle:
        if not changes:
            return self.styles[name]
        key = (name, *sorted(changes.items()))
        if key not in self._derived:
            label = f"{name}-{len(self._derived)}"
            self._derived[key] = ParagraphStyle(label, self.styles[name], **changes)
        return self._derived[key]

    def _block_style(self, kind: str) -> ParagraphStyle:
        """``kind``'s style, indented for list depth and block quotes."""
        name = "bullet" if kind == "body" and self.lists else kind
        base, changes = self.styles[name], {}
        indent = QUOTE_INDENT * self.quote
        if name == "bullet":
            indent += base.leftIndent * (len(self.lists) - 1)
        if indent:
            changes = {
                "leftIndent": base.leftIndent + indent,
                "bulletIndent": base.bulletIndent + indent,
            }
        if self.quote:
            changes["textColor"] = MUTED
        return self._style(name, **changes)

    # -- inline text
    def _begin(self, kind: str) -> None:
        self._flush()
        self.markup, self.kind = [], kind

    def _flush(self) -> None:
        if self.markup is None:
            return
        text = "".join(self.markup)
        text = text if self.kind == "code" else _join_lines(text)
        text = re.sub(r"^(\s*<br/>)+|(<br/>\s*)+$", "", text)
        self.markup = None
        if not re.sub(r"<[^>]*>", "", text).strip():
            return
        paragraph = JPParagraph(text, self._block_style(self.kind), bulletText=self.bullet)
        self.bullet = None
        self.out.append(paragraph)

    def _inline(self, markup: str) -> None:
        if self.markup is None:
            self._begin("body")
        self.markup.append(markup)

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._inline(escape(data, quote=False).replace(" ", "&nbsp;").replace("\n", "<br/>"))
        elif self.markup is not None or data.strip():
            self._inline(escape(data, quote=False))

    # -- tags
    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag in _INLINE:
            self._inline(_INLINE[tag])
        elif tag == "code" and not self.pre:
            self._inline(f'<font backColor="{_hex(CODE_BACKGROUND)}">')
        elif tag == "a":
            href = escape(attrs.get("href") or "", quote=True)
            self._inline(f'<a href="{href}" color="{_hex(BRAND)}">' if href else "<a>")
        elif tag == "br":
            self._inline("<br/>")
        elif tag in ("p", "h3", "h4"):
            self._begin("body" if tag == "p" else "heading3")
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._flush()
            if self.lists:
                self.lists[-1][1] += 1
                ordered, count = self.lists[-1]
                self.bullet = f"{count}." if ordered else ("•" if len(self.lists) == 1 else "◦")
            self._begin("body")
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
            self._begin("code")
        elif tag == "hr":
            self._flush()
            rule = HRFlowable(width="100%", thickness=0.5, color=LINE, spaceAfter=8)
            self.out.append(rule)
        elif tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("th", "td"):
            self.cell_align = attrs.get("align") or ""
            self.markup, self.kind = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self._inline(_INLINE[tag].replace("<", "</"))
        elif tag == "code" and not self.pre:
            self._inline("</font>")
        elif tag == "a":
            self._inline("</a>")
        elif tag in ("p", "h3", "h4", "li"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            if not self.lists:  # as much room after a list as after a paragraph
                gap = self.styles["body"].spaceAfter - self.styles["bullet"].spaceAfter
                self.out.append(Spacer(0, max(gap, 0)))
        elif tag == "blockquote":
            self._flush()
            self.quote = max(self.quote - 1, 0)
        elif tag == "pre":
            self._flush()
            self.pre = max(self.pre - 1, 0)
        elif tag in ("th", "td") and self.table and self.markup is not None:
            self.table[-1].append((_join_lines("".join(self.markup)), tag, self.cell_align))
            self.markup = None
        elif tag == "table" and self.table is not None:
            self._emit_table([row for row in self.table if row])
            self.table = None

    def _emit_table(self, rows: list[list[tuple[str, str, str]]]) -> None:
        """Cells as JPParagraphs; a column of numbers is right-aligned unless it says otherwise."""
        if not rows:
            return
        header = all(tag == "th" for _, tag, _ in rows[0])
        body = rows[1:] if header else rows
        texts = [[re.sub(r"<[^>]*>", "", text) for text, _, _ in row] for row in body]
        numeric = [
            bool(column) and all(_NUMBER.match(t) for t in column)
            for i in range(max(map(len, rows)))
            for column in [[row[i] for row in texts if i < len(row) and row[i]]]
        ]
        cells = [
            [
                JPParagraph(text, self._style(
                    "table_header" if tag == "th" else "table",
                    alignment=_ALIGN[align] if align in _ALIGN else TA_RIGHT * numeric[i],
                ))
                for i, (text, tag, align) in enumerate(row)
            ]
            for row in rows
        ]  # fmt: skip
        self.out.append(FitTable(cells, header))

    def close(self) -> list[Flowable]:
        super().close()
        self._flush()
        return self.out


def markdown_flowables(text: str, styles: dict[str, ParagraphStyle] | None = None) -> list:
    """Module Markdown (sanitised like the web page) as platypus flowables."""
    builder = _Builder(styles or default_styles())
    builder.feed(str(render_markdown(text)))
    return builder.close()


def _hex(colour: Color) -> str:
    """A palette colour as reportlab's inline markup spells it (``#0f5c73``)."""
    return "#" + colour.hexval()[2:]
