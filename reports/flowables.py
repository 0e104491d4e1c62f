"""Platypus flowables for Japanese report text: kinsoku line breaking and module Markdown.

``JPParagraph`` is a reportlab ``Paragraph`` that keeps reportlab's parser and drawing (so all
of its inline markup works: ``<b>``, ``<i>``, ``<font>``, ``<span>``, ``<a>``, ``<br/>``, ...)
and replaces only the line breaking. reportlab's ``wordWrap="CJK"`` lets a line start with
"。" or "」" and hangs punctuation past the right margin; here, greedy filling with the font's
metrics never exceeds the width, a line never starts with closing punctuation, "ー" or small
kana (行頭禁則) nor ends with an opening bracket (行末禁則): the character before such a spot
moves down with it (追い出し). Latin runs break at spaces only; a run too long for a line (a URL,
a long number) is cut where it must. Bold text is drawn with a hairline outline, since IPAex
Gothic has no bold face.

``markdown_flowables`` turns a module's Markdown, through the sanitised HTML of
``training.rendering.render_markdown``, into paragraphs, headings, lists, block quotes, code
blocks and tables whose columns are fitted to the frame when the table is laid out.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape
from html.parser import HTMLParser

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

from results.charts.fonts import FONT, FONT_BOLD
from training.rendering import render_markdown

# Characters a line may not start with (行頭禁則): closing brackets, punctuation, middle dots,
# prolonged sound mark, iteration marks, small kana, postfix units.
NO_LINE_START = frozenset(
    ")]}）〕］｝〉》」』】〙〗〟’”｠»、。，．,.:;：；!?！？‼⁇⁈⁉・ー‐゠–〜～ヽヾゝゞ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ％‰℃°′″"
)
# Characters a line may not end with (行末禁則): opening brackets and prefix signs.
NO_LINE_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“｟«￥＄￡＃")
_INSEPARABLE = frozenset("—―…‥")  # ……, ―― stay together
_SOFT_BREAKS = frozenset("-/‐")  # preferred places to cut a URL or a long compound
_SPACES = frozenset(" \t\r\n")  # break here; not U+00A0 or the ideographic space
_FAKE_BOLD_STROKE = 0.035  # outline width for FONT_BOLD, as a share of the font size
CODE_BACKGROUND = "#E6EAF0"
LINK_COLOUR = "#1D5FA8"
QUOTE_COLOUR, QUOTE_INDENT = "#555555", 12


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _forced(unit: str) -> bool:
    return hasattr(unit.frag, "lineBreak")


def _break_before(units: list, i: int) -> bool:
    """May a line end before ``units[i]`` (which then starts the next line)?"""
    b = units[i]
    if not b or b in _SPACES or b in NO_LINE_START:
        return False  # empty items (anchors, images) stay with what precedes
    j = i - 1
    while j >= 0 and not units[j]:
        j -= 1
    if j < 0:
        return False
    spaced = units[j] in _SPACES
    while j >= 0 and (not units[j] or units[j] in _SPACES):
        j -= 1
    a = units[j] if j >= 0 else ""
    if a in NO_LINE_END:
        return False
    if spaced:
        return True
    if a == b and a in _INSEPARABLE or a.isdigit():
        return False  # a number stays with its unit: 3.3倍, 12か月, 2,000,000円
    return _wide(a) or _wide(b)


def _emergency_break(units: list, start: int, end: int) -> int:
    """Where to cut a run that has no break opportunity and does not fit: after its last hyphen
    or slash that fits, else as late as possible, keeping the kinsoku rules if the run allows."""
    allowed = [
        i
        for i in range(end, start + 1, -1)
        if units[i] not in NO_LINE_START and units[i - 1] not in NO_LINE_END
    ]
    return next(
        (i for i in allowed if units[i - 1] in _SOFT_BREAKS), allowed[0] if allowed else end
    )


def _trimmed(units: list) -> list:
    end = len(units)
    while end and units[end - 1] in _SPACES:
        end -= 1
    return units[:end]


def break_units(units: list, max_widths: list[float], calc_bounds: bool = False) -> ParaLines:
    """Greedy kinsoku line breaking of ``cjkU`` units into reportlab's kind-1 lines."""
    lines = []
    n = len(units)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, width, used = start, 0.0, 0.0
        while end < n and not _forced(units[end]):
            grown = width + units[end].width
            new_used = used if units[end] in _SPACES else grown
            if new_used > max_width + _FUZZ and end > start:
                break
            width, used, end = grown, new_used, end + 1
        line_break = end < n and _forced(units[end])
        if end == n or line_break:
            stop, following = end, end + line_break
        else:
            stop = next((i for i in range(end, start, -1) if _break_before(units, i)), None)
            stop = following = stop or _emergency_break(units, start, end)
        body = _trimmed(units[start:stop])
        used = sum(u.width for u in body)
        line = makeCJKParaLine(
            body + units[stop:following], max_width, used, max_width - used, line_break, calc_bounds
        )
        line.jp_units, line.jp_start = units, start
        lines.append(line)
        start = following
        while start < n and units[start] in _SPACES:
            start += 1
    return ParaLines(kind=1, lines=lines)


def _segment_widths(units: list):
    """Widths of the pieces between break opportunities, trailing spaces left out."""
    width = used = 0.0
    for i, u in enumerate(units):
        if _forced(u) or (i and _break_before(units, i)):
            yield used
            width = used = 0.0
        if not _forced(u):
            width += u.width
            if u not in _SPACES:
                used = width
    yield used


def _frags_of(units: list) -> list:
    """Units back into paragraph frags, consecutive units of one frag joined."""
    frags, run = [], []
    for u in units:
        if run and u.frag is not run[0].frag:
            frags.append(run[0].frag.clone(text="".join(run)))
            run = []
        run.append(u)
    if run:
        frags.append(run[0].frag.clone(text="".join(run)))
    return frags


class _FakeBoldText(PDFTextObject):
    """A text object that outlines FONT_BOLD glyphs (text render mode 2) in the fill colour."""

    _bold = False

    def _setFont(self, psfontname, size):
        super()._setFont(psfontname, size)
        self._set_bold(psfontname, size)

    def setFont(self, psfontname, size, leading=None):
        super().setFont(psfontname, size, leading)
        self._set_bold(psfontname, size)

    def setFillColor(self, aColor, alpha=None):
        super().setFillColor(aColor, alpha)
        self.setStrokeColor(aColor)

    def _set_bold(self, name: str, size: float) -> None:
        bold = name == FONT_BOLD != FONT
        if bold:
            self._code.append(f"{fp_str(size * _FAKE_BOLD_STROKE)} w 2 Tr")
        elif self._bold:
            self._code.append(f"{fp_str(self._canvas._lineWidth)} w 0 Tr")
        self._bold = bold

    def getCode(self):
        if self._bold:
            self._set_bold("", 0)
        return super().getCode()


class JPParagraph(Paragraph):
    """A Paragraph broken by Japanese rules; any style's ``wordWrap`` is treated as CJK.

    Text that does not fit a line because of a single unbreakable run wider than the frame is
    cut inside the run; nothing is ever drawn past the available width.
    """

    def _units(self) -> list:
        if getattr(self, "_jp_units", None) is None:
            units = []
            for frag in self.frags:
                units.extend(cjkU(c, frag, "utf8") for c in frag.text or [""])
            self._jp_units = units
        return self._jp_units

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        maxWidths = list(maxWidths)
        self.height = 0
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        style = self.style
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        # Tables and the contents' extra build pass wrap the same paragraph at the same width
        # again and again; the lines only depend on the widths.
        key = (tuple(maxWidths), auto_leading)
        cache = self.__dict__.setdefault("_jp_lines", {})
        if key not in cache:
            cache[key] = break_units(self._units(), maxWidths, auto_leading not in ("", "off"))
        return cache[key]

    def breakLines(self, width):
        return self.breakLinesCJK(width)

    def _get_split_blParaFunc(self):
        def frags(bl_para, start, stop):
            lines = bl_para.lines
            units = lines[start].jp_units
            end = lines[stop].jp_start if stop < len(lines) else len(units)
            return _frags_of(units[lines[start].jp_start : end])

        return frags

    def beginText(self, x, y):
        text = _FakeBoldText(self.canv, x, y)
        text.setStrokeColor(getattr(self.canv, "_fillColorObj", colors.black))
        return text

    def _indents(self) -> float:
        style = self.style
        return style.leftIndent + style.rightIndent + max(0, style.firstLineIndent)

    def minWidth(self) -> float:
        """The widest piece that cannot be broken, plus the indents."""
        return max(_segment_widths(self._units()), default=0.0) + self._indents()

    def natural_width(self) -> float:
        """The width the text needs on lines broken only at ``<br/>``."""
        widths, width = [], 0.0
        for u in self._units():
            if _forced(u):
                widths.append(width)
                width = 0.0
            else:
                width += u.width
        return max([*widths, width]) + self._indents()


def jp_paragraph(text: str, style: ParagraphStyle) -> JPParagraph:
    return JPParagraph(text, style)


def default_styles(size: float = 9.5) -> dict[str, ParagraphStyle]:
    """The styles ``markdown_flowables`` needs, in the report font (body ``size`` pt)."""
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.6)
    body.wordWrap, body.spaceAfter, body.textColor = "CJK", size * 0.6, colors.HexColor("#222")
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
            backColor=colors.HexColor(CODE_BACKGROUND), spaceBefore=size * 0.3,
        ),
    }  # fmt: skip


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
        grid = colors.HexColor("#C9CED6")
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),  # else Table sets an unused Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("GRID", (0, 0), (-1, -1), 0.5, grid),
        ]
        if self.header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EDF1F6")))
        return commands + self.style_commands

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        return self._table.split(availWidth, availHeight)

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
# A cell that is a number: 10,000,000 / ＋300,000 / 2.5% / 20社 / 約6.7年
_NUMBER = re.compile(r"[^\d\s]?[+＋±−–-]?\d[\d,.]*\s?[^\d\s]{0,2}$")
_INLINE = {"strong": "<b>", "b": "<b>", "em": "<i>", "i": "<i>"}
_NEWLINE = re.compile(r"(.?)[ \t]*\n\s*(.?)")


def _join_lines(markup: str) -> str:
    """Soft line breaks: nothing between two Japanese characters, else a space."""

    def join(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return a + ("" if a and b and _wide(a) and _wide(b) else " ") + b

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
            changes["textColor"] = colors.HexColor(QUOTE_COLOUR)
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
            self._inline(f'<font backColor="{CODE_BACKGROUND}">')
        elif tag == "a":
            href = escape(attrs.get("href") or "", quote=True)
            self._inline(f'<a href="{href}" color="{LINK_COLOUR}">' if href else "<a>")
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
            rule = HRFlowable(width="100%", thickness=0.5, color=colors.grey, spaceAfter=8)
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
