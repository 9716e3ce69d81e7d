"""Who is who in the agreement tests: Polytech (A) registers agreements with Wuxi Park (B);
Far Park (C, the `outsider`'s organization) is never a party."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from parkbridge.accounts.models import MembershipRole
from parkbridge.agreements.services import agreement_create
from parkbridge.portfolio.services import project_create
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

TODAY = timezone.localdate()


def days(number: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=number)


@pytest.fixture
def partner(db: Any) -> Any:
    return OrganizationFactory(
        slug="wuxi-park", name="无锡科技园", name_en="Wuxi Park", name_language="zh", country="CN"
    )


@pytest.fixture
def partner_member(partner: Any) -> Any:
    """A member of the other party (an organization the agreement names)."""
    user = UserFactory(email="member@wuxi.example")
    MembershipFactory(user=user, organization=partner, role=MembershipRole.MEMBER)
    return user


def make_agreement(actor: Any, owner: Any, parties: list[Any], **values: Any) -> Any:
    defaults: dict[str, Any] = {
        "kind": "cooperation",
        "title": "Cooperation agreement on hydrogen energy",
        "summary": "Joint research and a startup exchange programme.",
        "language": "en",
    }
    return agreement_create(actor=actor, owner=owner, parties=parties, **{**defaults, **values})


def signed(**values: Any) -> dict[str, Any]:
    """Values of an agreement signed ten days ago and valid for a year."""
    return {
        "status": "signed",
        "signed_on": days(-10),
        "signed_place": "Saint Petersburg",
        "valid_from": days(-10),
        "valid_until": days(355),
        **values,
    }


def make_project(actor: Any, owner: Any, *, confidentiality: str = "restricted", **values: Any):
    defaults: dict[str, Any] = {
        "kind": "research",
        "title": "Zircon coating for turbine blades",
        "summary": "Confidential research on zircon coatings.",
        "language": "en",
    }
    return project_create(
        actor=actor, owner=owner, confidentiality=confidentiality, **{**defaults, **values}
    )
