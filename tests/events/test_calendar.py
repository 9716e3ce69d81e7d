"""iCalendar exports of an event and of a person's schedule, read back with icalendar."""

from __future__ import annotations

import datetime
import sys
import types
from typing import Any

import pytest
from icalendar import Calendar

from parkbridge.events.calendar import CalendarEntry
from parkbridge.events.models import Event
from tests.conftest import client_for
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    EventParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    event_time,
)

pytestmark = pytest.mark.django_db


def _components(content: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(content)
    return {str(component["uid"]): component for component in calendar.walk("VEVENT")}


@pytest.fixture
def visit(organization: Any) -> Event:
    wuxi = OrganizationFactory(slug="wuxi-branch", name_en="Wuxi branch", country="CN")
    return EventFactory(
        slug="wuxi-visit",
        kind="delegation_visit",
        title="Visit of the Wuxi branch",
        description="Cooperation between the parks.",
        host=organization,
        visiting_organizations=[wuxi],
        confidentiality="restricted",
        place="Technopark, hall 1",
        city="Saint Petersburg",
        country="RU",
    )


def test_event_ics_holds_the_event_and_its_agenda(member, visit):
    director = PersonFactory(
        slug="director", full_name="Ирина Смирнова", full_name_latin="Irina Smirnova"
    )
    focus = AgendaItemFactory(
        event=visit,
        starts_at=event_time(10),
        title="Research focus areas of the university",
        speaker=director,
    )
    startups = AgendaItemFactory(
        event=visit, starts_at=event_time(10, 45), ends_at=event_time(11, 30), title="Startups"
    )
    last = AgendaItemFactory(event=visit, starts_at=event_time(12, 50), title="Directions")
    response = client_for(member).get("/events/wuxi-visit/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="wuxi-visit.ics"' in response["Content-Disposition"]
    components = _components(response.content)
    assert set(components) == {
        f"event-{visit.pk}@parkbridge",
        f"agenda-item-{focus.pk}@parkbridge",
        f"agenda-item-{startups.pk}@parkbridge",
        f"agenda-item-{last.pk}@parkbridge",
    }
    event = components[f"event-{visit.pk}@parkbridge"]
    assert str(event["summary"]) == "Visit of the Wuxi branch"
    assert event.decoded("dtstart") == event_time(10)
    assert event.decoded("dtend") == event_time(13)
    assert str(event["location"]) == "Technopark, hall 1, Saint Petersburg, Russia"
    assert "Wuxi branch" in str(event["description"])
    assert str(event["url"]) == "http://testserver/events/wuxi-visit/"
    talk = components[f"agenda-item-{focus.pk}@parkbridge"]
    assert (
        str(talk["summary"]) == "Research focus areas of the university · Visit of the Wuxi branch"
    )
    assert "Ирина Смирнова" in str(talk["description"])
    # No end of its own: until the next item; the last item: 30 minutes, but not past the event.
    assert talk.decoded("dtend") == event_time(10, 45)
    assert components[f"agenda-item-{startups.pk}@parkbridge"].decoded("dtend") == event_time(
        11, 30
    )
    assert components[f"agenda-item-{last.pk}@parkbridge"].decoded("dtend") == event_time(13)


def test_uids_stay_the_same_between_exports(member, visit):
    AgendaItemFactory(event=visit, starts_at=event_time(11))
    client = client_for(member)
    first = _components(client.get("/events/wuxi-visit/event.ics").content)
    second = _components(client.get("/events/wuxi-visit/event.ics").content)
    assert set(first) == set(second)


def test_restricted_event_ics_is_not_found_for_others(outsider, visit):
    assert client_for(outsider).get("/events/wuxi-visit/event.ics").status_code == 404
    assert client_for(None).get("/events/wuxi-visit/event.ics").status_code == 404
    assert client_for(outsider).get("/api/v1/events/wuxi-visit/event.ics").status_code == 404


def test_schedule_ics_leaves_out_what_the_viewer_may_not_see(member, outsider, visit, organization):
    person = PersonFactory(slug="wang-fang", full_name="王芳", full_name_latin="Wang Fang")
    EventParticipantFactory(event=visit, person=person, role="guest")
    conference = EventFactory(
        slug="conference",
        kind="conference",
        title="Materials conference",
        host=organization,
        confidentiality="public",
        starts_at=event_time(9, day=20),
        ends_at=event_time(18, day=20),
    )
    talk = AgendaItemFactory(
        event=conference,
        speaker=person,
        starts_at=event_time(14, day=20),
        ends_at=event_time(14, 20, day=20),
        title="Hydrogen drones",
    )
    member_view = _components(client_for(member).get("/people/wang-fang/schedule.ics").content)
    assert set(member_view) == {f"event-{visit.pk}@parkbridge", f"agenda-item-{talk.pk}@parkbridge"}
    response = client_for(outsider).get("/people/wang-fang/schedule.ics")
    assert 'filename="wang-fang-schedule.ics"' in response["Content-Disposition"]
    outsider_view = _components(response.content)
    assert set(outsider_view) == {f"agenda-item-{talk.pk}@parkbridge"}
    entry = outsider_view[f"agenda-item-{talk.pk}@parkbridge"]
    assert str(entry["summary"]) == "Hydrogen drones · Materials conference"
    assert entry.decoded("dtstart") == event_time(14, day=20)
    assert entry.decoded("dtend") == event_time(14, 20, day=20)
    api_view = _components(
        client_for(outsider).get("/api/v1/people/wang-fang/schedule.ics").content
    )
    assert set(api_view) == set(outsider_view)
    assert client_for(None).get("/people/nobody/schedule.ics").status_code == 404


def test_schedule_takes_brokerage_meetings_when_the_brokerage_module_gives_them(
    member, visit, monkeypatch
):
    person = PersonFactory(slug="wang-fang")
    EventParticipantFactory(event=visit, person=person)
    meeting = CalendarEntry(
        uid="meeting-1@parkbridge",
        starts_at=event_time(9, day=16),
        ends_at=event_time(9, 30, day=16),
        summary="1:1 meeting",
    )
    calls = []

    def meeting_entries_for_person(person: Any, viewer: Any) -> list[CalendarEntry]:
        calls.append((person.slug, viewer))
        return [meeting]

    brokerage = types.ModuleType("parkbridge.events.brokerage")
    brokerage.meeting_entries_for_person = meeting_entries_for_person  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "parkbridge.events.brokerage", brokerage)
    components = _components(client_for(member).get("/people/wang-fang/schedule.ics").content)
    assert set(components) == {f"event-{visit.pk}@parkbridge", "meeting-1@parkbridge"}
    assert calls == [("wang-fang", member)]
    page = client_for(member).get("/people/wang-fang/schedule/")
    assert "1:1 meeting" in page.content.decode()


def test_calendar_entries_keep_local_times_as_utc_instants(member, organization):
    """An event entered in Shanghai time is exported as the same instant."""
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    EventFactory(
        slug="shanghai",
        host=organization,
        starts_at=datetime.datetime(2031, 4, 10, 9, 0, tzinfo=shanghai),
        ends_at=datetime.datetime(2031, 4, 10, 17, 0, tzinfo=shanghai),
    )
    [entry] = _components(client_for(member).get("/events/shanghai/event.ics").content).values()
    assert entry.decoded("dtstart") == datetime.datetime(2031, 4, 10, 1, 0, tzinfo=datetime.UTC)
