from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parkbridge.accounts import services
from parkbridge.accounts.models import Membership, User


def test_token_secret_is_returned_once_and_only_a_hash_is_stored(member):
    token, secret = services.api_token_create(actor=member, name="crm sync")
    assert secret.startswith(f"pbk_{token.prefix}_")
    assert secret.split("_", 2)[2] not in token.secret_hash
    assert services.api_token_authenticate(secret) == member
    assert services.api_token_authenticate(secret + "x") is None
    assert services.api_token_authenticate("garbage") is None


def test_token_records_last_use(member):
    token, secret = services.api_token_create(actor=member, name="script")
    assert token.last_used_at is None
    services.api_token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_and_revoked_tokens_fail(member):
    token, secret = services.api_token_create(
        actor=member, name="short", expires_at=timezone.now() + timedelta(days=1)
    )
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert services.api_token_authenticate(secret) is None
    token2, secret2 = services.api_token_create(actor=member, name="other")
    services.api_token_revoke(actor=member, token=token2)
    assert services.api_token_authenticate(secret2) is None


def test_token_of_inactive_user_fails(member):
    _token, secret = services.api_token_create(actor=member, name="x")
    member.is_active = False
    member.save()
    assert services.api_token_authenticate(secret) is None


def test_token_validation(member):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=member, name="   ")
    with pytest.raises(ValidationError):
        services.api_token_create(
            actor=member, name="x", expires_at=timezone.now() - timedelta(days=1)
        )


def test_only_owner_revokes(member, outsider):
    token, _secret = services.api_token_create(actor=member, name="x")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=outsider, token=token)


def test_adding_a_new_member_creates_account_and_sends_invitation(org_admin, organization):
    membership = services.membership_add(
        actor=org_admin,
        organization=organization,
        email="New.Person@Park.example",
        full_name="New Person",
    )
    user = membership.user
    assert user.email == "new.person@park.example" and not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["new.person@park.example"]


def test_adding_an_existing_user_sends_nothing_and_can_change_role(
    org_admin, organization, outsider
):
    services.membership_add(actor=org_admin, organization=organization, email=outsider.email)
    services.membership_add(
        actor=org_admin, organization=organization, email=outsider.email, role="admin"
    )
    assert Membership.objects.get(user=outsider, organization=organization).role == "admin"
    assert mail.outbox == []


def test_member_management_rights_and_validation(member, org_admin, organization):
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=member, organization=organization, email="x@y.example")
    with pytest.raises(ValidationError):
        services.membership_add(actor=org_admin, organization=organization, email="not-an-email")


def test_last_admin_cannot_be_removed(org_admin, organization, member):
    admin_membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=org_admin, membership=admin_membership)
    services.membership_remove(actor=org_admin, membership=Membership.objects.get(user=member))
    assert not Membership.objects.filter(user=member).exists()


def test_user_manager_lowercases_email(db):
    user = User.objects.create_user(email="Mixed@Case.Example", password="x" * 12)
    assert user.email == "mixed@case.example"
