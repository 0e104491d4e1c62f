"""The organisation (or department) report as a PDF, built with platypus from the same
rows (``results``: score rows, overall figure, plan, disagreements, number formats) and chart
Drawings as the web pages: nothing is computed, formatted or drawn twice.

The parts by idea: the cover (reports.cover), the organisation chapter
(reports.organisation_section), a department's chapter (reports.department_section), the
improvement loop's chapters (reports.improvement_report); captions, chips and table rules in
reports.layout; the page, styles and contents in reports.document. This module holds the
builder they share and the remaining chapters (summary, plan, learning, appendix)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    TableStyle,
)

from assessments.models import Campaign, ConsultantAccess, Department
from assessments.templatetags.people import person
from results import formatting as fmt
from results import rows as presenters
from results.charts.fonts import FONT
from results.charts.palette import LINE, MUTED, TABLE_HEADER
from results.loader import CampaignResults, shown_results
from results.plan import PlanRow, first_steps
from training.editions import participant_markdown
from training.models import Module
from training.selectors import modules_for_steps, team_progress

from . import improvement_report
from .cover import Cover, cover_text
from .department_section import department_section
from .document import (
    FRAME_WIDTH,
    Heading,
    Progress,
    ReportDocument,
    Running,
    collector_slowed,
    styles,
    table_of_contents,
)
from .flowables import JPParagraph, markdown_flowables
from .layout import Captions, LevelChip, ReportTable, keep_leading_headings
from .organisation_section import organisation_section

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
        elif isinstance(flowables[0], KeepTogether):
            keep_leading_headings(self.story, flowables[0])
        self.story += flowables

    def figure(self, drawing, title: str):
        """A chart with its numbered caption 「図n」 under it, kept together."""
        if drawing is not None:
            self.story.append(
                keep_leading_headings(self.story, self.captions.figure(drawing, title))
            )

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

    def report_steps(self) -> list[PlanRow]:
        """The report's first plan steps: the department's, or the whole campaign's."""
        return first_steps(self.results, self.department.pk if self.department else None)

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
            progress = team_progress(
                organisation, department=department, cache=self.results.presented
            )
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
                self.captions.markdown(
                    self.story,
                    markdown_flowables(participant_markdown(section.body)),
                    section.title,
                )
            self.p(_("Discussion questions"), "h3")
            for q in module.discussion.all():
                self.story.append(JPParagraph(escape(q.text), self.s["bullet"], bulletText="•"))
            exercise = participant_markdown(module.exercise)
            if exercise.strip():
                self.p(_("Exercise"), "h3")
                self.captions.markdown(
                    self.story,
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
    with translation.override(language), collector_slowed():
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
            organisation_section(builder, org_rows)
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
                department_section(builder, each)
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
