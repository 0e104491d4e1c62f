"""What the OpenAPI schema (``/api/v1/schema/``) says beyond the serializers: errors and auth.

Every error has the one shape of ``config/api_errors.py``; the schema names it once, as the
``Error`` component. The schema class adds the error responses that follow from what an
operation is — 400 when it reads a body or query parameters, 413 and 415 when it reads a
body, 403 unless anyone may call it, 404 when its path names an object, 503 always (a lost
database connection, ``config/errors.py``) — so an endpoint cannot forget them. Errors only
some views give (409 for a state conflict, 429 for the report-job limit) are declared at the
view with ``error_response``; the login lockout's 429 belongs to the login form, which is not
part of the API. Response objects list every property as required: a DRF serializer writes
each of its fields, and schemathesis (``tests/config/test_api_fuzz.py``) holds the schema to
it.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Stable for programs, e.g. invalid, not_found, response_submitted.")
    )
    message = serializers.CharField(help_text=_("For people, in the request's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per input field; empty when the error is not about one."),
    )


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def error_response(description) -> OpenApiResponse:
    """An error response in the one error shape, for ``extend_schema(responses=...)``."""
    return OpenApiResponse(response=ErrorSerializer, description=description)


def _standard_errors() -> dict[str, str]:
    return {
        "400": _("Invalid input: fields says which and why."),
        "403": _(
            "Not logged in, no right to this object, or (a request that changes something) "
            "no valid CSRF token in the X-CSRFToken header."
        ),
        "404": _("No such object, or it belongs to another organisation."),
        "413": _("The body is larger than the server accepts."),
        "415": _("The body is not JSON (send Content-Type: application/json)."),
        "503": _("The service is briefly unavailable; retry after Retry-After seconds."),
    }


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema class with the standard error responses and complete
    response objects (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``)."""

    def _error_statuses(self) -> list[str]:
        reads_body = self.method in BODY_METHODS and self.get_request_serializer() is not None
        reads_query = any(p["in"] == "query" for p in self._get_parameters())
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        statuses = ["503"]
        if reads_body or reads_query:
            statuses.append("400")
        if reads_body:
            statuses += ["413", "415"]
        if not public:
            statuses.append("403")
        if "{" in self.path:
            statuses.append("404")
        return statuses

    def _get_request_body(self, direction="request"):
        # A PUT sets the whole object: there is no PUT without a body.
        body = super()._get_request_body(direction)
        if body and self.method == "PUT":
            body["required"] = True
        return body

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        descriptions = _standard_errors()
        for status in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    error_response(descriptions[status]), status, direction=direction
                )
        return dict(sorted(responses.items()))

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "503":
            headers["Retry-After"] = {
                "schema": {"type": "integer"},
                "required": True,
                "description": _("Seconds to wait before trying again."),
            }
        return headers

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and schema.get("properties"):
            schema["required"] = sorted(schema["properties"])
        return schema


class SessionCsrfScheme(OpenApiAuthenticationExtension):
    """Django's session cookie, with the CSRF rule that comes with it."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": _(
                "The session of a login at /accounts/login/. Requests that change something "
                "(POST, PUT, DELETE) also need the X-CSRFToken header set to the value of the "
                "csrftoken cookie."
            ),
        }
