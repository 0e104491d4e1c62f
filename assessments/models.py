"""Organisations, departments and people; campaigns, responses, invitations and answers.

Every row hangs off an organisation, and every read and write goes through the scoped
selectors and services of this app (``access``, ``selectors``, ``services``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maturity.business_models import DEFAULT_BUSINESS_MODEL, BusinessModel
from maturity.functions import DepartmentFunction
from maturity.models import Choice, Framework, Question


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # Decides which questions apply and how they are worded (maturity.business_models).
    business_model = models.CharField(
        _("business model"),
        max_length=32,
        choices=BusinessModel.choices,
        default=DEFAULT_BUSINESS_MODEL,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=32, choices=DepartmentFunction.choices)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in one organisation: org admin, manager or staff of a department."""

    class Role(models.TextChoices):
        ORG_ADMIN = "org_admin", _("Organisation admin")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ConsultantAccess(models.Model):
    """A consultant's access to one client organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_accesses"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consultant_accesses"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultant access")
        verbose_name_plural = _("consultant accesses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="consultant_access_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class Campaign(models.Model):
    """One run of the level check in an organisation, on a pinned framework version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaigns"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    departments = models.ManyToManyField(Department, related_name="campaigns")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=3,
        help_text=_(
            "Below this many respondents in a department, individual answers are shown "
            "without names."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_accepting_answers(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on


class Response(models.Model):
    """One respondent's assessment of one department in one campaign."""

    class RaterRole(models.TextChoices):
        MANAGER = "manager", _("Manager (self-assessment)")
        CONSULTANT = "consultant", _("Consultant")
        ORG_ADMIN = "org_admin", _("Organisation admin")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    rater_role = models.CharField(_("rater role"), max_length=16, choices=RaterRole.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "department", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "department", "respondent"], name="response_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.department} · {self.respondent}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An unguessable link that opens exactly one response, for its respondent only.

    The link is a pointer, not a credential: it works only for the logged-in respondent,
    so a forwarded link grants nobody else anything.
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="invitation")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{_('Invitation')} · {self.response}"


COMMENT_MAX_LENGTH = 2000
NA_REASON_MAX_LENGTH = 500


class AnswerQuerySet(models.QuerySet):
    def answered(self) -> "AnswerQuerySet":
        """The answers that count as answered (``Answer.answered_condition``)."""
        return self.filter(Answer.answered_condition())


class Answer(models.Model):
    """The answer to one question in one response; one row per (response, question)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    is_na = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.CharField(_("reason for N/A"), max_length=NA_REASON_MAX_LENGTH, blank=True)
    comment = models.TextField(_("comment or evidence"), max_length=COMMENT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=~models.Q(choice__isnull=False, is_na=True),
                name="answer_choice_or_na",
            ),
            models.CheckConstraint(
                condition=models.Q(is_na=False) | ~models.Q(na_reason=""),
                name="answer_na_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question_id}"

    # What counts as answered, written once in two languages: a choice, or N/A. A comment
    # alone is saved but leaves the question open (progress, resume, the review page).
    # ``answered_condition`` says it to the database, ``is_answered`` to Python; change both.

    @staticmethod
    def answered_condition(prefix: str = "") -> models.Q:
        """The database condition for an answered answer; ``prefix`` reaches answers through
        a relation (``"answers__"`` from a response)."""
        return models.Q(**{f"{prefix}choice__isnull": False}) | models.Q(**{f"{prefix}is_na": True})

    @property
    def is_answered(self) -> bool:
        """Whether this answer counts as answered (``answered_condition``, in Python)."""
        return self.choice_id is not None or self.is_na


class OrganisationAnswer(models.Model):
    """The organisation's one answer, in a campaign, to a question of organisation scope
    (``maturity.scopes``): given by its management on the campaign's organisation page and
    counted for every department the question applies to, as if each respondent had given
    it (``results.loader``)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="organisation_answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="organisation_answers"
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_na = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.CharField(_("reason for N/A"), max_length=NA_REASON_MAX_LENGTH, blank=True)
    comment = models.TextField(_("comment or evidence"), max_length=COMMENT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation answer")
        verbose_name_plural = _("organisation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "question"], name="organisation_answer_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(choice__isnull=False, is_na=True),
                name="organisation_answer_choice_or_na",
            ),
            models.CheckConstraint(
                condition=models.Q(is_na=False) | ~models.Q(na_reason=""),
                name="organisation_answer_na_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.question_id}"

    @property
    def is_answered(self) -> bool:
        """A choice or N/A, as for a respondent's answer (``Answer.is_answered``)."""
        return self.choice_id is not None or self.is_na


class Target(models.Model):
    """The level a department aims for on one dimension (by dimension code, so it carries
    over to later campaigns and framework versions)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="targets")
    dimension_code = models.CharField(_("dimension"), max_length=60)
    level = models.SmallIntegerField(_("target level"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        constraints = [
            models.UniqueConstraint(fields=["department", "dimension_code"], name="target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.dimension_code} → {self.level}"
