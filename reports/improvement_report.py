"""The improvement loop's sections of the campaign report: the consultant's published
commentary (campaign narrative and key findings after the executive summary, a
department's after its table), the 30/60/90-day roadmap after the improvement plan, and
each department's loop (gap → actions → training → change).

Everything comes from the selectors the web pages read (``improvement.commentary``,
``improvement.loop``); a draft commentary never reaches the PDF."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.access import CONSULTANT, Standing
from assessments.models import Campaign, Department
from improvement.commentary.roadmap import roadmap
from improvement.commentary.selectors import markdown_source, published_commentary
from improvement.evidence.selectors import evidence_for
from improvement.loop.selectors import department_loop
from improvement.models import Evidence
from maturity.business_models import worded
from results import formatting as fmt

from .document import FRAME_WIDTH
from .flowables import JPParagraph, markdown_flowables


def _reader(campaign: Campaign) -> Standing:
    # The report is the consultant's, for the whole organisation (reports.views lets only
    # org admins and consultants build it); what it may print is narrowed below.
    return Standing(campaign.organisation_id, CONSULTANT)


def _commentary_body(builder, commentary) -> None:
    texts = markdown_source(commentary)
    if texts["narrative"].strip():
        builder.heading(pgettext("commentary", "Executive narrative"), 1)
        builder.captions.markdown(
            builder.story,
            markdown_flowables(texts["narrative"]),
            pgettext("commentary", "Executive narrative"),
        )
    if texts["findings"].strip():
        builder.heading(pgettext("commentary", "Key findings"), 1)
        builder.captions.markdown(
            builder.story,
            markdown_flowables(texts["findings"]),
            pgettext("commentary", "Key findings"),
        )


def campaign_commentary(builder, campaign: Campaign) -> None:
    """The consultant's campaign narrative and key findings, as a chapter of its own."""
    commentary = published_commentary(campaign, cache=builder.results.presented)
    if commentary is None:
        return
    builder.heading(pgettext("commentary", "Consultant's commentary"))
    _commentary_body(builder, commentary)


def department_commentary(builder, campaign: Campaign, department: Department) -> None:
    """A department's published commentary, under its table."""
    commentary = published_commentary(campaign, department, cache=builder.results.presented)
    if commentary is None:
        return
    builder.heading(pgettext("commentary", "Consultant's commentary"), 1)
    texts = markdown_source(commentary)
    for label, text in ((pgettext("commentary", "Executive narrative"), texts["narrative"]),
                        (pgettext("commentary", "Key findings"), texts["findings"])):  # fmt: skip
        if text.strip():
            builder.p(label, "h3")
            builder.captions.markdown(builder.story, markdown_flowables(text), label)


def roadmap_section(builder, campaign: Campaign, department: Department | None) -> None:
    """The 30/60/90-day roadmap of the open actions (the department's, or every one)."""
    plan = roadmap(campaign, department)
    builder.heading(pgettext("commentary", "30/60/90-day roadmap"))
    if plan.is_empty:
        builder.p(_("No open action yet."))
        return
    w = FRAME_WIDTH
    for bucket in plan.buckets:
        builder.heading(bucket.label, 1)
        if not bucket.items:
            builder.p(_("No action due."), "small")
            continue
        header = [
            pgettext("improvement report", "Action"),
            _("Department"),
            _("Dimension"),
            pgettext("improvement report", "Owner"),
            pgettext("improvement report", "Due"),
            _("Status"),
        ]
        builder.table(
            [header]
            + [
                [
                    item.title,
                    item.department,
                    item.dimension,
                    item.owner or fmt.DASH,
                    date_format(item.due_on, "DATE_FORMAT") if item.due_on else fmt.DASH,
                    item.status_label + (_overdue() if item.overdue else ""),
                ]
                for item in bucket.items
            ],
            [w * 0.28, w * 0.16, w * 0.16, w * 0.13, w * 0.12, w * 0.15],
            title=_("Actions: %(period)s") % {"period": bucket.label},
        )


def _overdue() -> str:
    return " ({})".format(pgettext("improvement report", "overdue"))


def _lines(builder, lines: list[str]) -> JPParagraph:
    text = "<br/>".join(escape(line) for line in lines) if lines else fmt.DASH
    return JPParagraph(text, builder.s["cell"])


def loop_section(builder, results, departments: list[Department]) -> None:
    """Each department's loop (``Loop.leading``: the plan's first steps and every dimension
    with actions): the gap, the actions with their status, the training and quiz results,
    and the change."""
    campaign = results.campaign
    builder.heading(_("From gap to re-assessment"))
    builder.p(
        _(
            "For each dimension of the improvement plan: the gap, the actions taken, the "
            "training assigned and its quiz results, and how the score moved."
        ),
        "small",
    )
    w = FRAME_WIDTH
    for department in departments:
        loop = department_loop(results, department, standing=_reader(campaign))
        builder.heading(department.name, 1)
        if loop.withheld:
            builder.p(loop.reason, "small")
        if loop.delta_name:
            builder.p(_delta_note(loop), "small")
        steps = loop.leading  # the plan's first steps and every dimension with actions
        if not steps:
            builder.p(_("No gaps to a target and no actions yet."), "small")
            continue
        overdue = loop.overdue
        header = [
            _("Dimension"),
            pgettext("improvement loop", "Gap"),
            pgettext("improvement loop", "Actions"),
            _("Training and quiz"),
            pgettext("score change", "Change"),
        ]
        rows = [header]
        for step in steps:
            plan = step.plan
            gap = (
                _("%(mean)s → level %(target)s (gap %(gap)s)")
                % {
                    "mean": fmt.mean(plan.mean),
                    "target": plan.target,
                    "gap": fmt.mean(plan.gap),
                }
                if plan is not None
                else fmt.DASH
            )
            actions = [
                f"[{a.get_status_display()}] {a.title}" + (_overdue() if a.pk in overdue else "")
                for a in step.actions
            ]
            training = [
                _("%(module)s: assigned %(assigned)s, passed %(passed)s of %(members)s")
                % {
                    "module": line.module.title,
                    "assigned": line.assigned,
                    "passed": line.passed,
                    "members": line.members,
                }
                + (f", {fmt.percent(line.best_score)}%" if line.best_score is not None else "")
                for line in step.training
            ]
            change = (
                f"{fmt.mean(step.delta.before)} → {fmt.mean(step.delta.after)} "
                f"({fmt.delta(step.delta.change)})"
                if step.delta is not None
                else fmt.DASH
            )
            rows.append(
                [
                    step.dimension.title,
                    gap,
                    _lines(builder, actions),
                    _lines(builder, training),
                    change,
                ]
            )
        builder.table(
            rows,
            [w * 0.16, w * 0.16, w * 0.30, w * 0.24, w * 0.14],
            title=_("From gap to re-assessment: %(department)s") % {"department": department.name},
        )
        evidence_section(builder, campaign, department)


def evidence_section(builder, campaign: Campaign, department: Department) -> None:
    """The department's evidence as the web shows it to its consultant
    (``improvement.evidence.selectors.evidence_for``, so the anonymity rule holds): the
    approved proof listed, re-certification due flagged, and how many wait for review or
    were rejected."""
    # The campaign's evidence is read once for the report, then taken per department.
    key = ("report evidence", campaign.pk)
    cache = builder.results.presented
    if key not in cache:
        cache[key] = list(evidence_for(campaign, viewer_standing=_reader(campaign)))
    rows = [e for e in cache[key] if e.department_id == department.pk]
    if not rows:
        return
    approved = [e for e in rows if e.status == Evidence.Status.APPROVED]
    business_model = campaign.organisation.business_model
    pending = sum(1 for e in rows if e.status == Evidence.Status.PENDING)
    rejected = sum(1 for e in rows if e.status == Evidence.Status.REJECTED)
    builder.p(
        _("Evidence: %(approved)s approved, %(pending)s awaiting review, %(rejected)s rejected.")
        % {"approved": len(approved), "pending": pending, "rejected": rejected},
        "small",
    )
    for evidence in approved:
        what = (
            evidence.action.title
            if evidence.action_id
            else worded(evidence.answer.question, business_model, choices=False).text
        )
        line = _("%(title)s (%(kind)s, approved %(date)s) for: %(what)s") % {
            "title": evidence.title,
            "kind": evidence.get_kind_display(),
            "date": date_format(timezone.localtime(evidence.reviewed_at), "DATE_FORMAT")
            if evidence.reviewed_at
            else fmt.DASH,
            "what": what,
        }
        if evidence.recertification_due:
            line += " · " + _("Re-certification due")
        builder.story.append(JPParagraph(escape(line), builder.s["bullet"], bulletText="•"))


def _delta_note(loop) -> str:
    if loop.delta_kind == "next":
        return _("Change: at the next campaign, %(name)s.") % {"name": loop.delta_name}
    if loop.delta_kind == "milestone":
        return _("Change: since the milestone %(name)s.") % {"name": loop.delta_name}
    return _("Change: against %(name)s.") % {"name": loop.delta_name}
