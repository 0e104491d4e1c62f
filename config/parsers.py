"""The API's JSON parser, bounded: no body the API accepts is nested more than a few levels,
so anything deeper is refused before it is parsed.

DRF's own ``JSONParser`` hands the body to ``json.load``, whose decoder recurses once per
level: JSON nested a thousand deep raises RecursionError, which DRF does not catch (a 500).
The size is bounded too: DRF reads the body from the request's stream, past Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` check, so the parser reads at most that much and answers 413
(as config/errors.py does when Django's own check refuses a body).
"""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

# The deepest body any endpoint takes is an object holding a list of objects; 32 is ample.
MAX_DEPTH = 32

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text go (brackets inside strings aside)."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = gettext_lazy(
        "The request is too large. Shorten long texts or send less at once."
    )


class BoundedJSONParser(JSONParser):
    """``JSONParser`` that refuses JSON nested deeper than :data:`MAX_DEPTH` (400,
    ``parse_error``) and bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if stream is None:
            raw = b""
        elif limit is None:
            raw = stream.read()
        else:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise RequestTooLarge
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("The body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("The JSON body is nested too deeply (at most %(n)s levels).") % {"n": MAX_DEPTH}
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)
