"""What the site's menu offers a user: no entry that can only lead to an empty page."""

from django import template

from assessments.access import standings

register = template.Library()


@register.filter
def sees_campaigns(user) -> bool:
    """Whether the Campaigns menu leads anywhere for ``user``: org admins and consultants run
    campaigns, managers answer theirs. Staff (and people of no organisation) never see a
    campaign; their own work is on the home page and under Learning."""
    return any(s.can_manage or s.is_manager for s in standings(user).values())
