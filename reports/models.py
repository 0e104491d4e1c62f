"""Report jobs: one PDF (a campaign report, a department report or a study-session handout)
asked for by a person and built in the background by a task."""

import re
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Campaign, Department, Organisation

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(pdf: bytes) -> int | None:
    """Pages of a ReportLab PDF, read from its uncompressed page objects (no PDF parser)."""
    pages = len(_PAGE.findall(pdf))
    return pages or None


def report_upload_to(job: "ReportJob", filename: str) -> str:
    # An unguessable stored name: the download view, not the path, decides who gets the file.
    return f"reports/{job.organisation_id}/{secrets.token_hex(16)}.pdf"


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Organisation report")
        DEPARTMENT = "department", _("Department report")
        HANDOUT = "handout", _("Study-session handout")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        QUEUE = "queue", _("The report could not be queued")
        BUILD = "build", _("The PDF could not be built")
        MISSING_MODULES = "missing_modules", _("Some modules no longer exist")
        INTERRUPTED = "interrupted", _("The worker stopped before the PDF was finished")

    class Edition(models.TextChoices):
        # A handout's reader (reports.handout): the facilitator's has the answer keys, model
        # answers and notes; the participants' has none of them.
        FACILITATOR = "facilitator", pgettext_lazy("handout", "Facilitator edition")
        PARTICIPANT = "participant", pgettext_lazy("handout", "Participant edition")

    class Stage(models.TextChoices):
        # What a running build is doing, as the builder reports it (reports.tasks.Progress).
        DATA = "data", _("Scoring")
        LAYOUT = "layout", _("Laying out")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("organisation"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("campaign"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    module_slugs = models.JSONField(_("modules"), default=list, blank=True)
    edition = models.CharField(_("edition"), max_length=12, choices=Edition.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error_code = models.CharField(_("error"), max_length=20, choices=Error.choices, blank=True)
    error_detail = models.TextField(_("error detail"), blank=True)
    file = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The task building (or due to build) the job. A worker writes to a running job only
    # while this is still its own task: a worker that lost its lease cannot overwrite the
    # attempt that replaced it.
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    # Renewed by the running build; a running job whose heartbeat is older than the lease
    # (REPORT_JOB_LEASE_SECONDS) lost its worker (see reports/leases.py).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("build attempts"), default=0)
    # Progress of the running attempt (blank before its builder reports any): written at most
    # a few times a second by the build itself, fenced by task_result_id like every write.
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    pages_done = models.PositiveIntegerField(_("pages laid out"), default=0)
    pages_total = models.PositiveIntegerField(_("pages expected"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [
            models.Index(fields=["campaign", "-created_at"]),
            # The reaper's scan and the per-user limit look only at pending jobs.
            models.Index(
                fields=["status", "heartbeat_at"],
                name="report_job_pending_idx",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="handout") | models.Q(campaign__isnull=False),
                name="report_job_campaign_reports_have_a_campaign",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="department") | models.Q(department__isnull=False),
                name="report_job_department_reports_have_a_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_stalled(self) -> bool:
        """Running, but its lease ran out: the worker building it stopped, and a live worker's
        reaper will build it again or fail it. Known for jobs read through
        ``reports.selectors.with_lease_state``; derived, never stored, so reading writes nothing.
        """
        return self.status == self.Status.RUNNING and bool(getattr(self, "lease_expired", False))

    def get_status_display(self) -> str:
        """The status as pages, the API's messages and the admin show it: a stalled job says so."""
        if self.is_stalled:
            return gettext("Stalled")
        return self._get_FIELD_display(self._meta.get_field("status"))

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def progress_text(self) -> str:
        """Where the build is, for people: "Scoring…", "Laying out: page 12", "Done: 28 pages";
        blank while queued, failed, stalled or before a builder that reports no progress."""
        if self.status == self.Status.DONE:
            pages = self.pages or self.pages_done
            if not pages:
                return ""
            return ngettext("Done: %(count)d page", "Done: %(count)d pages", pages) % {
                "count": pages
            }
        if self.status != self.Status.RUNNING or self.is_stalled:
            return ""
        if self.stage == self.Stage.DATA:
            return gettext("Scoring…")
        if self.stage == self.Stage.LAYOUT:
            if self.pages_total:
                return gettext("Laying out: page %(page)d of %(total)d") % {
                    "page": self.pages_done,
                    "total": self.pages_total,
                }
            return gettext("Laying out: page %(page)d") % {"page": self.pages_done}
        if self.stage == self.Stage.DONE:
            return ngettext("Done: %(count)d page", "Done: %(count)d pages", self.pages_done) % {
                "count": self.pages_done
            }
        return ""

    @property
    def progress_known(self) -> bool:
        """A running build whose page total is known: the page shows a <progress> bar."""
        return (
            self.status == self.Status.RUNNING
            and not self.is_stalled
            and self.stage == self.Stage.LAYOUT
            and bool(self.pages_total)
        )

    @property
    def error_message(self) -> str:
        """What went wrong, for people, in the reader's language."""
        if self.status != self.Status.FAILED:
            return ""
        problem = self.Error(self.error_code).label if self.error_code else gettext("Failed")
        if self.error_detail:
            sentence = gettext("%(problem)s (%(detail)s).") % {
                "problem": problem,
                "detail": self.error_detail,
            }
        else:
            sentence = gettext("%(problem)s.") % {"problem": problem}
        if self.error_code == self.Error.INTERRUPTED and self.attempts > 1:
            sentence += " " + ngettext(
                "It was tried %(count)d time.", "It was tried %(count)d times.", self.attempts
            ) % {"count": self.attempts}
        advice = gettext("Try again; if it fails again, tell your LevelCheck administrator.")
        return f"{sentence} {advice}"

    def download_name(self) -> str:
        """The file name offered to the browser (ASCII, so every mail client keeps it)."""
        if self.kind == self.Kind.HANDOUT:
            stem = "handout-" + "-".join(self.module_slugs[:3])
        elif self.kind == self.Kind.DEPARTMENT:
            stem = f"report-campaign-{self.campaign_id}-department-{self.department_id}"
        else:
            stem = f"report-campaign-{self.campaign_id}"
        return f"levelcheck-{stem}-{self.language}-{self.pk}.pdf"
