"""Writes for training: importing modules, recording that a module was read, grading and
recording quiz attempts, creating and assigning learning paths."""

import datetime
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Membership
from assessments.templatetags.people import person
from maturity.framework_file import Problem

from .models import (
    Assignment,
    DiscussionQuestion,
    LearningPath,
    LearningPathItem,
    Module,
    ModuleDimension,
    ModuleProgress,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    Section,
)
from .module_files import ModuleFileError, load_module_pair, module_slugs, study_fields
from .selectors import dimension_codes


@transaction.atomic
def import_modules(*, directory: Path, skip_existing: bool = False) -> list[tuple[str, str]]:
    """Import every module in ``directory``, all or nothing. Existing modules are replaced
    (their learners' progress stays) unless ``skip_existing``; each must serve dimensions
    of a framework LevelCheck knows (``selectors.dimension_codes``). Returns (slug, action)
    pairs."""
    slugs = module_slugs(directory)
    if not slugs:
        raise ModuleFileError(str(directory), [Problem("", "no module files (*.ja.md, *.en.md)")])
    problems, pairs = [], {}
    codes = dimension_codes()
    for slug in slugs:
        try:
            pairs[slug] = load_module_pair(directory, slug, dimension_codes=codes)
        except ModuleFileError as exc:
            problems.extend(
                Problem(f"{exc.source}: {p.path}".rstrip(": "), p.message) for p in exc.problems
            )
    if problems:
        raise ModuleFileError(str(directory), problems)
    done = []
    for slug, texts in pairs.items():
        existing = Module.objects.filter(slug=slug).first()
        if existing and skip_existing:
            done.append((slug, "kept"))
            continue
        _write_module(slug, texts, existing)
        done.append((slug, "updated" if existing else "created"))
    return done


def _write_module(slug: str, texts: dict, module: Module | None) -> Module:
    ja, en = texts["ja"], texts["en"]
    fields = {
        "order": ja.meta["order"],
        "minutes": ja.meta["minutes"],
        "pass_mark": ja.meta["quiz"].get("pass_mark") or en.meta["quiz"].get("pass_mark") or 80,
        **{
            f"{name}_{lang}": texts[lang].meta[name].strip()
            for name in ("title", "summary", "exercise")
            for lang in texts
        },
        **study_fields(texts),  # objectives, pre-work and its minutes, model answers
    }
    if module is None:
        module = Module.objects.create(slug=slug, **fields)
    else:
        for key, value in fields.items():
            setattr(module, key, value)
        module.save()
        for related in (
            module.sections,
            module.discussion,
            module.quiz_questions,
            module.dimensions,
        ):
            related.all().delete()
    ModuleDimension.objects.bulk_create(
        ModuleDimension(module=module, dimension_code=d["code"], levels=sorted(d["levels"]))
        for d in ja.meta["dimensions"]
    )
    Section.objects.bulk_create(
        Section(module=module, order=i, title_ja=t_ja, body_ja=b_ja, title_en=t_en, body_en=b_en)
        for i, ((t_ja, b_ja), (t_en, b_en)) in enumerate(zip(ja.sections, en.sections, strict=True))
    )
    DiscussionQuestion.objects.bulk_create(
        DiscussionQuestion(module=module, order=i, text_ja=q_ja, text_en=q_en)
        for i, (q_ja, q_en) in enumerate(
            zip(ja.meta["discussion"], en.meta["discussion"], strict=False)
        )
    )
    questions = QuizQuestion.objects.bulk_create(
        QuizQuestion(
            module=module,
            order=i,
            text_ja=q_ja["text"],
            text_en=q_en["text"],
            explanation_ja=q_ja["explanation"],
            explanation_en=q_en["explanation"],
        )
        for i, (q_ja, q_en) in enumerate(
            zip(ja.meta["quiz"]["questions"], en.meta["quiz"]["questions"], strict=True)
        )
    )
    QuizChoice.objects.bulk_create(
        QuizChoice(
            question=question, order=c, text_ja=c_ja, text_en=c_en, is_correct=c == q_ja["answer"]
        )
        for question, q_ja, q_en in zip(
            questions, ja.meta["quiz"]["questions"], en.meta["quiz"]["questions"], strict=True
        )
        for c, (c_ja, c_en) in enumerate(zip(q_ja["choices"], q_en["choices"], strict=True))
    )
    return module


def mark_read(*, user, organisation, module: Module) -> None:
    """Record that a learner has read the module: reached its end on the page or said so
    (the first time only; opening the page records nothing)."""
    ModuleProgress.objects.get_or_create(
        user=user, organisation=organisation, module=module, defaults={"read_at": timezone.now()}
    )
    ModuleProgress.objects.filter(
        user=user, organisation=organisation, module=module, read_at__isnull=True
    ).update(read_at=timezone.now())


@dataclass(frozen=True)
class AnswerReview:
    """One graded question as the learner may see it: the choice they picked (id) and whether
    it was right. The correct choice (id) and the explanation are only filled in when they may
    be shown: the correct choice after a passing attempt, the explanation after a passing
    attempt or for a question answered rightly. A failed attempt names what was wrong, not the
    key, so the retry is not copying."""

    question: QuizQuestion
    chosen: int | None
    is_right: bool
    correct: int | None = None
    explanation: str = ""


@dataclass(frozen=True)
class QuizResult:
    """A graded quiz: score in percent, passed or not, and the review of every question;
    ``attempt`` is the recorded attempt (None when the learner belongs to no organisation)."""

    score: int
    passed: bool
    review: list[AnswerReview]
    attempt: QuizAttempt | None = None

    @property
    def key_shown(self) -> bool:
        """The correct choices and every explanation are shown only after a pass."""
        return self.passed

    @property
    def wrong_numbers(self) -> list[int]:
        """The numbers (1-based, in the quiz's order) of the questions answered wrongly."""
        return [n for n, item in enumerate(self.review, start=1) if not item.is_right]


def grade_quiz(*, module: Module, answers: dict[int, int]) -> QuizResult:
    """Grade answers (question id → chosen choice id) against the correct choices: the score
    is the share of questions answered correctly, rounded to a whole percent; passing is at
    or above the module's pass mark. The review reveals the key only on a pass (AnswerReview).
    Writes nothing."""
    questions = list(module.quiz_questions.prefetch_related("choices"))
    graded = []
    for question in questions:
        correct = question.correct_choice
        chosen = answers.get(question.pk)
        graded.append((question, chosen, correct is not None and chosen == correct.pk, correct))
    right = sum(1 for _q, _c, is_right, _k in graded if is_right)
    score = round(100 * right / len(questions)) if questions else 0
    passed = score >= module.pass_mark
    review = [
        AnswerReview(
            question=question,
            chosen=chosen,
            is_right=is_right,
            correct=correct.pk if passed and correct else None,
            explanation=question.explanation if passed or is_right else "",
        )
        for question, chosen, is_right, correct in graded
    ]
    return QuizResult(score=score, passed=passed, review=review)


@transaction.atomic
def take_quiz(*, user, organisation, module: Module, answers: dict[int, int]) -> QuizResult:
    """Grade a learner's quiz and, for a member of ``organisation``, record the attempt and
    their progress: attempts counted, the best score kept (a worse retry never lowers it),
    passed from the first passing attempt on. Retries are allowed. Without an organisation
    (someone who belongs to none) the quiz is graded and nothing is written."""
    result = grade_quiz(module=module, answers=answers)
    if organisation is None:
        return result
    attempt = QuizAttempt.objects.create(
        user=user,
        organisation=organisation,
        module=module,
        score=result.score,
        passed=result.passed,
        answers={str(k): v for k, v in answers.items()},
    )
    progress = ModuleProgress.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, module=module
    )[0]
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, result.score)
    if progress.read_at is None:
        progress.read_at = timezone.now()
    if result.passed and progress.passed_at is None:
        progress.passed_at = timezone.now()
    progress.save()
    return replace(result, attempt=attempt)


def record_attempt(*, user, organisation, module: Module, answers: dict[int, int]) -> QuizAttempt:
    """Grade and record a member's quiz attempt (``take_quiz`` for callers that need only
    the attempt)."""
    return take_quiz(user=user, organisation=organisation, module=module, answers=answers).attempt


class TrainingError(Exception):
    """A training write the rules refuse; ``field`` names the form field it concerns."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@transaction.atomic
def create_learning_path(
    *, organisation, department, name: str, modules: list[Module], created_by, campaign=None
) -> LearningPath:
    """A learning path for a department: the modules in the order given."""
    path = LearningPath.objects.create(
        organisation=organisation,
        department=department,
        name=name,
        campaign=campaign,
        created_by=created_by,
    )
    LearningPathItem.objects.bulk_create(
        LearningPathItem(path=path, module=module, order=i) for i, module in enumerate(modules)
    )
    return path


@transaction.atomic
def assign_path(
    *, path: LearningPath, users: list, due_on: datetime.date, assigned_by
) -> list[Assignment]:
    """Assign a path to members of its department (idempotent per member; a new due date
    replaces the old). Anyone else is refused and nothing is assigned."""
    members = set(
        Membership.objects.filter(
            organisation_id=path.organisation_id,
            department_id=path.department_id,
            user__in=users,
        ).values_list("user_id", flat=True)
    )
    outsiders = [user for user in users if user.pk not in members]
    if outsiders:
        raise TrainingError(
            "not_a_member",
            _("%(users)s is not a member of %(department)s.")
            % {
                "users": ", ".join(person(user) for user in outsiders),
                "department": path.department.name,
            },
            field="members",
        )
    assignments = []
    for user in users:
        assignment, _created = Assignment.objects.update_or_create(
            path=path, user=user, defaults={"due_on": due_on, "assigned_by": assigned_by}
        )
        assignments.append(assignment)
    return assignments


@transaction.atomic
def create_and_assign_path(
    *,
    organisation,
    department,
    name: str,
    modules: list[Module],
    users: list,
    due_on: datetime.date,
    created_by,
    campaign=None,
) -> LearningPath:
    """Create a department's learning path and assign it to ``users`` in one transaction:
    if any assignment is refused, no path is left behind."""
    path = create_learning_path(
        organisation=organisation,
        department=department,
        name=name,
        modules=modules,
        created_by=created_by,
        campaign=campaign,
    )
    assign_path(path=path, users=users, due_on=due_on, assigned_by=created_by)
    return path
