"""Refuse, before any view, request input that no field of LevelCheck accepts.

A NUL character cannot be stored (PostgreSQL refuses it in text; a query that merely compares
with it fails the same way), so a query parameter or form field holding one would reach some
lookup, Django's admin filters among them, and end in a 500. Every such request answers 400
instead: the page in the reader's language, or the API's error shape (config/errors.py).
"""

from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefusedInput(SuspiciousOperation):
    """Input refused before the view; ``code`` and ``message`` are shown to the client."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Uploaded files may hold any byte; only the form's text fields are looked at, and
        # only outside the API, which reads JSON alone (a form body there is never parsed).
        posted = (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not request.path.startswith("/api/")
        )
        if _holds_nul(request.GET) or (posted and _holds_nul(request.POST)):
            raise RefusedInput(
                "nul_character",
                _("The request contains a NUL character, which no field accepts. Remove it."),
            )
        return self.get_response(request)
