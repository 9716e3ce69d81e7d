"""Browser journeys through matchmaking: the Matches panel of a Russian project, feedback on a
suggestion, and a partner search in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from parkbridge.accounts.models import MembershipRole
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.matching.conftest import world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]


@pytest.fixture
def researcher(organization: Any) -> Any:
    user = UserFactory(email="researcher@polytech.example", password=TEST_PASSWORD)
    MembershipFactory(user=user, organization=organization, role=MembershipRole.MEMBER)
    return user


def test_a_russian_project_page_suggests_the_chinese_investor_and_explains_why(
    world: dict[str, Any],  # noqa: F811
    researcher: Any,
    page: Any,
    live_server: Any,
    sign_in: SignIn,
) -> None:
    sign_in(page, researcher.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/projects/hydrogen-bus/")
    panel = page.locator("#matches")
    best = panel.locator(".match-card").first
    expect(best).to_contain_text("投资氢燃料电池和氢能交通初创企业")
    expect(best).to_contain_text("Ticket size")
    expect(best).to_contain_text("Energy and fuels")
    best.locator("summary").click()
    expect(best.locator("blockquote[lang=zh]")).to_contain_text("氢燃料电池")
    expect(best.locator("blockquote[lang=ru]")).to_contain_text("Водородные")

    panel.get_by_role("tab", name="Organization").click()
    expect(page.locator("#matches .match-card").first).to_contain_text("Fuel Cell Works")

    page.locator("#matches").get_by_role("tab", name="Offer or request").click()
    first = page.locator("#matches .match-card").first
    expect(first).to_contain_text("投资氢燃料电池")
    first.get_by_role("button", name="Interested").click()
    expect(page.locator("#matches")).to_contain_text("Marked as interesting.")
    page.locator("#matches .match-card").first.get_by_role("button", name="Not relevant").click()
    expect(page.locator("#matches")).to_contain_text("will not be suggested again")

    page.reload()
    expect(page.locator("#matches .list-group, #matches p").first).to_be_visible()
    expect(page.locator("#matches")).not_to_contain_text("投资氢燃料电池和氢能交通初创企业")


def test_a_partner_search_in_chinese_finds_the_russian_project(
    world: dict[str, Any],  # noqa: F811
    page: Any,
    live_server: Any,
) -> None:
    page.goto(f"{live_server.url}/matches/")
    page.get_by_label("What are you looking for?").fill("寻找氢燃料电池公交车项目进行投资")
    page.get_by_label("Find").select_option("project")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results .match-card")
    expect(results.first).to_contain_text("Водородные топливные элементы для городских автобусов")
    expect(page).to_have_url(re.compile(r"/matches/\?q=.*target=project"))
    # Signed out: nothing restricted, and no rating buttons.
    expect(page.locator("#search-results")).not_to_contain_text("Confidential hydrogen")
    expect(page.get_by_role("button", name="Not relevant")).to_have_count(0)
