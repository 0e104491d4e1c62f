"""Study-session modules (sections, discussion, exercise, quiz), learners' progress and
quiz attempts, and learning paths assigned from assessment gaps."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.models import Department, Organisation


class Module(models.Model):
    """One study session on one topic, authored as Markdown files (see docs/training-format.md)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"))
    exercise = models.TextField(_("exercise"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    # Study-session texts per language (docs/training-format.md): what participants will be
    # able to do, what they read and do before the session, and the model answer of the
    # exercise's open tasks (shown to a participant only after they submit their own).
    objectives_ja = models.JSONField(_("objectives (ja)"), default=list, blank=True)
    objectives_en = models.JSONField(_("objectives (en)"), default=list, blank=True)
    prework_ja = models.TextField(_("pre-work (ja)"), blank=True)
    prework_en = models.TextField(_("pre-work (en)"), blank=True)
    prework_minutes = models.PositiveSmallIntegerField(_("pre-work minutes"), null=True, blank=True)
    model_answer_ja = models.TextField(_("model answer (ja)"), blank=True)
    model_answer_en = models.TextField(_("model answer (en)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.title

    def _in_language(self, name: str):
        """``name`` in the active language, falling back to Japanese (the default)."""
        language = (get_language() or "ja").split("-")[0]
        value = getattr(self, f"{name}_{language}", None) if language in ("ja", "en") else None
        return value or getattr(self, f"{name}_ja")

    @property
    def objectives(self) -> list[str]:
        return self._in_language("objectives")

    @property
    def prework(self) -> str:
        return self._in_language("prework")

    @property
    def model_answer(self) -> str:
        return self._in_language("model_answer")

    @property
    def total_minutes(self) -> int:
        """Pre-work and session together: the time a participant gives the module."""
        return self.minutes + (self.prework_minutes or 0)


class ModuleDimension(models.Model):
    """A level-check dimension (by code) the module serves, for departments at these levels."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="dimensions")
    dimension_code = models.SlugField(_("dimension"), max_length=60)
    levels = models.JSONField(_("levels"), default=list)

    class Meta:
        verbose_name = _("dimension served")
        verbose_name_plural = _("dimensions served")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "dimension_code"], name="module_dimension_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} · {self.dimension_code}"


class Section(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))

    class Meta:
        ordering = ["module", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class DiscussionQuestion(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="discussion")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["module", "order"]
        verbose_name = _("discussion question")
        verbose_name_plural = _("discussion questions")

    def __str__(self) -> str:
        return self.text[:60]


class QuizQuestion(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="quiz_questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"))

    class Meta:
        ordering = ["module", "order"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def correct_choice(self) -> "QuizChoice | None":
        """The choice that answers the question (module files name exactly one). Reads
        ``choices.all()``, so a prefetch of the choices costs no query per question."""
        return next((c for c in self.choices.all() if c.is_correct), None)


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=400)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("quiz choice")
        verbose_name_plural = _("quiz choices")

    def __str__(self) -> str:
        return self.text


class ModuleProgress(models.Model):
    """A learner's progress on one module, within the organisation they learn for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    passed_at = models.DateTimeField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "module"], name="module_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"

    @property
    def passed(self) -> bool:
        return self.passed_at is not None


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(_("answers"), default=dict)
    created_at = models.DateTimeField(_("taken"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.user} · {self.module} · {self.score}%"


class ExerciseAnswer(models.Model):
    """A participant's own answer to a module's exercise, within the organisation they learn
    for; once it exists, the model answer and the answer key are theirs to read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_answers"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="exercise_answers"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="exercise_answers")
    text = models.TextField(_("answer"))
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("exercise answer")
        verbose_name_plural = _("exercise answers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "module"], name="exercise_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"


class LearningPath(models.Model):
    """Modules chosen for a department, usually proposed from its lowest dimensions."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="learning_paths"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="learning_paths"
    )
    name = models.CharField(_("name"), max_length=200)
    campaign = models.ForeignKey(
        "assessments.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_paths",
    )
    modules = models.ManyToManyField(Module, through="LearningPathItem", related_name="paths")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def __str__(self) -> str:
        return self.name


class LearningPathItem(models.Model):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="items")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["path", "order"]
        constraints = [
            models.UniqueConstraint(fields=["path", "module"], name="path_module_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path} · {self.module}"


class Assignment(models.Model):
    """A learning path assigned to one member of the department, with a due date."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_assignments"
    )
    due_on = models.DateField(_("due on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.path} → {self.user}"
