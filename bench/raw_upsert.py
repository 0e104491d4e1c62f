"""Baseline autosave: the same PUT as the API, written with one raw ``INSERT … ON CONFLICT``.

It keeps what any real endpoint needs (session login, CSRF via the middleware, the
respondent, submitted and campaign-open checks, in one query) and drops the rest of the
API's work (DRF, the per-question validation query, the progress counts), so the gap
between the two is the price of that work.
"""

import json

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

ACCESS_SQL = """
SELECT r.respondent_id,
       r.status = 'submitted',
       c.status = 'open' AND c.opens_on <= %s AND %s <= c.closes_on
  FROM assessments_response r
  JOIN assessments_campaign c ON c.id = r.campaign_id
 WHERE r.id = %s
"""

UPSERT_SQL = """
INSERT INTO assessments_answer
       (response_id, question_id, choice_id, is_na, na_reason, comment, updated_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (response_id, question_id) DO UPDATE
   SET choice_id = EXCLUDED.choice_id,
       is_na = EXCLUDED.is_na,
       na_reason = EXCLUDED.na_reason,
       comment = EXCLUDED.comment,
       updated_at = EXCLUDED.updated_at
"""


def _error(status: int, code: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code}}, status=status)


def _body(request) -> dict | None:
    """The API's JSON body (choice, na, na_reason, comment), or None when malformed."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    choice = data.get("choice")
    na = data.get("na", False)
    na_reason = data.get("na_reason", "")
    comment = data.get("comment", "")
    if choice is not None and (not isinstance(choice, int) or isinstance(choice, bool)):
        return None
    if not isinstance(na, bool) or not isinstance(na_reason, str) or not isinstance(comment, str):
        return None
    if na and (choice is not None or not na_reason.strip()):
        return None
    return {
        "choice": choice,
        "na": na,
        "na_reason": na_reason.strip() if na else "",
        "comment": comment.strip(),
    }


@require_http_methods(["PUT"])
def raw_answer(request, pk: int, question_id: int):
    """Upsert one answer of the logged-in respondent's response; answers a small JSON."""
    if not request.user.is_authenticated:
        return _error(403, "not_authenticated")
    values = _body(request)
    if values is None:
        return _error(400, "invalid")
    today = timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(ACCESS_SQL, [today, today, pk])
        row = cursor.fetchone()
        if row is None:
            return _error(404, "not_found")
        respondent_id, submitted, accepting = row
        if respondent_id != request.user.pk:
            return _error(403, "permission_denied")
        if submitted or not accepting:
            return _error(409, "closed")
        try:
            cursor.execute(
                UPSERT_SQL,
                [
                    pk,
                    question_id,
                    values["choice"],
                    values["na"],
                    values["na_reason"],
                    values["comment"],
                    now,
                ],
            )
        except DatabaseError:  # unknown question or choice, or a check constraint
            return _error(400, "invalid")
    return JsonResponse(
        {
            "answer": {
                "question": question_id,
                "choice": values["choice"],
                "na": values["na"],
                "saved_at": now.isoformat(),
            }
        }
    )
