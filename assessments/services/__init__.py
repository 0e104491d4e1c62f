"""Writes for campaigns and responses: keyword-only functions, one transaction each.

The web views, the API, management commands and the demo data all call these; nothing
here knows about HTTP. One module per idea: ``campaigns``, ``invitations`` (e-mails),
``answers`` (save, clear, submit, reopen), ``organisation_answers`` (the organisation's own
answers to its questions of organisation scope) and ``targets``; every caller imports from
``assessments.services``.
"""

from .answers import (
    UNSTORABLE_TEXT,
    AnswerInput,
    clear_answer,
    reopen_response,
    save_answers,
    submit_response,
)
from .campaigns import add_respondent, create_campaign, set_campaign_status
from .errors import AssessmentError
from .invitations import invitation_url, mark_invitation_opened, send_invitations, send_reminders
from .organisation_answers import save_organisation_answers
from .targets import set_targets

__all__ = [
    "UNSTORABLE_TEXT",
    "AnswerInput",
    "AssessmentError",
    "add_respondent",
    "clear_answer",
    "create_campaign",
    "invitation_url",
    "mark_invitation_opened",
    "reopen_response",
    "save_answers",
    "save_organisation_answers",
    "send_invitations",
    "send_reminders",
    "set_campaign_status",
    "set_targets",
    "submit_response",
]
