from __future__ import annotations

from typing import Any

import pytest

from parkbridge.accounts.models import MembershipRole
from parkbridge.pipeline import services
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def partner(db: Any) -> Any:
    return OrganizationFactory(
        slug="wuxi-park", name="无锡科技园", name_en="Wuxi Park", country="CN"
    )


@pytest.fixture
def partner_member(partner: Any) -> Any:
    user = UserFactory(email="member@wuxi.example")
    MembershipFactory(user=user, organization=partner, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def cooperation(member: Any, organization: Any, partner: Any) -> Any:
    return services.cooperation_create(
        actor=member,
        organizations=[organization, partner],
        title="Hydrogen storage pilot",
        next_step="Send the NDA draft",
    )
