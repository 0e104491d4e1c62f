"""The facilitator's handout for a study session (勉強会): agenda, key points, discussion
questions, the exercise and the quiz answer key, for the modules a facilitator picks."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from training.models import Module

from .campaign_report import TABLE_STYLE
from .document import FRAME_WIDTH, Heading, ReportDocument, Running, styles, table_of_contents
from .flowables import JPParagraph, markdown_flowables


def _agenda(module: Module, s) -> Table:
    """Minutes per part: the sections share the reading time, then discussion and exercise."""
    sections = list(module.sections.all())
    discussion = max(10, module.minutes // 3)
    exercise = max(10, module.minutes // 3)
    per_section = max(3, (module.minutes - discussion - exercise) // max(1, len(sections)))
    rows = [[_("Part"), _("Minutes")]]
    rows += [[section.title, str(per_section)] for section in sections]
    rows += [[_("Discussion"), str(discussion)], [_("Exercise"), str(exercise)]]
    cells = [
        [JPParagraph(escape(c), s["cell_bold" if i == 0 else "cell"]) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=[FRAME_WIDTH * 0.8, FRAME_WIDTH * 0.2], repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE))
    return table


def build_handout(modules: list[Module], *, language: str = "ja") -> bytes:
    """PDF bytes of the facilitator handout for ``modules``, in Japanese or English."""
    with translation.override(language):
        s = styles()
        story: list = [Spacer(1, 120)]
        story.append(JPParagraph(escape(_("Study session handout")), s["title"]))
        story.append(JPParagraph(escape(" · ".join(m.title for m in modules)), s["subtitle"]))
        story.append(Spacer(1, 24))
        story.append(
            Paragraph(
                escape(
                    _(
                        "For the facilitator: agenda, key points, discussion questions, "
                        "exercise and the quiz answer key."
                    )
                ),
                s["body"],
            )
        )
        story.append(
            Paragraph(
                escape(_("Date: %(date)s") % {"date": timezone.localdate().isoformat()}), s["small"]
            )
        )
        story += [
            PageBreak(),
            JPParagraph(escape(_("Contents")), s["h1"]),
            table_of_contents(s),
            PageBreak(),
        ]
        for number, module in enumerate(modules):
            if number:
                story.append(PageBreak())
            story.append(Heading(escape(module.title), s["h1"], 0))
            story.append(JPParagraph(escape(module.summary), s["body"]))
            story.append(
                Paragraph(
                    escape(_("%(minutes)s minutes in all") % {"minutes": module.minutes}),
                    s["small"],
                )
            )
            story.append(Heading(escape(_("Agenda")), s["h2"], 1))
            story.append(_agenda(module, s))
            story.append(Heading(escape(_("Key points")), s["h2"], 1))
            for section in module.sections.all():
                story.append(JPParagraph(escape(section.title), s["h3"]))
                story += markdown_flowables(section.body)
            story.append(Heading(escape(_("Discussion questions")), s["h2"], 1))
            for question in module.discussion.all():
                story.append(JPParagraph(escape(question.text), s["bullet"], bulletText="•"))
            story.append(Heading(escape(_("Exercise")), s["h2"], 1))
            story += markdown_flowables(module.exercise)
            story.append(Heading(escape(_("Quiz answer key")), s["h2"], 1))
            for index, question in enumerate(
                module.quiz_questions.prefetch_related("choices"), start=1
            ):
                correct = getattr(question.correct_choice, "text", "")
                story.append(JPParagraph(escape(f"{index}. {question.text}"), s["h3"]))
                story.append(
                    JPParagraph(escape(_("Answer: %(answer)s") % {"answer": correct}), s["body"])
                )
                story.append(JPParagraph(escape(question.explanation), s["small"]))
        buffer = io.BytesIO()
        ReportDocument(
            buffer,
            title=_("Study session handout"),
            author="LevelCheck",
            running=Running(
                header=_("Study session handout"),
                footer="LevelCheck",
                page_label=_("Page {page} of {pages}"),
            ),
        ).build_pdf(story)
        return buffer.getvalue()
