"""The organisation (or department) report as a PDF, built with platypus from the same
rows (``results``: score rows, overall figure, plan, disagreements, number formats) and chart
Drawings as the web pages: nothing is computed, formatted or drawn twice."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    TableStyle,
)

from assessments.models import Campaign, ConsultantAccess, Department
from assessments.selectors import department_comments
from assessments.templatetags.people import person
from maturity.scoring import OTHER_ROLES, SELF_ROLES
from results import figures
from results import formatting as fmt
from results import rows as presenters
from results.charts.fonts import FONT
from results.charts.palette import LINE, MUTED, TABLE_HEADER
from results.department import disagreement_rows
from results.loader import CampaignResults, shown_results
from results.plan import PlanRow, first_steps
from training.editions import participant_markdown
from training.models import Module
from training.selectors import modules_for_steps, team_progress

from . import improvement_report
from .cover import Cover, cover_text
from .document import (
    FRAME_WIDTH,
    Heading,
    Progress,
    ReportDocument,
    Running,
    styles,
    table_of_contents,
)
from .flowables import JPParagraph, markdown_flowables
from .layout import Captions, LevelChip, ReportTable

TABLE_STYLE = [
    # Every cell is a Paragraph, but Table still sets its default font: make it ours, so
    # that no un-embedded Helvetica is left in the PDF.
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.4, LINE),
    ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEADER),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


class _Builder:
    def __init__(self, results: CampaignResults, department: Department | None):
        self.results = results
        self.department = department
        self.s = styles()
        self.stream_style = ParagraphStyle(
            "stream", parent=self.s["cell"], leftIndent=8, textColor=MUTED
        )
        self.story: list = []
        self._modules: list[Module] | None = None
        self.captions = Captions(self.s)

    def p(self, text: str, style: str = "body"):
        self.story.append(JPParagraph(escape(text), self.s[style]))

    def heading(self, text: str, level: int = 0, *, room: float = 220):
        """A chapter (level 0) or section heading; a chapter starts on a new page only when
        less than ``room`` points are left (no forced page break before a short chapter)."""
        style = "h1" if level == 0 else "h2"
        self.story.append(CondPageBreak(room if level == 0 else 120))
        self.story.append(Heading(escape(text), self.s[style], level))

    def table(self, rows: list[list], widths: list[float], *, title: str):
        """A table with its numbered caption 「表n」 above it (reports.layout.Captions)."""
        cells = [
            [
                c
                if not isinstance(c, str)
                else JPParagraph(escape(c), self.s["cell_bold" if i == 0 else "cell"])
                for c in row
            ]
            for i, row in enumerate(rows)
        ]
        table = ReportTable(cells, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(TABLE_STYLE))
        flowables = self.captions.table(table, title, width=sum(widths))
        if (
            isinstance(flowables[0], CondPageBreak)
            and len(self.story) >= 2
            and isinstance(self.story[-1], Heading)
            and isinstance(self.story[-2], CondPageBreak)
        ):
            # A section heading right above a long table: the room both need comes first.
            heading = self.story.pop()
            room = max(self.story.pop().height, flowables.pop(0).height + 40)
            flowables[:0] = [CondPageBreak(room), heading]
        self.story += flowables

    def figure(self, drawing, title: str):
        """A chart with its numbered caption 「図n」 under it, kept together."""
        if drawing is not None:
            self.story.append(self.captions.figure(drawing, title))

    def chip(self, level):
        """A level as a chip on the framework's scale (reports.layout.LevelChip)."""
        return LevelChip(level, self.results.scale.low, self.results.scale.high)

    def title(self) -> str:
        """The report's title: the product's own for the default framework, otherwise the
        framework's title (a data-maturity model's report is not a "level check" of the
        engagement model)."""
        framework = self.results.campaign.framework
        if framework.slug == settings.DEFAULT_FRAMEWORK_SLUG:
            if self.department is None:
                return _("Level check report")
            return _("Level check report: %(department)s") % {"department": self.department.name}
        if self.department is None:
            return _("%(framework)s: report") % {"framework": framework.title}
        return _("%(framework)s: report for %(department)s") % {
            "framework": framework.title,
            "department": self.department.name,
        }

    def stream_cell(self, title: str):
        """A stream's title under its dimension's row: indented and muted."""
        return JPParagraph(escape(f"· {title}"), self.stream_style)

    def mean(self, value, digits: int | None = None) -> str:
        """A mean at the framework's precision, half-up (results.formatting)."""
        return fmt.mean(value, digits, self.results.rules)

    def delta(self, value) -> str:
        return fmt.delta(value, self.results.rules)

    def area_table(self, area_rows: list[presenters.AreaRow], *, organisation: bool, title: str):
        """Area, level, mean, 0–100 score (and the organisation's mean beside a
        department's)."""
        header = [_("Area"), _("Level"), _("Mean"), _("Score")]
        w = FRAME_WIDTH
        widths = [w * 0.52, w * 0.16, w * 0.16, w * 0.16]
        if not organisation:
            header.append(_("Organisation"))
            widths = [w * 0.44, w * 0.14, w * 0.14, w * 0.14, w * 0.14]
        body = []
        for r in area_rows:
            cells = [r.area.title, self.chip(r.level), self.mean(r.mean), fmt.percent(r.score)]
            if not organisation:
                cells.append(self.mean(r.organisation_mean))
            body.append(cells)
        self.table([header] + body, widths, title=title)

    # --------------------------------------------------------------- sections

    def cover(self, consultants: list[str]):
        campaign = self.results.campaign
        framework = campaign.framework
        if framework.slug == settings.DEFAULT_FRAMEWORK_SLUG:
            framework_line = framework.title
        else:  # as published: title and version (the title above), licence, attribution
            credits = (framework.label, framework.licence, framework.attribution)
            framework_line = " · ".join(t for t in credits if t)
        text = cover_text(
            campaign, title=self.title(), framework_line=framework_line, consultants=consultants
        )
        self.story.append(Cover(text, self.s, logo_path=settings.REPORT_LOGO_PATH))
        self.story.append(PageBreak())
        self.story.append(JPParagraph(escape(_("Contents")), self.s["h1"]))
        self.story.append(table_of_contents(self.s))
        self.story.append(PageBreak())

    def summary(self, rows):
        self.heading(_("Executive summary"))
        overall = presenters.overall(
            self.results, self.department.pk if self.department is not None else None
        )
        if overall is None:
            if self.department is None or self.results.disclosure.shows(self.department.pk):
                self.p(_("No submitted answers yet."))
            return  # a withheld department's reason follows
        figures_of = {
            "level": fmt.level(overall.level),
            "title": overall.level_title,
            "mean": self.mean(overall.mean),
            "low": self.results.scale.low,
            "high": self.results.scale.high,
        }
        if overall.level_title:
            self.p(
                _(
                    "Overall level: %(level)s (%(title)s), mean %(mean)s on the "
                    "%(low)s–%(high)s scale."
                )
                % figures_of
            )
        else:  # a framework without level titles
            self.p(
                _("Overall level: %(level)s, mean %(mean)s on the %(low)s–%(high)s scale.")
                % figures_of
            )
        strengths, gaps = presenters.strengths_and_gaps(rows)
        self.heading(_("Strengths and gaps"), 1)
        self.table(
            [[_("Strengths"), _("Largest gaps")]]
            + [
                [
                    f"{s.dimension.title} ({self.mean(s.mean)})" if s else "",
                    f"{g.dimension.title} ({self.mean(g.mean)})" if g else "",
                ]
                for s, g in zip(strengths + [None] * 3, gaps + [None] * 3, strict=False)
                if s or g
            ][:3],
            [FRAME_WIDTH / 2] * 2,
            title=_("Strengths and gaps"),
        )
        self.heading(_("The three most important actions"), 1)
        for position, step in enumerate(self.report_steps(), start=1):
            # A framework without recommendations gives the step's target instead.
            action = step.action or (f"{self.mean(step.mean)} → {_('target level')} {step.target}")
            self.p(f"{position}. {step.department.name} · {step.dimension.title}: {action}")

    def rater_counts(self, department: Department) -> tuple[int, int]:
        """How many submitted responses of ``department`` are managers' self-ratings, and how
        many are other raters' (maturity.scoring's SELF_ROLES and OTHER_ROLES)."""
        answers = self.results.answers
        if answers.empty:
            return 0, 0
        mine = answers[answers["department_id"] == department.pk]
        roles = mine.drop_duplicates("response_id")["rater_role"]
        self._other_roles = set(roles[roles.isin(OTHER_ROLES)])
        return int(roles.isin(SELF_ROLES).sum()), int(roles.isin(OTHER_ROLES).sum())

    def raters(self, count: int, mean: str, *, managers: bool) -> str:
        """「管理職1名 4.31」 / "1 manager 4.31", "3 managers 4.10": the count in words."""
        values = {"count": count, "mean": mean}
        if managers:
            return (
                ngettext("%(count)s manager %(mean)s", "%(count)s managers %(mean)s", count)
                % values
            )
        if getattr(self, "_other_roles", set()) <= {"consultant"}:
            return (
                ngettext("%(count)s consultant %(mean)s", "%(count)s consultants %(mean)s", count)
                % values
            )
        return (
            ngettext("%(count)s other rater %(mean)s", "%(count)s other raters %(mean)s", count)
            % values
        )

    def report_steps(self) -> list[PlanRow]:
        """The report's first plan steps: the department's, or the whole campaign's."""
        return first_steps(self.results, self.department.pk if self.department else None)

    def organisation(self, rows):
        self.heading(_("The organisation"))
        self.figure(
            figures.heatmap_drawing(self.results, width=FRAME_WIDTH),
            _("Mean by department and dimension"),
        )
        self.figure(figures.organisation_radar(self.results, rows), _("The organisation's profile"))
        area_rows = presenters.organisation_area_rows(self.results)
        if area_rows:
            self.heading(_("Organisation by area"), 1)
            self.area_table(area_rows, organisation=True, title=_("Organisation by area"))
            self.figure(
                figures.area_heatmap_drawing(self.results, width=FRAME_WIDTH),
                _("Mean by department and area"),
            )
        self.heading(_("Organisation by dimension"), 1)
        header = [_("Dimension"), _("Level"), _("Mean"), pgettext("score change", "Change")]
        body = []
        for r in rows:
            body.append(
                [r.dimension.title, self.chip(r.level), self.mean(r.mean), self.delta(r.delta)]
            )
            body += [
                [self.stream_cell(stream.title), "", self.mean(stream.mean), ""]
                for stream in r.streams
            ]
        self.table(
            [header] + body,
            [FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.15, FRAME_WIDTH * 0.15, FRAME_WIDTH * 0.15],
            title=_("Organisation by dimension"),
        )
        if self.results.previous is not None:
            self.p(_("Change: against %(name)s.") % {"name": self.results.previous.name}, "small")

    def department_section(self, department: Department):
        rows = presenters.department_rows(self.results, department.pk)
        self.heading(department.name, room=420)
        if all(r.mean is None for r in rows):
            self.p(_("No submitted answers for this department yet."))
            return
        self.figure(
            figures.department_radar(self.results, department, rows),
            _("%(department)s against the organisation") % {"department": department.name},
        )
        area_rows = presenters.department_area_rows(self.results, department.pk)
        if area_rows:
            self.heading(_("By area"), 1)
            self.area_table(
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
                    self.chip(r.level),
                    self.mean(r.mean),
                    self.mean(r.organisation_mean),
                    self.delta(r.delta),
                    r.current_description or fmt.DASH,
                ]
            )
            # Its streams under the dimension: their means (a stream has no level of its own).
            body += [
                [self.stream_cell(stream.title), "", self.mean(stream.mean), "", "", ""]
                for stream in r.streams
            ]
        self.table(
            [header] + body,
            [w * 0.19, w * 0.08, w * 0.08, w * 0.13, w * 0.09, w * 0.43],
            title=_("%(department)s by dimension") % {"department": department.name},
        )
        improvement_report.department_commentary(self, self.results.campaign, department)
        gaps = [r for r in rows if r.perception_gap is not None]
        if gaps:
            self.heading(_("Perception gap"), 1)
            own, other = self.rater_counts(department)
            for r in gaps:
                self.p(
                    _("%(dimension)s: %(own)s, %(other)s (%(gap)s).")
                    % {
                        "dimension": r.dimension.title,
                        "own": self.raters(own, self.mean(r.self_mean), managers=True),
                        "other": self.raters(other, self.mean(r.other_mean), managers=False),
                        "gap": self.delta(r.perception_gap),
                    }
                )
        disagreements = disagreement_rows(self.results, department.pk)
        if disagreements:
            self.heading(_("Where respondents disagree"), 1)
            for row in disagreements[:8]:
                # The answers' range, e.g. 「（2〜5）」 / "(2–5)": the catalogue writes it.
                spread = _("(%(low)s–%(high)s)") % {
                    "low": self.mean(row.low, 0),
                    "high": self.mean(row.high, 0),
                }
                self.story.append(
                    JPParagraph(
                        escape(f"{row.question.text} {spread}"), self.s["bullet"], bulletText="•"
                    )
                )
        comments = [
            c for c in department_comments(self.results.campaign, department) if c["comment"]
        ][:5]
        if comments:
            self.heading(_("Selected comments"), 1)
            for c in comments:
                quoted = _("“%(comment)s” — %(dimension)s") % {
                    "comment": c["comment"],
                    "dimension": c["question"].dimension.title,
                }
                self.p(quoted, "body")

    def plan(self, departments: list[Department]):
        self.heading(_("Improvement plan"))
        for department in departments:
            items = first_steps(self.results, department.pk)
            if not items:
                continue
            self.heading(department.name, 1)
            for r in items:
                self.p(
                    f"{r.dimension.title}: {self.mean(r.mean)} → {_('target level')} {r.target}",
                    "h3",
                )
                for text in r.recommendations:
                    self.story.append(JPParagraph(escape(text), self.s["bullet"], bulletText="•"))

    def learning(self, departments: list[Department]):
        self.heading(_("Learning"))
        organisation = self.results.campaign.organisation
        if not any(self.plan_modules(first_steps(self.results, d.pk)) for d in departments):
            # A framework the training catalogue does not serve: say so, not an empty page.
            self.p(_("No learning module serves the first steps of the plan."), "small")
        for department in departments:
            modules = self.plan_modules(first_steps(self.results, department.pk))
            if not modules:
                continue
            progress = team_progress(organisation, department=department)
            members = len(progress["rows"])
            header = [_("Module"), _("Passed"), _("Read"), _("Best scores")]
            body = []
            for module in modules:
                cells = [
                    c
                    for row in progress["rows"]
                    for c in row["cells"]
                    if c["module"].pk == module.pk
                ]
                passed = sum(1 for c in cells if c["progress"] and c["progress"].passed)
                read = sum(1 for c in cells if c["progress"] and c["progress"].read_at)
                scores = [
                    c["progress"].best_score
                    for c in cells
                    if c["progress"] and c["progress"].best_score is not None
                ]
                body.append(
                    [
                        module.title,
                        f"{passed} / {members}",
                        f"{read} / {members}",
                        fmt.percent(sum(scores) / len(scores)) + "%" if scores else fmt.DASH,
                    ]
                )
            self.heading(department.name, 1)
            w = FRAME_WIDTH
            self.table(
                [header] + body,
                [w * 0.52, w * 0.16, w * 0.16, w * 0.16],
                title=_("Learning progress: %(department)s") % {"department": department.name},
            )

    def plan_modules(self, steps: list[PlanRow]) -> list[Module]:
        """The modules for ``steps`` (training.selectors.modules_for_steps, the rule the
        learning-path proposal uses): the learning section and the appendix both choose
        with this."""
        if self._modules is None:
            self._modules = list(
                Module.objects.prefetch_related("dimensions", "sections", "discussion").order_by(
                    "order", "slug"
                )
            )
        return [module for module, _step in modules_for_steps(steps, self._modules)]

    def appendix(self):
        self.heading(_("Appendix: study-session material"))
        self.p(
            _("Modules for the first steps of the improvement plan, for a study session."),
            "small",
        )
        modules = self.plan_modules(self.report_steps())[:3]  # a study session holds three
        if not modules:
            self.p(_("No learning module serves the first steps of the plan."), "small")
        for module in modules:
            self.story.append(CondPageBreak(260))
            self.heading(module.title, 1)
            # The participant edition only: no facilitator notes, no answer keys
            # (training.editions).
            self.p(participant_markdown(module.summary))
            for section in module.sections.all():
                self.p(section.title, "h3")
                self.story += self.captions.markdown(
                    markdown_flowables(participant_markdown(section.body)), section.title
                )
            self.p(_("Discussion questions"), "h3")
            for q in module.discussion.all():
                self.story.append(JPParagraph(escape(q.text), self.s["bullet"], bulletText="•"))
            exercise = participant_markdown(module.exercise)
            if exercise.strip():
                self.p(_("Exercise"), "h3")
                self.story += self.captions.markdown(
                    markdown_flowables(exercise),
                    _("Exercise: %(module)s") % {"module": module.title},
                )


def build_campaign_report(
    campaign: Campaign,
    *,
    department: Department | None = None,
    language: str = "ja",
    progress: Progress | None = None,
) -> bytes:
    """The campaign's report (or one department's) as PDF bytes, in Japanese or English.

    ``progress(stage, done, total)``, if given, hears "data" once the scores are read,
    "layout" after each page (``total`` None until the first pass has counted them) and
    "done" with the page count (reports.document.Progress)."""
    with translation.override(language):
        results = shown_results(campaign)
        builder = _Builder(results, department)
        consultants = ConsultantAccess.objects.filter(
            organisation=campaign.organisation
        ).select_related("user")
        consultant_names = [person(a.user) for a in consultants]
        org_rows = presenters.organisation_rows(results)
        departments = [department] if department else results.departments
        summary_rows = (
            presenters.department_rows(results, department.pk) if department else org_rows
        )
        builder.cover(consultant_names)
        builder.summary(summary_rows)
        improvement_report.campaign_commentary(builder, campaign)
        if department is None:
            builder.organisation(org_rows)
        scored = (
            set(results.by_department["department_id"]) if len(results.by_department) else set()
        )
        for each in departments:
            # Below the anonymity threshold: the reason instead of any score (assessments.privacy).
            if not results.disclosure.shows(each.pk):
                builder.p(f"{each.name}: {results.disclosure.reason(each.pk)}", "small")
        waiting = [d for d in departments if d.pk not in scored and results.disclosure.shows(d.pk)]
        if waiting:
            builder.p(
                _("No submitted answers yet: %(departments)s.")
                % {"departments": ", ".join(d.name for d in waiting)},
                "small",
            )
        for each in departments:
            if each.pk in scored:
                builder.department_section(each)
        builder.plan(departments)
        improvement_report.roadmap_section(builder, campaign, department)
        improvement_report.loop_section(builder, results, departments)
        builder.learning(departments)
        builder.appendix()
        if progress is not None:
            progress("data", 1, 1)
        buffer = io.BytesIO()
        title = f"{campaign.organisation.name} · {campaign.name}"
        document = ReportDocument(
            buffer,
            title=title,
            author="LevelCheck",
            running=Running(
                header=f"{campaign.organisation.name} · {campaign.name}",
                footer=_("Confidential"),
                page_label=_("Page {page} of {pages}"),
            ),
            progress=progress,
        )
        document.build_pdf(builder.story)
        return buffer.getvalue()
