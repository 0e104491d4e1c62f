"""Bold for a font without a bold face: IPAex Gothic's glyphs outlined in the fill colour.

``results.charts.fonts`` registers the same file a second time as ``FONT_BOLD`` so that
``<b>`` works in reportlab's markup; this text object draws that name with a hairline outline
(PDF text render mode 2) instead of the plain glyphs.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.textobject import PDFTextObject

from results.charts.fonts import FONT, FONT_BOLD

_STROKE = 0.035  # outline width for FONT_BOLD, as a share of the font size


class FakeBoldText(PDFTextObject):
    """A text object that outlines FONT_BOLD glyphs (text render mode 2) in the fill colour."""

    _bold = False
    _stroke_stale = False  # the fill changed since the outline colour was last set

    def _setFont(self, psfontname, size):
        super()._setFont(psfontname, size)
        self._set_bold(psfontname, size)

    def setFont(self, psfontname, size, leading=None):
        super().setFont(psfontname, size, leading)
        self._set_bold(psfontname, size)

    def setFillColor(self, aColor, alpha=None):
        super().setFillColor(aColor, alpha)
        if self._bold:
            self.setStrokeColor(aColor)
        else:  # set when bold text next needs its outline: most text is never bold
            self._stroke_stale = True

    def _set_bold(self, name: str, size: float) -> None:
        bold = name == FONT_BOLD != FONT
        if bold:
            if self._stroke_stale:
                self.setStrokeColor(self._fillColorObj)
                self._stroke_stale = False
            self._code.append(f"{fp_str(size * _STROKE)} w 2 Tr")
        elif self._bold:
            self._code.append(f"{fp_str(self._canvas._lineWidth)} w 0 Tr")
        self._bold = bold

    def getCode(self):
        if self._bold:
            self._set_bold("", 0)
        return super().getCode()
