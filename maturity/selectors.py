"""Reads of frameworks."""

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Prefetch, QuerySet

from .business_models import question_applies
from .models import Choice, Dimension, Framework, Question
from .scopes import QuestionScope


def published_frameworks() -> QuerySet[Framework]:
    """Published versions, newest first within each slug."""
    return Framework.objects.filter(status=Framework.Status.PUBLISHED).order_by("slug", "-version")


def latest_published(slug: str) -> Framework | None:
    """The newest published version of ``slug``, or None."""
    return published_frameworks().filter(slug=slug).first()


def framework_with_content(framework_id: int) -> Framework:
    """A framework with its levels, areas, dimensions, streams, level texts, questions
    (with their stream and answer set) and choices loaded in a fixed number of queries,
    whatever its size."""
    return (
        Framework.objects.filter(pk=framework_id)
        .prefetch_related(
            "levels",
            "areas",
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.select_related("area").prefetch_related(
                    "streams",
                    "levels__recommendations",
                    Prefetch(
                        "questions",
                        queryset=Question.objects.select_related(
                            "stream", "answer_set"
                        ).prefetch_related("choices"),
                    ),
                ),
            ),
        )
        .get()
    )


@dataclass(frozen=True)
class QuestionRule:
    """What an answer to one question may be."""

    functions: tuple[str, ...]
    allow_na: bool
    choice_ids: frozenset[int]
    business_models: tuple[str, ...] = ()
    scope: str = QuestionScope.DEPARTMENT

    def applies_to(self, function: str, business_model: str | None = None) -> bool:
        """Whether a department of ``function`` answers the question itself."""
        return question_applies(
            self.functions,
            self.business_models,
            function=function,
            business_model=business_model,
            scope=self.scope,
        )


def question_rules(framework: Framework) -> dict[int, QuestionRule]:
    """Every question's answer rules for a framework version.

    A published version never changes, so its rules are read once per process (keyed by id
    and publication time, so a test database that reuses ids never sees stale rules); a
    draft is read every time.
    """
    if framework.is_published and framework.published_at is not None:
        return _published_rules(framework.pk, framework.published_at.isoformat())
    return _read_rules(framework.pk)


@lru_cache(maxsize=64)
def _published_rules(framework_id: int, published_at: str) -> dict[int, QuestionRule]:
    return _read_rules(framework_id)


def _read_rules(framework_id: int) -> dict[int, QuestionRule]:
    rows = Choice.objects.filter(question__framework_id=framework_id).values_list(
        "id",
        "question_id",
        "question__functions",
        "question__allow_na",
        "question__business_models",
        "question__scope",
    )
    grouped: dict[int, tuple] = {}
    for choice_id, question_id, functions, allow_na, models, scope in rows:
        entry = grouped.setdefault(
            question_id, (tuple(functions or ()), allow_na, set(), tuple(models or ()), scope)
        )
        entry[2].add(choice_id)
    return {
        qid: QuestionRule(functions, allow_na, frozenset(choices), models, scope)
        for qid, (functions, allow_na, choices, models, scope) in grouped.items()
    }
