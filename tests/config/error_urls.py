"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a forged header")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("database-gone/", database_gone),
    path("api/v1/database-gone/", database_gone),
    path("boom/", crash),
    path("api/v1/boom/", crash),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    *project_urlpatterns,
]
