"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from parkbridge.accounts.models import ApiToken, Membership
from parkbridge.core import permissions
from parkbridge.registry.models import Organization


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def membership_list_for_organization(
    *, viewer: Any, organization: Organization
) -> QuerySet[Membership]:
    """The members of an organization, for those who may manage them or are members of it."""
    if not (
        permissions.can_manage_members(viewer, organization)
        or organization.pk in permissions.organization_ids(viewer)
    ):
        return Membership.objects.none()
    return organization.memberships.select_related("user").order_by("role", "user__email")


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)
