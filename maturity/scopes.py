"""Question scopes: who answers a question. Most questions are about a department's own
practice and each of its respondents answers them; a few are facts of the whole organisation
(its pay scheme, what its executives ask of everyone), answered once per campaign by the
organisation's management and counted for every department (docs/framework-format.md,
"Scope")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionScope(models.TextChoices):
    DEPARTMENT = "department", _("Each department")
    ORGANISATION = "organisation", _("The whole organisation")


def asked_of_departments(scope: str | None) -> bool:
    """Whether a department's respondents answer a question of ``scope`` themselves (an
    organisation question's one answer is counted for them instead)."""
    return scope != QuestionScope.ORGANISATION
