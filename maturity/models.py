"""The maturity model: a framework version and the dimensions, levels, questions and
choices a department is assessed against.

A published framework version is immutable: assessments pin it, so changing it would
silently change their meaning. Every content model refuses writes once its framework is
published; a new version starts as a copy (see ``maturity.services``).
"""

from decimal import Decimal
from operator import attrgetter

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .functions import DepartmentFunction
from .scopes import QuestionScope, asked_of_departments


class PublishedFrameworkError(Exception):
    """A write was attempted on a published (immutable) framework version."""

    def __init__(self, framework: "Framework"):
        self.framework = framework
        super().__init__(
            _(
                "%(framework)s is published and cannot be changed. "
                "Create a new draft version to edit it."
            )
            % {"framework": framework.label}
        )


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=80)
    # The sequence number of the version within its slug (URLs, ordering, drafts); a file's
    # own version string, e.g. "2.2.0", is kept beside it in ``version_label``.
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    version_label = models.CharField(
        _("version label"),
        max_length=40,
        blank=True,
        help_text=_("The version as the framework's publisher writes it, e.g. 2.2.0."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Which file format the version came in (1 or 2): the export writes the same one.
    file_format = models.PositiveSmallIntegerField(_("file format"), default=1)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    source_url = models.URLField(_("source URL"), blank=True, max_length=500)
    external_ids = models.JSONField(_("external identifiers"), default=dict, blank=True)
    # The scoring rules the file declares (docs/scoring.md, "Declared rules"); empty means
    # the default rule: weighted mean, unanswered and N/A left out, level = floor.
    scoring = models.JSONField(_("scoring rules"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("Languages of the texts, primary first.")
    )
    scale_min = models.SmallIntegerField(
        _("lowest level"),
        default=1,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    scale_max = models.SmallIntegerField(
        _("highest level"),
        default=5,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    # How the questionnaire presents the questions (format v2's ``presentation``): whether
    # respondents see the question and choice step numbers (v1 versions always do), and a
    # short answering instruction shown above the questions.
    show_step_numbers = models.BooleanField(_("show step numbers"), default=True)
    instruction = models.TextField(_("answering instruction"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="framework_scale_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Framework.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise PublishedFrameworkError(self)
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def display_version(self) -> str:
        """The version as its publisher writes it (2.2.0), or the sequence number."""
        return self.version_label or str(self.version)

    @property
    def label(self) -> str:
        return f"{self.title} v{self.display_version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FrameworkContent(models.Model):
    """Base for everything that belongs to a framework version and freezes with it."""

    # Dotted attribute path from the instance to its framework.
    framework_path = "framework"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def get_framework(self) -> Framework:
        return attrgetter(self.framework_path)(self)

    def _refuse_if_published(self) -> None:
        framework = self.get_framework()
        if framework.is_published:
            raise PublishedFrameworkError(framework)


class Level(FrameworkContent):
    """One step of the framework's level scale, e.g. 1 "Acquisition-driven"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.SmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "value"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="level_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value}. {self.title}" if self.title else str(self.value)


class Area(FrameworkContent):
    """An optional grouping of dimensions (e.g. "strategy", "systems")."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Dimension(FrameworkContent):
    """One axis of the transformation, e.g. KPIs, incentives, data design."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class DimensionLevel(FrameworkContent):
    """What a department at a given level does on one dimension, and how to move up."""

    framework_path = "dimension.framework"

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="levels")
    level = models.SmallIntegerField(_("level"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["dimension", "level"]
        verbose_name = _("level description")
        verbose_name_plural = _("level descriptions")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "level"], name="dimension_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension} · {self.level}"


class Stream(FrameworkContent):
    """An optional sub-group of a dimension's questions (a "stream" in published maturity
    models, e.g. stream A "create" and stream B "measure" of one practice)."""

    framework_path = "dimension.framework"

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="streams")
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["dimension", "order"]
        verbose_name = _("stream")
        verbose_name_plural = _("streams")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="stream_code_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.code


class AnswerSet(FrameworkContent):
    """A named set of choices many questions share (e.g. "no / partly / mostly / fully"),
    with the range its values lie on. Each question keeps its own Choice rows (answers point
    at them); the set is kept so that the file's identity survives export."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="answer_sets")
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    value_min = models.DecimalField(_("lowest value"), max_digits=7, decimal_places=2)
    value_max = models.DecimalField(_("highest value"), max_digits=7, decimal_places=2)
    # [{"label": {"ja": …, "en": …}, "value": 0.25}, …] as in the file.
    choices = models.JSONField(_("choices"), default=list)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("answer set")
        verbose_name_plural = _("answer sets")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="answer_set_code_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.code


class Recommendation(FrameworkContent):
    """An action that moves a department from this dimension level to the next."""

    framework_path = "dimension_level.dimension.framework"

    dimension_level = models.ForeignKey(
        DimensionLevel, on_delete=models.CASCADE, related_name="recommendations"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["dimension_level", "order"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:60]


class Question(FrameworkContent):
    """A question contrasting an acquisition-type practice with an engagement-type one."""

    # Denormalised from the dimension so that codes are unique per framework in the database
    # and answers can be checked against their framework without a join.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    stream = models.ForeignKey(
        Stream, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    answer_set = models.ForeignKey(
        AnswerSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The maturity level the question belongs to (published models ask one question per
    # level); empty when the question spans the whole scale.
    level = models.SmallIntegerField(_("maturity level"), null=True, blank=True)
    text = models.TextField(_("question"))
    acquisition_pole = models.TextField(_("acquisition-type pole"), blank=True)
    engagement_pole = models.TextField(_("engagement-type pole"), blank=True)
    help_text = models.TextField(_("help text"), blank=True)
    # Longer guidance in Markdown, a list of quality criteria ([{"ja": …, "en": …}]) and
    # references ([{"title": {"ja": …}, "url": …}]).
    guidance = models.TextField(_("guidance"), blank=True)
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    # The range the choices' values lie on; empty means the framework's level scale.
    value_min = models.DecimalField(
        _("lowest value"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("highest value"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    functions = models.JSONField(
        _("department functions"),
        default=list,
        blank=True,
        help_text=_("Functions the question applies to; empty means every department."),
    )
    allow_na = models.BooleanField(_("N/A allowed"), default=False)
    # Business models the question applies to (maturity.business_models; empty: every
    # model) and its wording per model: {code: {"text": {"ja": …}, "acquisition_pole": …,
    # "engagement_pole": …, "help_text": …, "choices": [{"label": {"ja": …}}, …]}}.
    business_models = models.JSONField(_("business models"), default=list, blank=True)
    variants = models.JSONField(_("wording per business model"), default=dict, blank=True)
    # Who answers (maturity.scopes): each department's respondents, or the organisation's
    # management once for every department.
    scope = models.CharField(
        _("answered by"),
        max_length=16,
        choices=QuestionScope.choices,
        default=QuestionScope.DEPARTMENT,
    )

    class Meta:
        ordering = ["dimension__order", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def value_range(self) -> tuple[Decimal, Decimal]:
        """The range the choices' values lie on: the question's own, else the scale."""
        if self.value_min is not None and self.value_max is not None:
            return self.value_min, self.value_max
        framework = self.framework
        return Decimal(framework.scale_min), Decimal(framework.scale_max)

    def applies_to(self, function: str, business_model: str | None = None) -> bool:
        """Asked of a department of ``function`` in an organisation of ``business_model``
        (None: whatever the model); ``maturity.business_models.question_applies``."""
        from .business_models import question_applies

        return question_applies(
            self.functions,
            self.business_models,
            function=function,
            business_model=business_model,
            scope=self.scope,
        )

    @property
    def is_organisation_question(self) -> bool:
        """Answered once for the whole organisation (maturity.scopes)."""
        return not asked_of_departments(self.scope)

    def function_labels(self) -> list[str]:
        return [str(DepartmentFunction(code).label) for code in self.functions]


class Choice(FrameworkContent):
    """One answer to a question, from the acquisition pole to the engagement pole."""

    framework_path = "question.framework"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=300)
    # The choice's value on its question's value range (``Question.value_range``): the
    # level scale unless the question or its answer set declares another.
    score = models.DecimalField(_("value"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class InterviewGuide(models.Model):
    """A consultant's interview kit for one dimension: documents to request and questions for
    the manager, a front-line member and a customer, each a list of ``{"ja": …, "en": …}``.

    Not framework content: a kit is attached to every version of its framework slug that has
    the dimension code (``maturity.interview_kit``), published ones included, so it does not
    freeze with a version and changing it changes no score."""

    dimension = models.OneToOneField(
        Dimension, on_delete=models.CASCADE, related_name="interview_guide"
    )
    documents = models.JSONField(_("documents to request"), default=list, blank=True)
    manager_questions = models.JSONField(_("questions for the manager"), default=list, blank=True)
    member_questions = models.JSONField(
        _("questions for a front-line member"), default=list, blank=True
    )
    customer_questions = models.JSONField(_("questions for a customer"), default=list, blank=True)

    class Meta:
        ordering = ["dimension__framework", "dimension__order"]
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")

    def __str__(self) -> str:
        return f"{self.dimension.framework.slug}/{self.dimension.code}"


class LevelEvidence(models.Model):
    """The observable evidence that proves one level of a dimension: checkable statements,
    a list of ``{"ja": …, "en": …}``."""

    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="evidence")
    level = models.SmallIntegerField(_("level"))
    statements = models.JSONField(_("evidence statements"), default=list)

    class Meta:
        ordering = ["guide", "level"]
        verbose_name = _("level evidence")
        verbose_name_plural = _("level evidence")
        constraints = [
            models.UniqueConstraint(fields=["guide", "level"], name="level_evidence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guide} L{self.level}"
