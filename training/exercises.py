"""A participant's own exercise answer, and what it unlocks: the model answer and the
answer key of a module's exercise are shown to a participant only once they have submitted
their own (facilitators read them at any time, in the facilitator edition)."""

from django.db import transaction
from django.utils import timezone

from .models import ExerciseAnswer, Module

MAX_CHARS = 10_000


@transaction.atomic
def submit_exercise_answer(*, user, organisation, module: Module, text: str) -> ExerciseAnswer:
    """Store ``user``'s answer to ``module``'s exercise for ``organisation`` (a second
    submission replaces the first, with its time)."""
    answer, _created = ExerciseAnswer.objects.update_or_create(
        user=user,
        organisation=organisation,
        module=module,
        defaults={"text": text.strip(), "submitted_at": timezone.now()},
    )
    return answer


def exercise_answer_of(user, organisation, module: Module) -> ExerciseAnswer | None:
    """``user``'s own answer to ``module``'s exercise within ``organisation``, or None."""
    if organisation is None or not user.is_authenticated:
        return None
    return ExerciseAnswer.objects.filter(
        user=user, organisation=organisation, module=module
    ).first()
