"""The floor of the load benchmark: a JSON view that does no database work.

It takes the same PUT as the autosave API (same body, same session and CSRF cookies, CSRF
checked by the middleware) and answers a small JSON without touching the session, the user
or the database, so what it costs is gunicorn, Django's request cycle and JSON.
"""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_http_methods


@require_http_methods(["PUT"])
def bare_json(request):
    """Echo the choice of the JSON body; 400 when it is not a JSON object."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"error": {"code": "invalid"}}, status=400)
    return JsonResponse({"answer": {"choice": data.get("choice")}})
