"""What happens after the diagnosis: improvement actions with owners, evidence that gets
approved, milestones that freeze a campaign's results, and the consultant's commentary.

Every row hangs off a campaign (and so an organisation); reads and writes go through this
app's selectors and services, scoped by ``assessments.access`` like everything else."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Answer, Campaign, Department
from maturity.models import Recommendation
from training.models import Module

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000


class Action(models.Model):
    """One improvement action for a department on one dimension of a campaign's framework."""

    class Status(models.TextChoices):
        # "In progress" is also a response's status (回答中): the context keeps them apart.
        PLANNED = "planned", pgettext_lazy("action status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        DROPPED = "dropped", pgettext_lazy("action status", "Dropped")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="actions")
    dimension_code = models.CharField(_("dimension"), max_length=64)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    planned_level = models.PositiveSmallIntegerField(_("planned level"), null=True, blank=True)
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("recommendation"),
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="actions", verbose_name=_("training modules")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="created_actions",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the action was last marked done (cleared when it is reopened).
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The due date for which a reminder was last sent, so each due date is reminded once.
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=["campaign", "department", "dimension_code"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class ActionEvent(models.Model):
    """One change of an action: who, when, and each field's old and new value."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(auto_now_add=True)
    # {"field": [old, new], ...}, values as stored (ids, codes, ISO dates).
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("action change")
        verbose_name_plural = _("action changes")

    def __str__(self) -> str:
        return f"{self.action} · {self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


def evidence_upload_to(evidence: "Evidence", filename: str) -> str:
    # Never the uploaded name (kept in original_name): a random name per file, under the
    # organisation, so nothing guessable and no path from the client reaches the disk.
    import secrets

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{evidence.campaign.organisation_id}/{secrets.token_hex(16)}.{suffix}"


class Evidence(models.Model):
    """Proof for an answer or for an action: a text, a link or a file.

    Approved evidence is locked: a change makes a new version (``previous`` points to the
    one it replaces, which stays as history; only the newest has ``is_current``)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evidence")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="evidence")
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)
    url = models.URLField(_("link"), blank=True, max_length=2000)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="evidence",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_evidence",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=TEXT_MAX_LENGTH)
    recertify_on = models.DateField(_("re-certify by"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    is_current = models.BooleanField(default=True)
    # Shared by every version of one piece of evidence, so its history is one query.
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, action__isnull=True)
                | Q(answer__isnull=True, action__isnull=False),
                name="evidence_for_answer_or_action",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class Milestone(models.Model):
    """A campaign's results frozen at a moment: never changed once taken.

    ``snapshot`` holds what the comparison needs, computed by the shown-results rule
    (assessments.privacy) at the moment it was taken (``taken_at`` inside it): framework,
    scale, threshold, dimensions, the organisation's means, and per department its name,
    whether it was withheld (then no scores), per dimension mean, level, respondents and
    target, the actions done and the training completed by then. The shape is written down
    once, in ``improvement.milestones.selectors``. No edit, no delete: a milestone goes
    only with its campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=TITLE_MAX_LENGTH)
    taken_on = models.DateField(_("date"))
    taken_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["taken_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A milestone is immutable once taken.")
        super().save(*args, **kwargs)


class Commentary(models.Model):
    """The consultant's own text for a campaign (``department`` empty) or one department:
    an executive narrative and key findings, in Markdown (rendered sanitised), draft until
    published. Managers see only published text."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="commentaries")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="commentaries"
    )
    narrative = models.TextField(_("executive narrative"), blank=True, max_length=TEXT_MAX_LENGTH)
    findings = models.TextField(_("key findings"), blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "department"], name="commentary_per_department"
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(department__isnull=True),
                name="commentary_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.department or '—'}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
