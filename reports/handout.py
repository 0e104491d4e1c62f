"""The facilitator's handout for a study session (勉強会): agenda, key points, discussion
questions, the exercise and the quiz answer key, for the modules a facilitator picks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from training import editions
from training.models import Module

from .campaign_report import TABLE_STYLE
from .document import FRAME_WIDTH, Heading, ReportDocument, Running, styles, table_of_contents
from .flowables import JPParagraph, markdown_flowables
from .models import ReportJob

# Shares of a session's minutes (percent, rounded down, at least a minute each); the reading
# of the sections takes what is left, so the parts always add up to the stated duration.
DISCUSSION_SHARE = 25
EXERCISE_SHARE = 25
QUIZ_SHARE = 15


@dataclass(frozen=True)
class AgendaItem:
    """One part of a session: ``kind`` is "reading", "discussion", "exercise" or "quiz"."""

    kind: str
    title: str
    minutes: int


def agenda(minutes: int, section_titles: list[str]) -> list[AgendaItem]:
    """The parts of a ``minutes``-long session, adding up to exactly ``minutes``: discussion
    and exercise a quarter each, the quiz 15%, and the rest shared by the sections in order
    (the first sections take the odd minutes). When there are more sections than reading
    minutes, neighbouring sections share a row, so no part ever gets 0 minutes."""
    quiz = max(1, minutes * QUIZ_SHARE // 100)
    discussion = max(1, minutes * DISCUSSION_SHARE // 100)
    exercise = max(1, minutes * EXERCISE_SHARE // 100)
    reading = minutes - quiz - discussion - exercise
    if reading < 1:
        raise ValueError(f"a session of {minutes} minutes is too short for an agenda")
    titles = list(section_titles) or [_("Key points")]
    rows = min(len(titles), reading)
    groups = [titles[i * len(titles) // rows : (i + 1) * len(titles) // rows] for i in range(rows)]
    items = [
        AgendaItem("reading", " / ".join(group), reading // rows + (1 if i < reading % rows else 0))
        for i, group in enumerate(groups)
    ]
    items += [
        AgendaItem("discussion", _("Discussion"), discussion),
        AgendaItem("exercise", _("Exercise"), exercise),
        AgendaItem("quiz", _("Quiz"), quiz),
    ]
    return items


def _agenda(module: Module, s) -> Table:
    """Minutes per part, adding up to the module's stated duration, quiz included."""
    items = agenda(module.minutes, [section.title for section in module.sections.all()])
    rows = [[_("Part"), _("Minutes")]]
    rows += [[item.title, str(item.minutes)] for item in items]
    rows += [[_("Total"), str(sum(item.minutes for item in items))]]
    cells = [
        [JPParagraph(escape(c), s["cell_bold" if i in (0, len(rows) - 1) else "cell"]) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=[FRAME_WIDTH * 0.8, FRAME_WIDTH * 0.2], repeatRows=1)
    table.setStyle(TableStyle(TABLE_STYLE))
    return table


PARTICIPANT = ReportJob.Edition.PARTICIPANT.value
FACILITATOR = ReportJob.Edition.FACILITATOR.value
EDITIONS = tuple(ReportJob.Edition.values)


def _text_flowables(text: str, s, *, facilitator: bool) -> list:
    """A module text for one edition: participants never get the facilitator-only blocks;
    facilitators get them in place, each under a "For the facilitator" label."""
    if not facilitator:
        return markdown_flowables(editions.participant_markdown(text))
    flowables: list = []
    for part in editions.parts(text):
        if part.facilitator:
            flowables.append(JPParagraph(escape(_("For the facilitator")), s["small"]))
        flowables += markdown_flowables(part.text)
    return flowables


def build_handout(
    modules: list[Module], *, language: str = "ja", edition: str = FACILITATOR
) -> bytes:
    """PDF bytes of the handout for ``modules``, in Japanese or English. The facilitator
    edition (the default) has the answer keys, facilitator notes and the quiz answer key; the
    participant edition has none of them."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown handout edition {edition!r}; expected one of {EDITIONS}")
    facilitator = edition == FACILITATOR
    with translation.override(language):
        title = (
            _("Study session handout: facilitator edition")
            if facilitator
            else _("Study session handout: participant edition")
        )
        s = styles()
        story: list = [Spacer(1, 120)]
        story.append(JPParagraph(escape(title), s["title"]))
        story.append(JPParagraph(escape(" · ".join(m.title for m in modules)), s["subtitle"]))
        story.append(Spacer(1, 24))
        story.append(
            Paragraph(
                escape(
                    _(
                        "For the facilitator: agenda, key points, discussion questions, "
                        "exercise and the quiz answer key."
                    )
                    if facilitator
                    else _(
                        "For participants: agenda, key points, discussion questions "
                        "and the exercise."
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
            if module.objectives:
                story.append(JPParagraph(escape(_("What you will be able to do")), s["h3"]))
                story += [
                    JPParagraph(escape(objective), s["bullet"], bulletText="•")
                    for objective in module.objectives
                ]
            if module.prework.strip():
                # Reading before the session: its minutes are the participant's own, not the
                # agenda's (the agenda shares out the session's minutes).
                heading = _("Before the session (%(m)s min)") % {"m": module.prework_minutes}
                story.append(JPParagraph(escape(heading), s["h3"]))
                story += _text_flowables(module.prework, s, facilitator=facilitator)
            story.append(Heading(escape(_("Agenda")), s["h2"], 1))
            story.append(_agenda(module, s))
            story.append(Heading(escape(_("Key points")), s["h2"], 1))
            for section in module.sections.all():
                story.append(JPParagraph(escape(section.title), s["h3"]))
                story += _text_flowables(section.body, s, facilitator=facilitator)
            story.append(Heading(escape(_("Discussion questions")), s["h2"], 1))
            for question in module.discussion.all():
                story.append(JPParagraph(escape(question.text), s["bullet"], bulletText="•"))
            story.append(Heading(escape(_("Exercise")), s["h2"], 1))
            story += _text_flowables(module.exercise, s, facilitator=facilitator)
            if not facilitator:
                continue
            if module.model_answer.strip():
                # The open tasks' model answer: the facilitator's, as the answer keys are.
                story.append(JPParagraph(escape(_("Model answer")), s["h3"]))
                story += _text_flowables(module.model_answer, s, facilitator=True)
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
            title=title,
            author="LevelCheck",
            running=Running(
                header=title,
                footer="LevelCheck",
                page_label=_("Page {page} of {pages}"),
            ),
        ).build_pdf(story)
        return buffer.getvalue()
