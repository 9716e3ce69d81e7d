"""Account endpoints: who am I, and my organizations."""

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from parkbridge.accounts import selectors
from parkbridge.core.api import ApiRequest

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organization: str
    organization_name: str
    role: str

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return obj.organization.name_en


class MeOut(Schema):
    email: str
    full_name: str
    preferred_language: str
    is_staff: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their organizations")
def me(request: ApiRequest) -> Any:
    user = request.auth
    if not user.is_authenticated:
        raise PermissionDenied("Sign in or send an API token to see your account.")
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "is_staff": user.is_staff,
        "memberships": list(selectors.membership_list_for_user(user=user)),
    }
