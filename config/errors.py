"""Error pages: 400, 403, 404, 413 and 500 inside the site layout in the reader's language, and
the API's one error shape for anything under ``/api/`` that DRF did not answer itself
(an unknown address, a crash).

The 500 page is rendered without the request's context processors: whatever broke (the
database, a template) must not break the error page too. A lost database connection (a
restart, a failover) is not a bug: it answers 503 with ``Retry-After``, which the autosave
script and API clients retry.
"""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from config.middleware import RefusedInput

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_S = 5


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("The request could not be understood.")),
        403: ("permission_denied", _("You do not have permission to do this.")),
        404: ("not_found", _("Not found.")),
        413: (
            "request_too_large",
            _("The request is too large. Shorten long texts or send less at once."),
        ),
        500: ("server_error", _("Something went wrong on our side. Please try again later.")),
        503: (
            "unavailable",
            _("The service is briefly unavailable. Please try again in a few seconds."),
        ),
    }


def _api_error(request, status: int, reason: tuple[str, str] | None = None):
    if not request.path.startswith(API_PREFIX):
        return None
    code, message = reason or _messages()[status]
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page(request, status: int, template: str, reason: tuple[str, str] | None = None):
    """The error page, or under /api/ the error shape; ``reason`` (code, message) says
    more than the status's usual message."""
    return _api_error(request, status, reason) or render(
        request, template, {"reason": reason[1] if reason else ""}, status=status
    )


def bad_request(request, exception=None):
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE reaches Django's 400 handler; it is a 413.
    if isinstance(exception, RequestDataTooBig):
        return _page(request, 413, "413.html")
    if isinstance(exception, RefusedInput):
        return _page(request, 400, "400.html", (exception.code, exception.message))
    return _page(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _page(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _page(request, 404, "404.html")


def server_error(request):
    status, template = 500, "500.html"
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        status, template = 503, "503.html"
    response = _api_error(request, status)
    if response is None:
        try:
            body = loader.get_template(template).render({"request": request})
        except Exception:
            logger.exception("The %s page itself could not be rendered", status)
            body = f"<h1>{status}</h1><p>Server error / サーバーエラー</p>"
        response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_S)
    return response
