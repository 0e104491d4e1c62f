"""``{% department_actions campaign department %}``: a department's improvement actions per
dimension, with the progress against the target, for the results department page; nothing
for a reader who may not see the department's actions (``improvement.access``)."""

from django import template
from django.utils import timezone

from assessments.access import standings

from .. import access
from ..actions.selectors import action_progress, actions_for

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("improvement/actions/_department_actions.html", takes_context=True)
def department_actions(context, campaign, department, results=None):
    """The department's actions grouped by dimension (status, overdue), the progress
    against the target, and links to the list and (for editors) to create one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    standing = standings(user).get(campaign.organisation_id) if user is not None else None
    if standing is None or not access.sees_department(standing, department.pk):
        return {"shown": False}
    today = timezone.localdate()
    actions = list(actions_for(campaign, department=department, today=today))
    progress = action_progress(campaign, department, results=results, today=today)
    by_dimension = {row.dimension.code: [] for row in progress}
    for action in actions:
        by_dimension.setdefault(action.dimension_code, []).append(action)
    return {
        "shown": True,
        "campaign": campaign,
        "department": department,
        "progress": progress,
        "groups": [(row, by_dimension[row.dimension.code]) for row in progress],
        "can_edit": access.edits_actions(standing, department.pk),
        "count": len(actions),
    }
