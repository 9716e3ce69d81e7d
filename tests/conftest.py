from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parkbridge.accounts.models import MembershipRole
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def organization(db: Any) -> Any:
    return OrganizationFactory(
        slug="polytech", name="Политех", name_en="Polytech", name_language="ru"
    )


@pytest.fixture
def other_organization(db: Any) -> Any:
    return OrganizationFactory(slug="far-park", name="远方科技园", name_en="Far Park", country="CN")


@pytest.fixture
def staff_user(db: Any) -> Any:
    return UserFactory(email="staff@test.example", is_staff=True, is_superuser=True)


@pytest.fixture
def org_admin(organization: Any) -> Any:
    user = UserFactory(email="admin@polytech.example")
    MembershipFactory(user=user, organization=organization, role=MembershipRole.ADMIN)
    return user


@pytest.fixture
def member(organization: Any) -> Any:
    user = UserFactory(email="member@polytech.example")
    MembershipFactory(user=user, organization=organization, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def outsider(other_organization: Any) -> Any:
    """A member of another organization."""
    user = UserFactory(email="member@far.example")
    MembershipFactory(user=user, organization=other_organization, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def loner(db: Any) -> Any:
    """Signed in, but a member of no organization."""
    return UserFactory(email="loner@test.example")


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
