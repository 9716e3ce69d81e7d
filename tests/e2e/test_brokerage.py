"""A brokerage day in the browser: a participant requests a meeting from the directory, the
other accepts it on their meetings page, the organizer runs the scheduler, and the meeting
appears on the participant's agenda."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.events.test_brokerage_fixtures import *  # noqa: F403 (fixtures)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]


def test_from_a_request_to_the_agenda(
    event: Any,
    registered: dict[str, Any],
    people: dict[str, Any],
    member: Any,
    browser: Any,
    page: Any,
    live_server: Any,
    sign_in: SignIn,
) -> None:
    base = f"{live_server.url}/events/{event.slug}/brokerage"
    li = registered["li"]

    # Anna finds Li in the directory and asks for a meeting.
    sign_in(page, people["anna"].email, TEST_PASSWORD)
    page.goto(f"{base}/participants/")
    page.get_by_label("Search participants").fill("基金")
    expect(page.locator(".participant-card")).to_have_count(1)
    card = page.locator(f"#participant-{li.pk}")
    card.get_by_text("Request a meeting").click()
    card.get_by_label("Message").fill("Shall we talk about fuel cell buses?")
    card.get_by_label("Priority").select_option("2")
    card.get_by_role("button", name="Send request").click()
    expect(card.locator(".request-state")).to_have_text("Request sent: waiting for an answer")

    # Li accepts it on her meetings page.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    li_page = other.new_page()
    sign_in(li_page, people["li"].email, TEST_PASSWORD)
    li_page.goto(f"{base}/me/")
    row = li_page.locator("#requests-received .request-row").first
    expect(row).to_contain_text("Anna Ivanova")
    expect(row).to_contain_text("Shall we talk about fuel cell buses?")
    row.get_by_role("button", name="Accept").click()
    expect(li_page.locator("#requests-received .request-row").first).to_have_attribute(
        "data-status", "accepted"
    )
    other.close()

    # The organizer runs the scheduler and announces the schedule.
    organizer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    organizer_page = organizer.new_page()
    sign_in(organizer_page, member.email, TEST_PASSWORD)
    organizer_page.goto(f"{base}/organize/")
    organizer_page.get_by_role("button", name="Run scheduler").click()
    expect(organizer_page.get_by_role("alert")).to_contain_text("placed 1 of 1 accepted meeting")
    expect(organizer_page.locator("#schedule-grid")).to_contain_text("Li Wei")
    organizer_page.get_by_role("button", name="Announce").click()
    expect(organizer_page.get_by_role("alert")).to_contain_text("1 meeting announced")
    organizer.close()

    # Anna sees the meeting on her agenda, confirmed, and can take it into her calendar.
    page.goto(f"{base}/agenda/")
    meeting = page.locator("#agenda .agenda-item")
    expect(meeting).to_have_count(1)
    expect(meeting).to_contain_text("Li Wei")
    expect(meeting).to_contain_text(re.compile(r"Table \d"))
    expect(meeting).to_contain_text("Confirmed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    assert download.value.suggested_filename == f"{event.slug}-meetings.ics"
