"""A department's chapter of the campaign report (reports.campaign_report): its radar
against the organisation, its areas and dimensions (with streams and "where you are"), the
consultant's published commentary, the perception gap with the raters counted in words
(「管理職1名 4.31」 / "1 manager 4.31"), where respondents disagree, and selected comments."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessments.models import Department
from assessments.selectors import department_comments
from maturity.scoring import OTHER_ROLES, SELF_ROLES
from results import figures
from results import formatting as fmt
from results import rows as presenters
from results.department import disagreement_rows, worded_comments
from results.loader import CampaignResults

from . import improvement_report
from .document import FRAME_WIDTH
from .flowables import JPParagraph


def department_section(builder, department: Department) -> None:
    """A department's chapter: its radar against the organisation, areas and dimensions, the
    consultant's commentary, the perception gap with the raters counted, where respondents
    disagree, and selected comments."""
    rows = presenters.department_rows(builder.results, department.pk)
    builder.heading(department.name, room=420)
    if all(r.mean is None for r in rows):
        builder.p(_("No submitted answers for this department yet."))
        return
    builder.figure(
        figures.department_radar(builder.results, department, rows),
        _("%(department)s against the organisation") % {"department": department.name},
    )
    area_rows = presenters.department_area_rows(builder.results, department.pk)
    if area_rows:
        builder.heading(_("By area"), 1)
        builder.area_table(
            area_rows,
            organisation=False,
            title=_("%(department)s by area") % {"department": department.name},
        )
    header = [
        _("Dimension"),
        _("Level"),
        _("Mean"),
        _("Organisation"),
        pgettext("score change", "Change"),
        _("Where you are"),
    ]
    w = FRAME_WIDTH
    body = []
    for r in rows:
        body.append(
            [
                r.dimension.title,
                builder.chip(r.level),
                builder.mean(r.mean),
                builder.mean(r.organisation_mean),
                builder.delta(r.delta),
                r.current_description or fmt.DASH,
            ]
        )
        # Its streams under the dimension: their means (a stream has no level of its own).
        body += [
            [builder.stream_cell(stream.title), "", builder.mean(stream.mean), "", "", ""]
            for stream in r.streams
        ]
    builder.table(
        [header] + body,
        [w * 0.19, w * 0.08, w * 0.08, w * 0.13, w * 0.09, w * 0.43],
        title=_("%(department)s by dimension") % {"department": department.name},
    )
    improvement_report.department_commentary(builder, builder.results.campaign, department)
    gaps = [r for r in rows if r.perception_gap is not None]
    if gaps:
        builder.heading(_("Perception gap"), 1)
        own, other, others = rater_counts(builder.results, department)
        for r in gaps:
            builder.p(
                _("%(dimension)s: %(own)s, %(other)s (%(gap)s).")
                % {
                    "dimension": r.dimension.title,
                    "own": raters(own, builder.mean(r.self_mean)),
                    "other": raters(other, builder.mean(r.other_mean), roles=others),
                    "gap": builder.delta(r.perception_gap),
                }
            )
    disagreements = disagreement_rows(builder.results, department.pk)
    if disagreements:
        builder.heading(_("Where respondents disagree"), 1)
        for row in disagreements[:8]:
            # The answers' range, e.g. 「（2〜5）」 / "(2–5)": the catalogue writes it.
            spread = _("(%(low)s–%(high)s)") % {
                "low": builder.mean(row.low, 0),
                "high": builder.mean(row.high, 0),
            }
            builder.story.append(
                JPParagraph(
                    escape(f"{row.question.text} {spread}"), builder.s["bullet"], bulletText="•"
                )
            )
    # Worded for the organisation's business model, as on the results page.
    comments = [
        c
        for c in worded_comments(
            builder.results,
            department_comments(
                builder.results.campaign, department, cache=builder.results.presented
            ),
        )
        if c["comment"]
    ][:5]
    if comments:
        builder.heading(_("Selected comments"), 1)
        for c in comments:
            quoted = _("“%(comment)s” — %(dimension)s") % {
                "comment": c["comment"],
                "dimension": c["question"].dimension.title,
            }
            builder.p(quoted, "body")


def rater_counts(results: CampaignResults, department: Department) -> tuple[int, int, set[str]]:
    """How many submitted responses of ``department`` are managers' self-ratings, how many
    are other raters' (maturity.scoring's SELF_ROLES and OTHER_ROLES), and those raters'
    roles."""
    answers = results.answers
    if answers.empty:
        return 0, 0, set()
    mine = answers[answers["department_id"] == department.pk]
    roles = mine.drop_duplicates("response_id")["rater_role"]
    others = set(roles[roles.isin(OTHER_ROLES)])
    return int(roles.isin(SELF_ROLES).sum()), int(roles.isin(OTHER_ROLES).sum()), others


def raters(count: int, mean: str, *, roles: set[str] | None = None) -> str:
    """「管理職1名 4.31」 / "1 manager 4.31", "3 managers 4.10" (``roles`` None: managers);
    other raters read "1 consultant 1.80" when they are all consultants."""
    values = {"count": count, "mean": mean}
    if roles is None:
        return ngettext("%(count)s manager %(mean)s", "%(count)s managers %(mean)s", count) % values
    if roles <= {"consultant"}:
        return (
            ngettext("%(count)s consultant %(mean)s", "%(count)s consultants %(mean)s", count)
            % values
        )
    return (
        ngettext("%(count)s other rater %(mean)s", "%(count)s other raters %(mean)s", count)
        % values
    )
