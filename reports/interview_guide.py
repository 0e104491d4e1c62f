"""The consultant's interview guide: per dimension of a framework, the documents to request,
the interview questions for the manager, a front-line member and a customer, and the
observable evidence that proves each level (the interview kit, ``maturity.interview_kit``).

Built for a framework version, and optionally for one department of a campaign: then each
dimension also lists the evidence records that department already has on it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak, Paragraph, Spacer

from maturity.interview_kit import guide_for
from maturity.models import Framework

from .document import Heading, ReportDocument, Running, styles, table_of_contents
from .flowables import JPParagraph

AUDIENCE_TITLES = {
    "manager": lambda: _("Questions for the manager"),
    "member": lambda: _("Questions for a front-line member"),
    "customer": lambda: _("Questions for a customer"),
}


def _bullets(texts: list[str], s) -> list:
    return [JPParagraph(escape(text), s["bullet"], bulletText="•") for text in texts]


def evidence_by_dimension(evidence) -> dict[str, list]:
    """Evidence rows (``improvement.models.Evidence``, with answer question and action
    loaded) grouped by the dimension code of their answer or action."""
    grouped: dict[str, list] = defaultdict(list)
    for row in evidence:
        if row.answer_id is not None:
            grouped[row.answer.question.dimension.code].append(row)
        elif row.action_id is not None:
            grouped[row.action.dimension_code].append(row)
    return grouped


def build_interview_guide(
    framework: Framework,
    *,
    language: str = "ja",
    department=None,
    campaign=None,
    evidence=None,
) -> bytes:
    """PDF bytes of the interview guide for ``framework`` in Japanese or English. With a
    ``department`` (of ``campaign``), each dimension also lists ``evidence``: that
    department's records the reader may see (``improvement.evidence.selectors.evidence_for``),
    or says that there are none. Dimensions without a kit say so."""
    with translation.override(language):
        s = styles()
        title = _("Interview guide")
        story: list = [Spacer(1, 120)]
        story.append(JPParagraph(escape(title), s["title"]))
        story.append(JPParagraph(escape(framework.label), s["subtitle"]))
        if department is not None:
            story.append(JPParagraph(escape(f"{campaign.name} · {department.name}"), s["subtitle"]))
        story.append(Spacer(1, 24))
        story.append(
            JPParagraph(
                escape(
                    _(
                        "For the consultant: request these documents, ask these questions, "
                        "and rate a level only when its evidence is there."
                    )
                ),
                s["body"],
            )
        )
        story.append(
            Paragraph(
                escape(
                    _("Date: %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
                ),
                s["small"],
            )
        )
        story += [
            PageBreak(),
            JPParagraph(escape(_("Contents")), s["h1"]),
            table_of_contents(s),
        ]
        grouped = evidence_by_dimension(evidence or []) if department is not None else {}
        for dimension in framework.dimensions.all():
            story.append(PageBreak())
            story.append(Heading(escape(dimension.title), s["h1"], 0))
            if dimension.description:
                story.append(JPParagraph(escape(dimension.description), s["body"]))
            guide = guide_for(dimension, language)
            if guide is None:
                story.append(
                    JPParagraph(escape(_("No interview kit for this dimension yet.")), s["body"])
                )
                continue
            story.append(Heading(escape(_("Documents to request")), s["h2"], 1))
            story += _bullets(guide["documents"], s)
            for audience, texts in guide["questions"]:
                story.append(JPParagraph(escape(AUDIENCE_TITLES[audience]()), s["h3"]))
                story += _bullets(texts, s)
            story.append(Heading(escape(_("Evidence per level")), s["h2"], 1))
            for level, level_title, texts in guide["evidence"]:
                name = _("Level %(n)s") % {"n": level}
                story.append(
                    JPParagraph(escape(f"{name}: {level_title}" if level_title else name), s["h3"])
                )
                story += _bullets(texts, s)
            if department is not None:
                story.append(Heading(escape(_("Evidence records of this department")), s["h2"], 1))
                rows = grouped.get(dimension.code, [])
                if not rows:
                    story.append(JPParagraph(escape(_("None yet.")), s["body"]))
                story += _bullets([f"{row.title} ({row.get_status_display()})" for row in rows], s)
        buffer = io.BytesIO()
        ReportDocument(
            buffer,
            title=f"{title}: {framework.title}",
            author="LevelCheck",
            running=Running(
                header=f"{title} · {framework.title}",
                footer="LevelCheck",
                page_label=_("Page {page} of {pages}"),
            ),
        ).build_pdf(story)
        return buffer.getvalue()
