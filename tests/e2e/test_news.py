"""Browser journey through the news: a member writes in two languages and publishes, a visitor
reads it in English, switches the interface to Russian and reads the Russian text, and follows
the Atom feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from parkbridge.accounts.models import MembershipRole
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

# The live server needs committed data; the serialized rollback restores the migrations' data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]
MEMBER_EMAIL = "anna.petrova@polytech.example"
TITLE_EN = "Polytech and Wuxi park agree on a joint accelerator"
TITLE_RU = "Политех и парк Уси договорились о совместном акселераторе"
BODY_EN = "The delegations met on 15 September.\n\nA first call for startups opens in October."
BODY_RU = "Делегации встретились 15 сентября.\n\nПервый набор стартапов откроется в октябре."


@pytest.fixture
def member() -> Any:
    polytech = OrganizationFactory(
        slug="polytech",
        name="Санкт-Петербургский политехнический университет",
        name_language="ru",
        name_en="St. Petersburg Polytechnic University",
        name_ru="Санкт-Петербургский политехнический университет",
        country="RU",
    )
    user = UserFactory(email=MEMBER_EMAIL, full_name="Anna Petrova")
    MembershipFactory(user=user, organization=polytech, role=MembershipRole.MEMBER)
    return user


def test_member_publishes_news_that_a_visitor_reads_in_russian(
    live_server: Any, page: Any, browser: Any, member: Any, sign_in: SignIn
) -> None:
    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.goto(f"{live_server.url}/news/")
    page.get_by_role("link", name="Write news").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write news")

    english = page.get_by_role("group", name="English")
    english.get_by_label("Title").fill(TITLE_EN)
    english.get_by_label("Lead").fill("Two parks join forces for startups.")
    english.get_by_label("Text", exact=True).fill(BODY_EN)
    russian = page.get_by_role("group", name="Russian")
    russian.get_by_label("Title").fill(TITLE_RU)
    russian.get_by_label("Text", exact=True).fill(BODY_RU)
    # Chinese stays empty: it is skipped. The member's one organization is chosen already.
    expect(page.get_by_label("Publisher")).to_contain_text("St. Petersburg Polytechnic")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("news-title")).to_have_text(TITLE_EN)
    expect(page.get_by_test_id("news-status")).to_have_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("News published.")
    expect(page.get_by_test_id("news-status")).to_have_count(0)

    # A signed-out visitor with an English browser.
    visitor_context = browser.new_context(locale="en-US")
    visitor_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        visitor = visitor_context.new_page()
        visitor.goto(f"{live_server.url}/news/")
        result = visitor.get_by_test_id("news-result")
        expect(result).to_have_count(1)
        expect(result).to_contain_text(TITLE_EN)
        expect(result).to_contain_text("St. Petersburg Polytechnic University")
        result.click()
        expect(visitor).to_have_url(re.compile(r"/news/polytech-and-wuxi-park-agree-on-a-joint"))
        expect(visitor.get_by_test_id("news-title")).to_have_text(TITLE_EN)
        expect(visitor.get_by_test_id("news-body")).to_contain_text("met on 15 September")
        expect(visitor.get_by_test_id("news-body").locator("p")).to_have_count(2)
        expect(visitor.get_by_role("link", name="Русский", exact=True)).to_be_visible()

        visitor.locator("#language-select").select_option(label="Русский")
        expect(visitor.locator("html")).to_have_attribute("lang", "ru")
        expect(visitor.get_by_test_id("news-title")).to_have_text(TITLE_RU)
        expect(visitor.get_by_test_id("news-body")).to_contain_text("встретились 15 сентября")
        expect(visitor.get_by_role("link", name="English", exact=True)).to_be_visible()

        feed_link = visitor.locator('main a[type="application/atom+xml"]')
        href = feed_link.get_attribute("href")
        assert href == "/news/feed/ru.atom"
        feed = visitor.request.get(f"{live_server.url}{href}")
        assert feed.ok
        assert feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.body())
        atom = "{http://www.w3.org/2005/Atom}"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
        entries = root.findall(f"{atom}entry")
        assert [entry.findtext(f"{atom}title") for entry in entries] == [TITLE_RU]
        assert entries[0].findtext(f"{atom}author/{atom}name") == (
            "Санкт-Петербургский политехнический университет"
        )
        link = entries[0].find(f"{atom}link")
        assert link is not None and link.get("href", "").startswith(live_server.url)

        # The feed link opens in the browser too.
        feed_page = visitor.goto(f"{live_server.url}{href}")
        assert feed_page is not None and feed_page.status == 200
    finally:
        visitor_context.close()
