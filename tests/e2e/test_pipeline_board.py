"""Browser journey through the cooperation pipeline: drag a card across the board, move it with
its arrow, close it with a reason, and follow it on its timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from parkbridge.accounts.models import MembershipRole
from parkbridge.pipeline import services
from parkbridge.pipeline.models import Cooperation, CooperationStage
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]


@pytest.fixture
def manager(organization: Any) -> Any:
    user = UserFactory(
        email="office@polytech.example", password=TEST_PASSWORD, first_name="Anna", last_name="Li"
    )
    MembershipFactory(user=user, organization=organization, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def cooperations(manager: Any, organization: Any) -> list[Any]:
    wuxi = OrganizationFactory(
        slug="wuxi-branch", name="无锡分园", name_en="Wuxi branch", country="CN"
    )
    return [
        services.cooperation_create(
            actor=manager,
            organizations=[organization, wuxi],
            title=title,
            next_step="Send the agenda",
        )
        for title in ("Joint hydrogen lab", "Launch of sensors in China")
    ]


def _column(page: Any, stage: str) -> Any:
    return page.get_by_test_id(f"column-{stage}")


def test_moving_cooperations_across_the_board(
    cooperations: list[Any], manager: Any, page: Any, live_server: Any, sign_in: SignIn
) -> None:
    sign_in(page, manager.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/pipeline/")
    lead = _column(page, "lead")
    expect(lead.get_by_test_id("column-count")).to_have_text("2")

    # Drag and drop onto another column.
    card = lead.get_by_test_id("card").filter(has_text="Joint hydrogen lab")
    card.drag_to(_column(page, "meeting_held"))
    expect(_column(page, "meeting_held").get_by_test_id("card")).to_contain_text(
        "Joint hydrogen lab"
    )
    expect(_column(page, "lead").get_by_test_id("column-count")).to_have_text("1")

    # The arrow button moves one stage forward.
    _column(page, "lead").get_by_test_id("card").get_by_test_id("move-forward").click()
    expect(_column(page, "contacted").get_by_test_id("card")).to_contain_text(
        "Launch of sensors in China"
    )

    # Closing asks why (the closed column is off-screen: close it from its page).
    _column(page, "contacted").get_by_role("link", name="Launch of sensors in China").click()
    page.get_by_label("Move to").select_option("closed_lost")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Say why")
    page.get_by_label("Reason it was lost").fill("The partner chose another supplier.")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_test_id("next-step")).to_contain_text("Send the agenda")
    expect(page.get_by_test_id("timeline")).to_contain_text("The partner chose another supplier.")
    assert Cooperation.objects.get(title__startswith="Launch").stage == CooperationStage.CLOSED_LOST

    # A call on the timeline.
    page.get_by_label("Kind").select_option("call")
    page.get_by_label("What happened").fill("Called Mr Wang: budget frozen until spring.")
    page.get_by_role("button", name="Add to timeline").click()
    expect(page.get_by_test_id("activity").first).to_contain_text("budget frozen until spring")

    page.goto(f"{live_server.url}/pipeline/")
    expect(_column(page, "closed_lost").get_by_test_id("column-count")).to_have_text("1")
