"""Counting password-reset requests against their hourly limits."""

import datetime
import enum

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import PasswordResetRequest

WINDOW = datetime.timedelta(hours=1)


class ResetVerdict(enum.Enum):
    SEND = "send"
    ADDRESS_LIMITED = "address_limited"  # answered like a sent link, nothing is sent
    IP_LIMITED = "ip_limited"  # answered with a 429


def address_digest(address: str) -> str:
    """A keyed digest of an e-mail address, the same for any capitalisation (accounts are
    found by a case-insensitive match)."""
    return salted_hmac("accounts.password-reset", address.strip().lower()).hexdigest()


def register_password_reset_request(*, address: str, ip_address: str | None) -> ResetVerdict:
    """Count one request for a reset link to ``address`` from ``ip_address`` and say whether
    a link may go out: at most ``PASSWORD_RESET_PER_ADDRESS_PER_HOUR`` requests per address
    and ``PASSWORD_RESET_PER_IP_PER_HOUR`` per client address in any hour. Requests for
    addresses without an account count the same, so the limit tells nothing about accounts.
    A request refused for its client address is not kept; rows older than the hour are pruned.

    Deliberately not one transaction: each statement commits at once, and the row is written
    before the counts are read, so two app servers answering at the same moment each see the
    other's row and the limit can be undershot under a race but never exceeded."""
    now = timezone.now()
    since = now - WINDOW
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    digest = address_digest(address)
    own = PasswordResetRequest.objects.create(
        address_digest=digest, ip_address=ip_address, created_at=now
    )
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    if recent.filter(ip_address=ip_address).count() > settings.PASSWORD_RESET_PER_IP_PER_HOUR:
        own.delete()
        return ResetVerdict.IP_LIMITED
    if recent.filter(address_digest=digest).count() > settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR:
        return ResetVerdict.ADDRESS_LIMITED
    return ResetVerdict.SEND
