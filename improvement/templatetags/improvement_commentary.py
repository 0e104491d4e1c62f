"""The commentary and the roadmap, for other pages (the results pages) to place.

``{% load improvement_commentary %}``, then ``{% commentary_block campaign department %}``
(``department`` None for the campaign's own commentary) and ``{% roadmap_block campaign
department %}``. Both read the viewer from the template context's ``request`` and show only
what the viewer may read: a manager the published text (nothing of a draft) and their own
department's actions; writers the draft too, marked "Draft", with a link to edit it. A viewer
outside the organisation, or a manager given another department, gets nothing.
"""

from django import template
from django.urls import reverse

from assessments.access import standings

from .. import access
from ..commentary.roadmap import roadmap
from ..commentary.selectors import commentary_for, rendered, roadmap_department

register = template.Library()


def _standing(context, campaign, department):
    request = context.get("request")
    if request is None:
        return None
    standing = standings(request.user).get(campaign.organisation_id)
    if standing is None:
        return None
    if department is not None and not access.sees_department(standing, department.pk):
        return None
    if department is None and not (standing.can_manage or standing.is_manager):
        return None
    return standing


@register.inclusion_tag("improvement/commentary/_block.html", takes_context=True)
def commentary_block(context, campaign, department=None):
    standing = _standing(context, campaign, department)
    if standing is None:
        return {"hidden": True}
    commentary = commentary_for(campaign, department, standing=standing)
    if department is None:
        edit_url = reverse("improvement:commentary", args=[campaign.pk])
    else:
        edit_url = reverse("improvement:department-commentary", args=[campaign.pk, department.pk])
    return {
        "campaign": campaign,
        "department": department,
        "commentary": commentary,
        "text": rendered(commentary),
        "writer": access.writes_commentary(standing),
        "edit_url": edit_url,
    }


@register.inclusion_tag("improvement/commentary/_roadmap.html", takes_context=True)
def roadmap_block(context, campaign, department=None):
    standing = _standing(context, campaign, department)
    if standing is None:
        return {"hidden": True}
    return {
        "campaign": campaign,
        "department": department,
        "roadmap": roadmap(campaign, roadmap_department(standing, department)),
    }
