"""``JPParagraph``: a reportlab ``Paragraph`` broken by the Japanese rules.

It keeps reportlab's parser and drawing (so all of its inline markup works: ``<b>``, ``<i>``,
``<font>``, ``<span>``, ``<a>``, ``<br/>``, ...) and replaces only the line breaking
(``reports.flowables.linebreak``): reportlab's ``wordWrap="CJK"`` lets a line start with "。"
or "」" and hangs punctuation past the right margin. Bold text is drawn outlined
(``reports.flowables.bold``), since IPAex Gothic has no bold face.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _handleBulletWidth

from reports.flowables.bold import FakeBoldText
from reports.flowables.linebreak import (
    Prepared,
    greedy_ranges,
    lines_of,
    segment_widths,
    widest_word,
    word_ranges,
)

LABEL_LENGTH = 40  # characters: up to this, a text without "。" is a label (see JPParagraph)
LABEL_SHRINK = 0.8  # a label's font may shrink to this share of its size before a word is cut


class JPParagraph(Paragraph):
    """A Paragraph broken by Japanese rules; any style's ``wordWrap`` is treated as CJK.

    Latin words are never cut nor hyphenated while a line can break elsewhere. A *label* (a
    text of at most ``LABEL_LENGTH`` characters with no "。" and no ``<br/>``, such as a table
    header; ``words=True``/``False`` decides instead) breaks only where a word ends, as the
    chart labels do (カスタマーサクセス / 実践, Customer-success / practice); when a word is
    wider than the line, its font shrinks, down to ``min_font_size`` (or the style's
    ``minFontSize``; for a label by default ``LABEL_SHRINK`` of its size), before anything is
    cut. Only a word wider than the line even so is cut, Japanese between kinsoku-allowed
    characters, a Latin word as late as possible, with no hyphen added; nothing is ever drawn
    past the available width.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1,  # noqa: N803
                 encoding="utf8", *, words: bool | None = None,
                 min_font_size: float | None = None):  # fmt: skip
        self.words, self.min_font_size = words, min_font_size
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)

    def _prepared(self, scale: float = 1.0) -> Prepared:
        cache = self.__dict__.setdefault("_jp_prepared", {})
        if scale not in cache:
            frags = self.frags
            if scale != 1.0:
                frags = [f.clone(fontSize=f.fontSize * scale) for f in frags]
            cache[scale] = Prepared.of(frags)
        return cache[scale]

    def is_label(self) -> bool:
        if self.words is not None:
            return self.words
        if "_jp_label" not in self.__dict__:
            prep = self._prepared()
            text = "".join(prep.units)
            self._jp_label = (
                len(prep.units) <= LABEL_LENGTH
                and "。" not in text
                and not any(prep.forced)
                and all(len(u) == 1 for u in prep.units)
            )
        return self._jp_label

    def _min_scale(self) -> float:
        size = self.style.fontSize
        smallest = self.min_font_size or getattr(self.style, "minFontSize", None)
        if smallest is None:
            return LABEL_SHRINK if self.is_label() else 1.0
        return min(1.0, smallest / size) if size else 1.0

    def _break(self, widths: list[float], calc_bounds: bool):
        prep = self._prepared()
        room = min(widths)
        if sum(prep.widths) <= room and not any(prep.forced):  # one line: nothing to break
            return lines_of(prep, greedy_ranges(prep, widths), widths, calc_bounds)
        label = self.is_label()
        widest = widest_word(prep) if label else max(self._segments(), default=0.0)
        scale = 1.0
        if widest > room + 1e-6:
            scale = max(self._min_scale(), room / widest * 0.999)
            prep = self._prepared(scale) if scale < 1.0 else prep
        ranges = None
        if label:
            ranges = word_ranges(prep, widths) or word_ranges(prep, widths, cut_words=True)
        return lines_of(prep, ranges or greedy_ranges(prep, widths), widths, calc_bounds)

    def breakLinesCJK(self, maxWidths):  # noqa: N802 - reportlab's name
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
            cache[key] = self._break(maxWidths, auto_leading not in ("", "off"))
        return cache[key]

    def breakLines(self, width):  # noqa: N802 - reportlab's name
        return self.breakLinesCJK(width)

    def _get_split_blParaFunc(self):  # noqa: N802 - reportlab's name
        def frags(bl_para, start, stop):
            lines = bl_para.lines
            prep = lines[start].jp_prep
            end = lines[stop].jp_start if stop < len(lines) else len(prep.units)
            return prep.frags(lines[start].jp_start, end)

        return frags

    def beginText(self, x, y):  # noqa: N802 - reportlab's name
        text = FakeBoldText(self.canv, x, y)
        text.setStrokeColor(getattr(self.canv, "_fillColorObj", colors.black))
        return text

    def _indents(self) -> float:
        style = self.style
        return style.leftIndent + style.rightIndent + max(0, style.firstLineIndent)

    def _segments(self) -> list[float]:
        if "_jp_segments" not in self.__dict__:
            prep = self._prepared()
            self._jp_segments = list(segment_widths(prep))
        return self._jp_segments

    def minWidth(self) -> float:  # noqa: N802 - reportlab's name
        """The widest piece that cannot be broken (for a label: its widest word), plus the
        indents."""
        if self.is_label():
            return widest_word(self._prepared()) + self._indents()
        return max(self._segments(), default=0.0) + self._indents()

    def natural_width(self) -> float:
        """The width the text needs on lines broken only at ``<br/>``."""
        if "_jp_natural" not in self.__dict__:
            prep = self._prepared()
            widths, width = [], 0.0
            for w, is_forced in zip(prep.widths, prep.forced, strict=True):
                if is_forced:
                    widths.append(width)
                    width = 0.0
                else:
                    width += w
            self._jp_natural = max([*widths, width])
        return self._jp_natural + self._indents()
