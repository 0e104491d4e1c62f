"""Writes for training: importing modules, progress and quiz attempts, learning paths."""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

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
from .module_files import ModuleFileError, load_module_pair, module_slugs


@transaction.atomic
def import_modules(*, directory: Path, skip_existing: bool = False) -> list[tuple[str, str]]:
    """Import every module in ``directory``, all or nothing. Existing modules are replaced
    (their learners' progress stays) unless ``skip_existing``. Returns (slug, action) pairs."""
    slugs = module_slugs(directory)
    if not slugs:
        raise ModuleFileError(str(directory), [Problem("", "no module files (*.ja.md, *.en.md)")])
    problems, pairs = [], {}
    for slug in slugs:
        try:
            pairs[slug] = load_module_pair(directory, slug)
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


def _progress(*, user, organisation, module) -> ModuleProgress:
    progress, _created = ModuleProgress.objects.get_or_create(
        user=user, organisation=organisation, module=module
    )
    return progress


def mark_read(*, user, organisation, module: Module) -> None:
    """Record that a learner opened the module (first time only)."""
    ModuleProgress.objects.get_or_create(
        user=user, organisation=organisation, module=module, defaults={"read_at": timezone.now()}
    )
    ModuleProgress.objects.filter(
        user=user, organisation=organisation, module=module, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def record_attempt(*, user, organisation, module: Module, answers: dict[int, int]) -> QuizAttempt:
    """Grade a quiz (question id → chosen choice id), record the attempt and the learner's
    best score; passing at or above the module's pass mark. Retries are allowed."""
    questions = list(module.quiz_questions.prefetch_related("choices"))
    correct = 0
    for question in questions:
        right = next((c.pk for c in question.choices.all() if c.is_correct), None)
        if answers.get(question.pk) == right:
            correct += 1
    score = round(100 * correct / len(questions)) if questions else 0
    passed = score >= module.pass_mark
    attempt = QuizAttempt.objects.create(
        user=user,
        organisation=organisation,
        module=module,
        score=score,
        passed=passed,
        answers={str(k): v for k, v in answers.items()},
    )
    progress = ModuleProgress.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, module=module
    )[0]
    progress.attempts += 1
    progress.best_score = max(progress.best_score or 0, score)
    if progress.read_at is None:
        progress.read_at = timezone.now()
    if passed and progress.passed_at is None:
        progress.passed_at = timezone.now()
    progress.save()
    return attempt


@transaction.atomic
def create_learning_path(
    *, organisation, department, name: str, modules: list[Module], created_by, campaign=None
) -> LearningPath:
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
    """Assign a path to members (idempotent per member; a new due date replaces the old)."""
    assignments = []
    for user in users:
        assignment, _created = Assignment.objects.update_or_create(
            path=path, user=user, defaults={"due_on": due_on, "assigned_by": assigned_by}
        )
        assignments.append(assignment)
    return assignments
