"""Browser journey through an event: a member of the host organization opens the visit of the
Wuxi branch, adds an agenda item and an outcome, turns the outcome into a task in one step, and
sees the agenda."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable, Generator
from typing import Any

import pytest
from playwright.sync_api import expect

from parkbridge.accounts.models import MembershipRole
from parkbridge.events.models import Event
from parkbridge.events.services import event_create
from parkbridge.pipeline.models import Task
from tests.factories import (
    TEST_PASSWORD,
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

# The live server needs committed data, so each test commits and the database is flushed after
# it; the serialized rollback restores what the migrations loaded (the focus-area taxonomy).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]
MEMBER_EMAIL = "anna.petrova@polytech.example"
START = datetime.datetime(2031, 9, 15, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def shanghai_page(browser: Any) -> Generator[Any, None, None]:
    """A page of a browser in Shanghai (UTC+8): the server runs on UTC, so every time shown
    or typed has to be converted."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def visit() -> Event:
    """The Wuxi branch visits the technopark: restricted to the two organizations."""
    technopark = OrganizationFactory(
        slug="polytech-technopark",
        name="Технопарк Политеха",
        name_language="ru",
        name_en="Polytech Technology Park",
        kind="technology_park",
    )
    wuxi = OrganizationFactory(
        slug="wuxi-branch",
        name="无锡分园",
        name_language="zh",
        name_en="Wuxi branch",
        kind="technology_park",
        country="CN",
        city="Wuxi",
    )
    member = UserFactory(email=MEMBER_EMAIL, full_name="Anna Petrova")
    MembershipFactory(user=member, organization=technopark, role=MembershipRole.MEMBER)
    director = PersonFactory(
        slug="technopark-director", full_name="Игорь Смирнов", full_name_latin="Igor Smirnov"
    )
    AffiliationFactory(person=director, organization=technopark, position_en="Director")
    return event_create(
        actor=member,
        host=technopark,
        visiting_organizations=[wuxi],
        kind="delegation_visit",
        title="Visit of the Wuxi branch",
        language="en",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=4),
        place="Technopark, conference hall",
        city="Saint Petersburg",
        country="RU",
        confidentiality="restricted",
    )


def test_member_builds_the_agenda_and_turns_an_outcome_into_a_task(
    live_server: Any, shanghai_page: Any, sign_in: SignIn, visit: Event
) -> None:
    page = shanghai_page
    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.goto(f"{live_server.url}/events/{visit.slug}/")
    expect(page.get_by_role("heading", name="Visit of the Wuxi branch")).to_be_visible()
    # The page shows times in the browser's time zone (after one reload to tell the server).
    expect(page.get_by_test_id("timezone")).to_have_text("Times in Asia/Shanghai")
    expect(page.get_by_test_id("event-dates")).to_contain_text("15:00–19:00")
    talk_start = (START + datetime.timedelta(minutes=30)).astimezone(
        zoneinfo.ZoneInfo("Asia/Shanghai")
    )
    page.evaluate("window.__stillSamePage = true")

    # An agenda item, typed in local time, with its speaker.
    page.get_by_role("button", name="Add agenda item").click()
    agenda_form = page.get_by_test_id("agenda-form")
    agenda_form.get_by_label("Starts").fill(talk_start.strftime("%Y-%m-%dT%H:%M"))
    agenda_form.get_by_label("Title").fill("Startups, mentoring and financial backing")
    agenda_form.get_by_label("Speaker").select_option(label="Игорь Смирнов (Igor Smirnov)")
    agenda_form.get_by_role("button", name="Add to the agenda").click()
    item = page.get_by_test_id("agenda-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Startups, mentoring and financial backing")
    expect(item).to_contain_text("Игорь Смирнов")
    expect(item.get_by_test_id("agenda-time")).to_have_text("15:30")

    # An outcome, then a task made from it in one click (and a confirmation).
    page.get_by_role("button", name="Add outcome").click()
    outcome_form = page.get_by_test_id("outcome-form")
    outcome_form.get_by_label("Outcome").fill(
        "Joint introduction of technical developments and their launch on the world market"
    )
    outcome_form.get_by_role("button", name="Add the outcome").click()
    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_have_count(1)
    confirmations: list[str] = []

    def accept(dialog: Any) -> None:
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    outcome.get_by_role("button", name="Make a task").click()
    expect(outcome.get_by_test_id("outcome-task")).to_contain_text(
        "Task: Joint introduction of technical developments"
    )
    expect(outcome.get_by_role("button", name="Make a task")).to_have_count(0)
    assert confirmations == ["Make a follow-up task from this outcome?"]
    assert page.evaluate("window.__stillSamePage === true"), "the page was reloaded"
    task = Task.objects.get()
    assert task.organization.slug == "polytech-technopark"
    assert task.title.startswith("Joint introduction of technical developments")
    assert visit.agenda.get().starts_at == START + datetime.timedelta(minutes=30)

    # Coming back later: the agenda is there, the outcome shows its task.
    page.reload()
    expect(page.get_by_test_id("agenda-item")).to_contain_text(
        ["Startups, mentoring and financial backing"]
    )
    expect(page.get_by_test_id("outcome-task")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Add to calendar"))).to_have_attribute(
        "href", f"/events/{visit.slug}/event.ics"
    )
