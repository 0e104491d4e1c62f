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
from reportlab.platypus.paragraph import _handleBulletWidth, cjkU

from reports.flowables.bold import FakeBoldText
from reports.flowables.linebreak import break_units, forced, frags_of, segment_widths


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
            return frags_of(units[lines[start].jp_start : end])

        return frags

    def beginText(self, x, y):
        text = FakeBoldText(self.canv, x, y)
        text.setStrokeColor(getattr(self.canv, "_fillColorObj", colors.black))
        return text

    def _indents(self) -> float:
        style = self.style
        return style.leftIndent + style.rightIndent + max(0, style.firstLineIndent)

    def minWidth(self) -> float:
        """The widest piece that cannot be broken, plus the indents."""
        return max(segment_widths(self._units()), default=0.0) + self._indents()

    def natural_width(self) -> float:
        """The width the text needs on lines broken only at ``<br/>``."""
        widths, width = [], 0.0
        for u in self._units():
            if forced(u):
                widths.append(width)
                width = 0.0
            else:
                width += u.width
        return max([*widths, width]) + self._indents()
