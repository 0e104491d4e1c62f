"""Target levels: where a department aims on each dimension of a campaign's framework."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Campaign, Department, Target
from .errors import AssessmentError


def _is_level(level, low: int, high: int) -> bool:
    # A bool is an int to Python, but True is no level.
    return isinstance(level, int) and not isinstance(level, bool) and low <= level <= high


@transaction.atomic
def set_targets(
    *,
    campaign: Campaign,
    department: Department,
    levels: dict[str, int],
    set_by,
) -> None:
    """Set the target level of a department on several dimensions (by code), all or nothing.

    The campaign's framework decides what may be set: each code must be one of its
    dimensions and each level a level of its scale, and the department one the campaign
    assesses. One target that is not refuses the whole set, and nothing is saved.
    """
    framework = campaign.framework
    low, high = framework.scale_min, framework.scale_max
    if not campaign.departments.filter(pk=department.pk).exists():
        raise AssessmentError(
            "department_not_assessed", _("This department is not assessed in the campaign.")
        )
    codes = set(framework.dimensions.values_list("code", flat=True))
    for code, level in levels.items():
        if code not in codes:
            raise AssessmentError(
                "unknown_dimension",
                _("%(code)s is not a dimension of this campaign's framework.") % {"code": code},
                field=code,
            )
        if not _is_level(level, low, high):
            raise AssessmentError(
                "bad_target", _("A target must be a level of the scale."), field=code
            )
    for code, level in levels.items():
        Target.objects.update_or_create(
            department=department,
            dimension_code=code,
            defaults={"level": level, "set_by": set_by},
        )
