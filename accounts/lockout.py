"""Login lockout on top of django-axes: one limit per account, another per client address.

Axes counts failed logins in its database table (shared by every app server) and compares
them with a single limit. LevelCheck wants two: an account locks after
``LOGIN_FAILURES_PER_ACCOUNT`` failures from anywhere, a client address after
``LOGIN_FAILURES_PER_IP`` failures on any accounts. Each lock lifts ``LOGIN_LOCKOUT_MINUTES``
after the failure that reached it; attempts during a lock are refused without being counted,
so the time the page promises holds.
"""

import datetime
import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.translation import ngettext


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """How long a lock lasts (``AXES_COOLOFF_TIME`` points here)."""
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def failure_limit(request: HttpRequest | None = None, credentials: dict | None = None) -> int:
    """Axes' single limit (``AXES_FAILURE_LIMIT``): the larger of the two. Axes locks when any
    count reaches it, which the handler's own per-limit check always agrees with."""
    return max(settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_IP)


def _limit_for(parameter: str) -> int:
    return {
        "username": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "ip_address": settings.LOGIN_FAILURES_PER_IP,
    }.get(parameter, failure_limit())


def lockout_ends_at(
    request: HttpRequest, credentials: dict | None = None
) -> datetime.datetime | None:
    """When the lock on this request's account or client address lifts; None when neither is
    locked. Needs a request that axes has seen (``axes_ip_address``, ``axes_attempt_time``)."""
    username = get_client_username(request, credentials)
    since = get_cool_off_threshold(request)
    lasts = get_cool_off(request)
    ends = []
    for filters in get_client_parameters(
        username, request.axes_ip_address, request.axes_user_agent, request, credentials
    ):
        if any(value is None for value in filters.values()):
            continue
        limit = _limit_for(next(iter(filters))) if len(filters) == 1 else failure_limit()
        # One row per (account, address, browser); newest first, the row whose failures reach
        # the limit is the last one that must expire before the lock lifts.
        rows = (
            AccessAttempt.objects.filter(**filters, attempt_time__gte=since)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        counted = 0
        for attempt_time, failures in rows:
            counted += failures
            if counted >= limit:
                ends.append(attempt_time + lasts)
                break
    return max(ends) if ends else None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter (``AXES_HANDLER``)."""

    def is_locked(self, request, credentials=None) -> bool:
        return lockout_ends_at(request, credentials) is not None

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        # Axes compared the counts with the larger limit; the smaller one may be reached too.
        if self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, forget only this client's failures on this account.

        Axes would delete every row matching any lockout parameter, i.e. all failures from
        this address on *any* account: logging in to one's own account between guesses would
        then wipe the per-address count and the guessed accounts' counts."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def retry_time(ends_at: datetime.datetime) -> str:
    """When logging in may be tried again, as the page and the API say it: the clock time in
    the site's time zone with the zone's name (「14:07 JST」), since the lockout ends within
    the hour and a reader elsewhere needs to know whose 14:07 it is."""
    return dateformat.time_format(timezone.localtime(ends_at), "H:i T")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The 429 a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): the site's page, or the
    API's error shape under /api/ and for script requests."""
    now = timezone.now()
    ends_at = lockout_ends_at(request, credentials) or now + cool_off(request)
    minutes = max(1, math.ceil((ends_at - now).total_seconds() / 60))
    retry_after = str(max(1, math.ceil((ends_at - now).total_seconds())))
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == (
        "XMLHttpRequest"
    ):
        message = ngettext(
            "Too many failed log-in attempts. Try again after %(time)s (in about %(minutes)d "
            "minute).",
            "Too many failed log-in attempts. Try again after %(time)s (in about %(minutes)d "
            "minutes).",
            minutes,
        ) % {"time": retry_time(ends_at), "minutes": minutes}
        response = JsonResponse(
            {"error": {"code": "locked_out", "message": message, "fields": {}}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"ends_at": ends_at, "time": retry_time(ends_at), "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
