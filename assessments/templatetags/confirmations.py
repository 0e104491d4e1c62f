"""The campaign page's confirmations (``assessments.confirmations``) for its links:
``{% confirmation "reopen" response as asked %}`` then the ``data-confirm-*`` attributes."""

from django import template

from .. import confirmations

register = template.Library()

ASKED = {
    "close": confirmations.close_campaign,
    "reopen": confirmations.reopen_response,
    "remove": confirmations.remove_respondent,
}


@register.simple_tag
def confirmation(step: str, subject) -> confirmations.Confirmation:
    return ASKED[step](subject)
