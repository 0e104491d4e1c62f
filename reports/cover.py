"""The report's cover: one flowable that fills the first page's frame.

From the top: a band in the brand colour, the consulting firm's logo (``REPORT_LOGO_PATH``, a
PNG or JPG; without one, or if it cannot be read, a small drawn wordmark) and name
(``REPORT_CONSULTING_FIRM``); then the addressee (「… 御中」 / "Prepared for …"), the title,
the campaign and its period, the framework; at the foot the date, the consultants and the
confidentiality line over a rule. Everything is drawn inside the frame, in the embedded font.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from results.charts.fonts import FONT_BOLD
from results.charts.palette import BRAND, LINE

from .document import SCALE
from .flowables import JPParagraph

logger = logging.getLogger(__name__)

BAND = 10  # the brand band's height, points
LOGO_HEIGHT = 28
LOGO_MAX_WIDTH = 150


@dataclass(frozen=True)
class CoverText:
    """The cover's texts, already translated and formatted."""

    addressee: str
    title: str
    campaign: str
    period: str
    framework: str
    date: str
    consultants: str
    firm: str
    confidential: str


def cover_text(campaign, *, title: str, framework_line: str, consultants: list[str]) -> CoverText:
    """The cover's texts for ``campaign`` in the active language; ``consultants`` are the
    consultants' full names."""
    consultant_count = len(consultants)
    organisation = campaign.organisation.name
    period = "{} – {}".format(
        date_format(campaign.opens_on, "DATE_FORMAT"),
        date_format(campaign.closes_on, "DATE_FORMAT"),
    )
    return CoverText(
        addressee=_("Prepared for %(org)s") % {"org": organisation},
        title=title,
        campaign=campaign.name,
        period=_("Assessment period: %(period)s") % {"period": period},
        framework=framework_line,
        date=_("Date: %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        consultants=(
            ngettext("Consultant: %(names)s", "Consultants: %(names)s", consultant_count)
            % {"names": ", ".join(consultants)}
            if consultants
            else ""
        ),
        firm=settings.REPORT_CONSULTING_FIRM or "",
        confidential=_("Confidential — prepared for %(org)s only") % {"org": organisation},
    )


def wordmark(name: str, height: float = LOGO_HEIGHT) -> Drawing:
    """A small vector wordmark: three rising level bars and the firm's name (or LevelCheck)."""
    text = name or "LevelCheck"
    size = SCALE["h2"][0]
    bar = height / 5
    width = 4 * bar + 8 + stringWidth(text, FONT_BOLD, size)
    drawing = Drawing(width, height)
    for i, fraction in enumerate((0.45, 0.7, 1.0)):
        drawing.add(
            Rect(
                i * (bar + bar / 2),
                0,
                bar,
                height * fraction,
                fillColor=BRAND,
                strokeColor=None,
                rx=1,
                ry=1,
            )
        )
    drawing.add(
        String(4 * bar + 8, height * 0.3, text, fontName=FONT_BOLD, fontSize=size, fillColor=BRAND)
    )
    return drawing


def logo_image(path: str | None) -> ImageReader | None:
    """The logo file as an image, or None (no path, or a file that cannot be read: the cover
    then draws the wordmark rather than failing the report)."""
    if not path:
        return None
    try:
        image = ImageReader(str(path))
        image.getSize()
        return image
    except Exception:  # noqa: BLE001 - any unreadable file: fall back, say so in the log
        logger.warning("REPORT_LOGO_PATH %s cannot be read as an image; drawing the wordmark", path)
        return None


class Cover(Flowable):
    """The whole cover page; ``styles`` is document.styles()."""

    def __init__(self, text: CoverText, styles: dict, *, logo_path: str | None = None):
        super().__init__()
        self.text = text
        self.styles = styles
        self.logo_path = logo_path

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, available_height
        return available_width, available_height - 1  # fills the page, never splits

    def _paragraph(self, text: str, style: str, y: float, *, gap: float = 0) -> float:
        """Draws ``text`` with its top at ``y``; returns the y below it (and ``gap``)."""
        if not text:
            return y
        paragraph = JPParagraph(escape(text), self.styles[style])
        _w, h = paragraph.wrap(self.width, self.height)
        paragraph.drawOn(self.canv, 0, y - h)
        return y - h - gap

    def draw(self):
        canvas, width, top = self.canv, self.width, self.height
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, top - BAND, width, BAND, stroke=0, fill=1)
        canvas.restoreState()
        # The firm: its logo (or the wordmark) and name, under the band.
        y = top - BAND - 14
        image = logo_image(self.logo_path)
        if image is not None:
            iw, ih = image.getSize()
            w = min(LOGO_MAX_WIDTH, LOGO_HEIGHT * iw / ih)
            canvas.drawImage(
                image, 0, y - LOGO_HEIGHT, w, LOGO_HEIGHT, preserveAspectRatio=True, mask="auto"
            )
            if self.text.firm:
                canvas.saveState()
                canvas.setFont(FONT_BOLD, self.styles["lead"].fontSize)
                canvas.setFillColor(BRAND)
                canvas.drawString(w + 10, y - LOGO_HEIGHT * 0.65, self.text.firm)
                canvas.restoreState()
        else:
            mark = wordmark(self.text.firm)
            mark.drawOn(canvas, 0, y - LOGO_HEIGHT)
        # The addressee, title, campaign: a third of the way down.
        y = top * 0.68
        y = self._paragraph(self.text.addressee, "cover_addressee", y, gap=18)
        canvas.saveState()
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(2)
        canvas.line(0, y + 6, 48, y + 6)
        canvas.restoreState()
        y = self._paragraph(self.text.title, "title", y - 8, gap=10)
        y = self._paragraph(self.text.campaign, "subtitle", y, gap=2)
        y = self._paragraph(self.text.period, "body", y, gap=2)
        self._paragraph(self.text.framework, "small", y)
        # The foot: date, consultants, firm; the confidentiality line under a rule.
        lines = [self.text.date, self.text.consultants, self.text.firm]
        y = 110
        for line in lines:
            y = self._paragraph(line, "body", y, gap=1)
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.6)
        canvas.line(0, 30, width, 30)
        canvas.restoreState()
        confidential = JPParagraph(escape(self.text.confidential), self.styles["confidential"])
        _w, h = confidential.wrap(width, 40)
        confidential.drawOn(canvas, 0, 30 - 6 - h)
