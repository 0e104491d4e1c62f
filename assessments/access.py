"""Who may see and do what, per organisation.

A user's standing in an organisation is one of: org admin, manager (of a department),
staff (of a department), or consultant (granted access). Everything else in the app asks
these functions rather than reading memberships itself.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import ConsultantAccess, Membership, Organisation

CONSULTANT = "consultant"


@dataclass(frozen=True)
class Standing:
    """A user's role in one organisation (``department_id`` for managers and staff)."""

    organisation_id: int
    role: str
    department_id: int | None = None

    @property
    def can_manage(self) -> bool:
        """Org admins and consultants run campaigns and see the whole organisation."""
        return self.role in (Membership.Role.ORG_ADMIN, CONSULTANT)

    @property
    def is_manager(self) -> bool:
        return self.role == Membership.Role.MANAGER


def standings(user) -> dict[int, Standing]:
    """Every organisation the user belongs to or consults for, by organisation id.

    Cached on the user object for the duration of a request.
    """
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_levelcheck_standings", None)
    if cached is not None:
        return cached
    result = {
        m.organisation_id: Standing(m.organisation_id, m.role, m.department_id)
        for m in Membership.objects.filter(user=user).only(
            "organisation_id", "role", "department_id"
        )
    }
    for organisation_id in ConsultantAccess.objects.filter(user=user).values_list(
        "organisation_id", flat=True
    ):
        # Consultant access outranks a membership in the same organisation.
        result[organisation_id] = Standing(organisation_id, CONSULTANT)
    user._levelcheck_standings = result
    return result


def standing_in(user, organisation_id: int) -> Standing:
    """The user's standing in an organisation; 404 when they have none (not revealed)."""
    standing = standings(user).get(organisation_id)
    if standing is None:
        raise Http404
    return standing


def require_manage(user, organisation_id: int) -> Standing:
    """404 outside the organisation, 403 inside it without org admin or consultant rights."""
    standing = standing_in(user, organisation_id)
    if not standing.can_manage:
        raise PermissionDenied
    return standing


def managed_organisations(user) -> QuerySet[Organisation]:
    ids = [oid for oid, standing in standings(user).items() if standing.can_manage]
    return Organisation.objects.filter(pk__in=ids)
