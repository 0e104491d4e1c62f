"""The department's latest change, for another page to place::

    {% load improvement_milestones %}{% department_delta campaign department %}

The campaign's latest milestone (else the previous campaign) against the campaign now, per
dimension, with a link to the compare page; nothing for a reader who may not see the
department, or when there is nothing to compare with."""

from django import template

from assessments.access import standings
from improvement import access
from improvement.milestones.compare import latest_comparison
from improvement.milestones.services import MilestoneError

register = template.Library()


@register.filter
def delta_class(value) -> str:
    """A CSS class for a change (the sign is printed too: colour is never the only cue)."""
    if value is None or abs(value) < 0.005:
        return "delta delta-none"
    return "delta delta-up" if value > 0 else "delta delta-down"


@register.inclusion_tag("improvement/milestones/_department_delta.html", takes_context=True)
def department_delta(context, campaign, department):
    request = context.get("request")
    user = getattr(request, "user", None)
    standing = standings(user).get(campaign.organisation_id) if user is not None else None
    comparison = None
    if standing is not None and access.sees_department(standing, department.pk):
        try:
            comparison = latest_comparison(campaign, department)
        except MilestoneError:  # e.g. the previous campaign used another scale
            comparison = None
    return {
        "campaign": campaign,
        "department": department,
        "comparison": comparison,
        "rows": comparison.departments[0].rows if comparison and comparison.departments else [],
    }
