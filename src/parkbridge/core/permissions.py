"""The one permission policy: who may see and change what. UI, API and commands all ask here.

Memberships are read through the reverse relation `user.memberships` so that this module sits
below every domain app and imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

AnyUser = Any  # a User or AnonymousUser


class OrganizationRole:
    ADMIN = "admin"
    MEMBER = "member"


def is_platform_staff(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_network_member(user: AnyUser) -> bool:
    """Signed in, active, and belonging to at least one organization (or platform staff)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return bool(user.memberships.exists())


def organization_ids(user: AnyUser, *, role: str | None = None) -> set[int]:
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    memberships = user.memberships.all()
    if role:
        memberships = memberships.filter(role=role)
    return set(memberships.values_list("organization_id", flat=True))


def administered_organization_ids(user: AnyUser) -> set[int]:
    """Organizations the user administers, their branches included (a park runs its branches)."""
    from django.apps import apps

    organization_model = apps.get_model("registry", "Organization")
    roots = organization_ids(user, role=OrganizationRole.ADMIN)
    result = set(roots)
    frontier = set(roots)
    while frontier:
        children = set(
            organization_model.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - result
        result |= frontier
    return result


def can_view_contacts(user: AnyUser) -> bool:
    """Personal contact details are for signed-in members of the network only."""
    return is_network_member(user)


def can_create_organization(user: AnyUser) -> bool:
    return is_platform_staff(user) or bool(organization_ids(user, role=OrganizationRole.ADMIN))


def can_edit_organization(user: AnyUser, organization: Model) -> bool:
    if is_platform_staff(user):
        return True
    return organization.pk in administered_organization_ids(user)


def can_manage_members(user: AnyUser, organization: Model) -> bool:
    return can_edit_organization(user, organization)


def can_create_person(user: AnyUser) -> bool:
    return can_create_organization(user)


def can_edit_person(user: AnyUser, person: Model) -> bool:
    """Staff, the person's own user, or an admin of any organization the person works for."""
    if is_platform_staff(user):
        return True
    if not user or not user.is_authenticated:
        return False
    if getattr(person, "user_id", None) == user.pk:
        return True
    affiliated = set(person.affiliations.values_list("organization_id", flat=True))  # type: ignore[attr-defined]
    return bool(affiliated & administered_organization_ids(user))


def anonymous() -> AnonymousUser:
    return AnonymousUser()


@dataclass(frozen=True)
class VisibilityScope:
    """What a user may see of confidential rows, as data: for filters outside the ORM."""

    everything: bool
    network: bool
    organization_ids: frozenset[int]


def visibility_scope(user: AnyUser) -> VisibilityScope:
    """Public rows for everyone; network rows for network members; restricted rows for members
    of the owner organization and of the organizations the owner shared them with; all for
    staff."""
    if is_platform_staff(user):
        return VisibilityScope(everything=True, network=True, organization_ids=frozenset())
    if not is_network_member(user):
        return VisibilityScope(everything=False, network=False, organization_ids=frozenset())
    return VisibilityScope(
        everything=False, network=True, organization_ids=frozenset(organization_ids(user))
    )


def visible_filter(
    user: AnyUser, *, owner_field: str = "owner", shared_field: str = "shared_with"
) -> Any:
    """A Q object selecting the confidential rows (projects, offers, IP assets) a user may see."""
    from django.db.models import Q

    scope = visibility_scope(user)
    if scope.everything:
        return Q()
    public = Q(confidentiality="public")
    if not scope.network:
        return public
    mine = scope.organization_ids
    return (
        public
        | Q(confidentiality="network")
        | Q(**{f"{owner_field}__in": mine})
        | Q(**{f"{shared_field}__in": mine})
    )


def visible_mask(
    scope: VisibilityScope,
    *,
    confidentiality: np.ndarray,
    owner_ids: np.ndarray,
    shared_with_viewer: np.ndarray,
) -> np.ndarray:
    """The same rule as `visible_filter` over arrays (one entry per row), for in-process
    indexes: `shared_with_viewer` is true where the owner shared the row with the viewer's
    organizations."""
    if scope.everything:
        return np.ones(len(confidentiality), dtype=bool)
    mask = confidentiality == "public"
    if scope.network:
        mask |= confidentiality == "network"
        if scope.organization_ids:
            mine = np.fromiter(scope.organization_ids, dtype=np.int64)
            mask |= np.isin(owner_ids, mine)
        mask |= shared_with_viewer
    return mask


def visible(queryset: Any, user: AnyUser) -> Any:
    """Only the rows of a confidential model the user may see (distinct: sharing joins)."""
    return queryset.filter(visible_filter(user)).distinct()


def can_view(user: AnyUser, obj: Any) -> bool:
    """The same rule as `visible`, for one object."""
    if obj.confidentiality == "public" or is_platform_staff(user):
        return True
    if not is_network_member(user):
        return False
    if obj.confidentiality == "network":
        return True
    mine = organization_ids(user)
    if obj.owner_id in mine:
        return True
    return bool(mine & set(obj.shared_with.values_list("id", flat=True)))


def can_contribute_for(user: AnyUser, organization: Model) -> bool:
    """Members of an organization (and its admins, and staff) add and edit its portfolio."""
    if is_platform_staff(user):
        return True
    return organization.pk in organization_ids(user) | administered_organization_ids(user)


def can_edit_owned(user: AnyUser, obj: Any) -> bool:
    """Edit a project, offer or IP asset: members of its owner organization, or staff."""
    return can_contribute_for(user, obj.owner)


def can_delete_owned(user: AnyUser, obj: Any) -> bool:
    """Delete: admins of the owner organization, or staff."""
    return can_edit_organization(user, obj.owner)


def contributable_organization_ids(user: AnyUser) -> set[int]:
    return organization_ids(user) | administered_organization_ids(user)
