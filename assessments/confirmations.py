"""What the campaign page asks before a step that cannot simply be undone: closing the
campaign, reopening a submitted response, taking a respondent off the campaign. Each
confirmation is written once here, and the dialog (with JavaScript, from the link's
``data-confirm-*`` attributes) and the confirmation page (without) say the same."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Response
from .templatetags.people import person


@dataclass(frozen=True)
class Confirmation:
    title: str
    consequence: str
    button: str


def close_campaign(progress) -> Confirmation:
    """``progress``: the campaign's progress rows (``selectors.campaign_progress``)."""
    waiting = sum(1 for row in progress for r in row["responses"] if not r.is_submitted)
    return Confirmation(
        title=_("Close the campaign?"),
        consequence=_(
            "Once the campaign is closed, nobody can save or submit answers any more. "
            "Responses not yet submitted (%(count)s) stay out of the results. You can reopen "
            "the campaign later."
        )
        % {"count": waiting},
        button=_("Close the campaign"),
    )


def reopen_response(response: Response) -> Confirmation:
    name = person(response.respondent)
    return Confirmation(
        title=_("Reopen the response of %(name)s?") % {"name": name},
        consequence=_(
            "%(name)s can change their answers again. Until they submit once more, their "
            "response does not count in the results."
        )
        % {"name": name},
        button=_("Reopen"),
    )


def remove_respondent(response: Response) -> Confirmation:
    name = person(response.respondent)
    return Confirmation(
        title=_("Remove %(name)s from the campaign?") % {"name": name},
        consequence=_(
            "%(name)s is no longer asked about %(department)s: the answers saved so far are "
            "deleted and the invitation link stops working. You can add them again while "
            "the campaign is open."
        )
        % {"name": name, "department": response.department.name},
        button=pgettext("respondent", "Remove"),
    )
