"""Fixtures shared by the brokerage tests (imported by each test_brokerage_* module): a
brokerage day hosted by Polytech with four 30-minute slots, two tables, and four people who
can sign in, each registered with a profile in their own language."""

from __future__ import annotations

from typing import Any

import pytest

from parkbridge.accounts.models import MembershipRole
from parkbridge.events import brokerage
from tests.factories import (
    TEST_PASSWORD,
    AffiliationFactory,
    BrokerageEventFactory,
    MeetingSlotFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    brokerage_time,
)


@pytest.fixture
def event(organization: Any) -> Any:
    """Hosted by Polytech: its members (the `member` and `org_admin` fixtures) organize it."""
    event = BrokerageEventFactory(
        slug="b2b-day", title="B2B day", host=organization, tables=2, default_meeting_limit=3
    )
    for number in range(4):
        MeetingSlotFactory(event=event, starts_at=brokerage_time(9, 30 * number))
    return event


def make_person_user(email: str, name: str, organization: Any) -> Any:
    """A user who belongs to `organization`, with their person record."""
    user = UserFactory(email=email, full_name=name, password=TEST_PASSWORD)
    MembershipFactory(user=user, organization=organization, role=MembershipRole.MEMBER)
    person = PersonFactory(full_name=name, full_name_latin=name, user=user)
    AffiliationFactory(person=person, organization=organization)
    return user


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    """Users of three organizations in three countries (none of them organizes the event)."""
    ural = OrganizationFactory(slug="ural-lab", name="Уральская лаборатория", name_en="Ural Lab")
    shenzhen = OrganizationFactory(
        slug="shenzhen-fund", name="深圳基金", name_en="Shenzhen Fund", country="CN"
    )
    leeds = OrganizationFactory(slug="leeds-works", name="Leeds Works", country="GB")
    return {
        "anna": make_person_user("anna@ural.example", "Anna Ivanova", ural),
        "li": make_person_user("li@shenzhen.example", "Li Wei", shenzhen),
        "bob": make_person_user("bob@leeds.example", "Bob Smith", leeds),
        "olga": make_person_user("olga@ural.example", "Olga Petrova", ural),
    }


@pytest.fixture
def registered(event: Any, people: dict[str, Any]) -> dict[str, Any]:
    """Everyone in `people` registered for every slot; participants by the same names."""
    profiles = {
        "anna": (
            "ru",
            "Разрабатываем водородные топливные элементы для городских автобусов.",
            "Ищем инвестора для производства топливных элементов.",
        ),
        "li": (
            "zh",
            "我们的基金投资氢燃料电池和氢能公交车项目。",
            "寻找氢燃料电池和电解水制氢领域的初创企业进行投资。",
        ),
        "bob": ("en", "Machine tools for metal parts.", "Buyers of machine tools in Asia."),
        "olga": ("ru", "Испытания материалов.", "Ищем заказчиков испытаний."),
    }
    return {
        name: brokerage.participant_register(
            actor=people[name],
            event=event,
            profile_language=language,
            offering=offering,
            seeking=seeking,
        )
        for name, (language, offering, seeking) in profiles.items()
    }
