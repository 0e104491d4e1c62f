"""Error pages: 400, 403, 404 and 500 inside the site layout in the reader's language, and
the API's one error shape for anything under ``/api/`` that DRF did not answer itself
(an unknown address, a crash).

The 500 page is rendered without the request's context processors: whatever broke (the
database, a template) must not break the error page too.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("The request could not be understood.")),
        403: ("permission_denied", _("You do not have permission to do this.")),
        404: ("not_found", _("Not found.")),
        500: ("server_error", _("Something went wrong on our side. Please try again later.")),
    }


def _api_error(request, status: int):
    if not request.path.startswith(API_PREFIX):
        return None
    code, message = _messages()[status]
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page(request, status: int, template: str):
    return _api_error(request, status) or render(request, template, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _page(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _page(request, 404, "404.html")


def server_error(request):
    api = _api_error(request, 500)
    if api is not None:
        return api
    try:
        body = loader.get_template("500.html").render({"request": request})
    except Exception:
        logger.exception("The 500 page itself could not be rendered")
        body = "<h1>500</h1><p>Server error / サーバーエラー</p>"
    return HttpResponse(body, status=500)
