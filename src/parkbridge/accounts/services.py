"""Writes for accounts: users, memberships, personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from parkbridge.accounts.models import ApiToken, Membership, MembershipRole, User
from parkbridge.core import permissions
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record
from parkbridge.registry.models import Organization

TOKEN_PREFIX = "pbk"
MAX_ACTIVE_TOKENS = 20


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def user_profile_update(
    *, actor: User, user: User, full_name: str | None = None, preferred_language: str | None = None
) -> User:
    if actor.pk != user.pk and not permissions.is_platform_staff(actor):
        raise PermissionDenied(_("You may only change your own profile."))
    if full_name is not None:
        user.full_name = full_name.strip()
    if preferred_language is not None:
        user.preferred_language = preferred_language
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    organization: Organization,
    email: str,
    role: str = MembershipRole.MEMBER,
    full_name: str = "",
    request: HttpRequest | None = None,
) -> Membership:
    """Add someone to an organization; a new address gets an account and an invitation e-mail."""
    if not permissions.can_manage_members(actor, organization):
        raise PermissionDenied(_("You may not manage the members of this organization."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.JOINED,
        target=organization,
        changes={"member": [None, str(user)], "role": [None, role]},
    )
    if invited:
        _send_invitation(email=email, request=request)
    return membership


class _InvitationForm(PasswordResetForm):
    """Password-reset mail for accounts that have no password yet (the reset form skips them)."""

    def get_users(self, email: str) -> Any:
        return User.objects.filter(email__iexact=email, is_active=True)


def _send_invitation(*, email: str, request: HttpRequest | None) -> None:
    """A new member chooses a password through a one-time link, like a password reset."""
    form = _InvitationForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=bool(request and request.is_secure()),
            domain_override=None if request else "127.0.0.1:8000",
            subject_template_name="accounts/email/invitation_subject.txt",
            email_template_name="accounts/email/invitation.txt",
        )


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    if not permissions.can_manage_members(actor, membership.organization):
        raise PermissionDenied(_("You may not manage the members of this organization."))
    if (
        membership.role == MembershipRole.ADMIN
        and not membership.organization.memberships.filter(role=MembershipRole.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
        and not permissions.is_platform_staff(actor)
    ):
        raise ValidationError(_("An organization must keep at least one admin."))
    audit_record(
        actor=actor,
        action=AuditAction.LEFT,
        target=membership.organization,
        changes={"member": [str(membership.user), None]},
    )
    membership.delete()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is not stored and not shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, such as the script that uses it.")}
        )
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name under 100 characters.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)d active tokens; revoke one first.") % {"count": active}
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        expires_at=expires_at,
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not permissions.is_platform_staff(actor):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw_token: str) -> User | None:
    """The active user a presented token belongs to, or None."""
    parts = raw_token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _marker, prefix, secret = parts
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.secret_hash, _hash_secret(secret)):
        return None
    now = timezone.now()
    # Write at most once a minute per token so that busy scripts do not hammer the database.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
