"""The one permission policy: who may see and change what. UI, API and commands all ask here.

Memberships are read through the reverse relation `user.memberships` so that this module sits
below every domain app and imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

AnyUser = Any  # a User or AnonymousUser

# A page asks the policy about many rows, and each question needs the viewer's memberships:
# within one request they are looked up once (see PermissionMemoMiddleware). Outside a request
# (services, commands, tests) every question looks again.
_request_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar(
    "parkbridge_permission_memo", default=None
)


@contextmanager
def remembered_for_request() -> Iterator[None]:
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


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
    return bool(_remembered(("network", user.pk), user.memberships.exists))


def organization_ids(user: AnyUser, *, role: str | None = None) -> set[int]:
    if not user or not user.is_authenticated or not user.is_active:
        return set()

    def direct() -> set[int]:
        memberships = user.memberships.all()
        if role:
            memberships = memberships.filter(role=role)
        return set(memberships.values_list("organization_id", flat=True))

    return set(_remembered(("organizations", user.pk, role), direct))


def administered_organization_ids(user: AnyUser) -> set[int]:
    """Organizations the user administers, their branches included (a park runs its branches)."""
    from django.apps import apps

    organization_model = apps.get_model("registry", "Organization")

    def with_branches() -> set[int]:
        roots = organization_ids(user, role=OrganizationRole.ADMIN)
        result = set(roots)
        frontier = set(roots)
        while frontier:
            children = set(
                organization_model.objects.filter(parent_id__in=frontier).values_list(
                    "id", flat=True
                )
            )
            frontier = children - result
            result |= frontier
        return result

    if not user or not user.is_authenticated or not user.is_active:
        return set()
    return set(_remembered(("administered", user.pk), with_branches))


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
    of the owner organization (and admins of a parent organization) and of the organizations
    the owner shared them with; all for staff."""
    if is_platform_staff(user):
        return VisibilityScope(everything=True, network=True, organization_ids=frozenset())
    if not is_network_member(user):
        return VisibilityScope(everything=False, network=False, organization_ids=frozenset())
    return VisibilityScope(
        everything=False, network=True, organization_ids=frozenset(viewing_organization_ids(user))
    )


def viewing_organization_ids(user: AnyUser) -> set[int]:
    """The organizations whose restricted items a user sees as their own: those they belong
    to, and the branches of those they administer (a park runs its branches, so its admins
    see and edit what the branches keep restricted)."""
    return organization_ids(user) | administered_organization_ids(user)


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


AccessGrantProvider = Callable[[frozenset[int]], Iterable[int]]
_access_grants: dict[str, list[AccessGrantProvider]] = {}


def register_access_grant(model_label: str, provider: AccessGrantProvider) -> None:
    """Let an app above this one open restricted rows to more organizations: `provider` takes
    the viewer's organization ids and returns the ids of the rows of `model_label` (such as
    "portfolio.project") they may see besides the owner's own sharing, e.g. under an NDA."""
    providers = _access_grants.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def granted_object_ids(model: type[Model], organization_ids_: Iterable[int]) -> set[int]:
    """Rows of `model` opened to these organizations by a registered access grant."""
    organizations = frozenset(organization_ids_)
    if not organizations:
        return set()
    label = model._meta.label_lower

    def ask_providers() -> set[int]:
        granted: set[int] = set()
        for provider in _access_grants.get(label, []):
            granted.update(provider(organizations))
        return granted

    return set(_remembered(("granted", label, organizations), ask_providers))


def shared_object_ids(model: type[Model], organization_ids_: Iterable[int]) -> set[int]:
    """Restricted rows of `model` the owners shared with these organizations, or granted."""
    organizations = frozenset(organization_ids_)
    if not organizations:
        return set()
    shared_field = getattr(model, "visibility_shared_field", "shared_with")
    shared = set(
        model._default_manager.filter(**{f"{shared_field}__in": organizations}).values_list(
            "pk", flat=True
        )
    )
    return shared | granted_object_ids(model, organizations)


def visible(queryset: Any, user: AnyUser) -> Any:
    """Only the rows of a confidential model the user may see (distinct: sharing joins)."""
    from django.db.models import Q

    model = queryset.model
    owner_field = getattr(model, "visibility_owner_field", "owner")
    shared_field = getattr(model, "visibility_shared_field", "shared_with")
    rule = visible_filter(user, owner_field=owner_field, shared_field=shared_field)
    scope = visibility_scope(user)
    if not scope.everything and scope.network and scope.organization_ids:
        granted = granted_object_ids(model, scope.organization_ids)
        if granted:
            rule |= Q(pk__in=granted)
    return queryset.filter(rule).distinct()


def can_view(user: AnyUser, obj: Any) -> bool:
    """The same rule as `visible`, for one object."""
    if obj.confidentiality == "public" or is_platform_staff(user):
        return True
    if not is_network_member(user):
        return False
    if obj.confidentiality == "network":
        return True
    mine = viewing_organization_ids(user)
    owner_field = getattr(obj, "visibility_owner_field", "owner")
    if getattr(obj, f"{owner_field}_id") in mine:
        return True
    shared_field = getattr(obj, "visibility_shared_field", "shared_with")
    if mine & set(getattr(obj, shared_field).values_list("id", flat=True)):
        return True
    return obj.pk in granted_object_ids(type(obj), mine)


def party_filter(user: AnyUser, *, field: str = "organizations") -> Any:
    """A Q object selecting records between organizations (cooperations, tasks) that a user
    may see: those where one of their organizations, or a branch they run, takes part."""
    from django.db.models import Q

    if is_platform_staff(user):
        return Q()
    mine = contributable_organization_ids(user)
    if not mine:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": mine})


def is_party(user: AnyUser, organization_ids_: Iterable[int]) -> bool:
    """Whether the user may see and work on a record between these organizations."""
    if is_platform_staff(user):
        return True
    return bool(contributable_organization_ids(user) & set(organization_ids_))


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
