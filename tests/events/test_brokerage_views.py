"""Brokerage pages through the Django test client: audiences, HTMX actions, the organizers'
page, the agenda and its calendar file, and the panel the event page includes."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from parkbridge.events import brokerage
from parkbridge.events.models import Meeting, MeetingRequest, MeetingSlot, Participant, ScheduleRun
from tests.conftest import client_for
from tests.events.test_brokerage_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
AUDIENCES = ["anonymous", "loner", "outsider", "member", "staff_user"]
# The event is visible to network members; Polytech (the `member`) hosts it.
PAGES = {
    "register/": {"outsider": 200, "member": 200, "staff_user": 200},
    "participants/": {"outsider": 200, "member": 200, "staff_user": 200},
    "me/": {"outsider": 200, "member": 200, "staff_user": 200},
    "me/suggestions/": {"outsider": 200, "member": 200, "staff_user": 200},
    "agenda/": {"outsider": 200, "member": 200, "staff_user": 200},
    "agenda.ics": {"outsider": 200, "member": 200, "staff_user": 200},
    "organize/": {"outsider": 403, "member": 200, "staff_user": 200},
}


def _user(request: pytest.FixtureRequest, audience: str) -> Any:
    return None if audience == "anonymous" else request.getfixturevalue(audience)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_answers_every_audience(
    request: pytest.FixtureRequest, event: Any, registered: dict, page: str, audience: str
) -> None:
    response = client_for(_user(request, audience)).get(f"/events/{event.slug}/brokerage/{page}")
    if audience == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif audience == "loner":  # not in the network: the event does not exist for them
        assert response.status_code == 404
    else:
        assert response.status_code == PAGES[page][audience]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_panel_shows_counts_and_the_way_in(
    request: pytest.FixtureRequest, event: Any, registered: dict, audience: str
) -> None:
    response = client_for(_user(request, audience)).get(f"/events/{event.slug}/brokerage/panel/")
    if audience in ("anonymous", "loner"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="participants">4<' in html
    assert ("/organize/" in html) == (audience in ("member", "staff_user"))
    assert "/register/" in html  # none of them is registered yet


def test_the_event_page_includes_the_panel_with_or_without_its_data(
    event: Any, registered: dict, people: dict
) -> None:
    request = RequestFactory().get("/")
    request.user = people["anna"]
    loader = render_to_string(
        "events/brokerage/_event_panel.html", {"event": event}, request=request
    )
    assert f'hx-get="/events/{event.slug}/brokerage/panel/"' in loader
    summary = brokerage.brokerage_summary(event=event, viewer=people["anna"])
    panel = render_to_string(
        "events/brokerage/_event_panel.html",
        {"event": event, "brokerage_panel": summary},
        request=request,
    )
    assert "You are registered." in panel and "hx-get" not in panel


def test_registering_through_the_form(event: Any, outsider: Any) -> None:
    client = client_for(outsider)
    slot = event.slots.order_by("starts_at").first()
    response = client.post(
        f"/events/{event.slug}/brokerage/register/",
        {
            "offering": "Clean rooms for chip start-ups",
            "seeking": "Chip designers",
            "profile_language": "",
            "available_slots": [slot.pk],
            "meeting_limit": "2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/brokerage/me/"
    participant = Participant.objects.get(event=event, person__user=outsider)
    assert list(participant.available_slots.all()) == [slot]
    assert participant.meeting_limit == 2
    # The same page now edits the registration, with what was saved.
    page = client.get(f"/events/{event.slug}/brokerage/register/").content.decode()
    assert "Clean rooms for chip start-ups" in page and "My profile" in page


def test_a_closed_registration_keeps_newcomers_out(event: Any, outsider: Any) -> None:
    event.registration_open = False
    event.save()
    client = client_for(outsider)
    page = client.get(f"/events/{event.slug}/brokerage/register/").content.decode()
    assert "Registration for this event is closed." in page
    client.post(f"/events/{event.slug}/brokerage/register/", {"offering": "x", "seeking": "y"})
    assert not Participant.objects.filter(event=event, person__user=outsider).exists()


def test_the_form_keeps_what_was_typed_when_a_rule_fails(
    event: Any, people: dict, other_organization: Any, member: Any
) -> None:
    # Anna picks an organization she does not belong to (only an organizer's form offers it).
    response = client_for(people["anna"]).post(
        f"/events/{event.slug}/brokerage/register/",
        {"offering": "Fuel cells", "seeking": "Investors", "organization": other_organization.pk},
    )
    assert response.status_code == 200
    assert "Fuel cells" in response.content.decode()
    assert not Participant.objects.filter(event=event).exists()


def test_the_directory_searches_and_offers_a_request_button(
    event: Any, registered: dict, people: dict
) -> None:
    client = client_for(people["bob"])
    page = client.get(f"/events/{event.slug}/brokerage/participants/").content.decode()
    assert "Li Wei" in page and "Request a meeting" in page
    assert page.count("participant-card") == 4
    results = client.get(
        f"/events/{event.slug}/brokerage/participants/?q=基金",
        headers={**HTMX, "HX-Target": "participant-results"},
    ).content.decode()
    assert "Li Wei" in results and "Anna Ivanova" not in results and "<html" not in results


def test_requesting_a_meeting_with_htmx(event: Any, registered: dict, people: dict) -> None:
    client = client_for(people["anna"])
    url = f"/events/{event.slug}/brokerage/requests/"
    data = {"invitee": registered["li"].pk, "message": "Buses?", "priority": "2"}
    fragment = client.post(url, data, headers=HTMX).content.decode()
    assert f'id="actions-{registered["li"].pk}"' in fragment
    assert "waiting for an answer" in fragment
    request = MeetingRequest.objects.get(requester=registered["anna"])
    assert (request.invitee, request.priority, request.message) == (registered["li"], 2, "Buses?")
    again = client.post(url, data, headers=HTMX).content.decode()
    assert "alert-danger" in again and "already" in again


def test_requesting_without_registering_says_so(
    event: Any, registered: dict, outsider: Any
) -> None:
    fragment = (
        client_for(outsider)
        .post(
            f"/events/{event.slug}/brokerage/requests/",
            {"invitee": registered["li"].pk, "priority": "1"},
            headers=HTMX,
        )
        .content.decode()
    )
    assert "Register for the event first." in fragment
    assert not MeetingRequest.objects.exists()


@pytest.fixture
def waiting(registered: dict, people: dict) -> MeetingRequest:
    return brokerage.meeting_request_send(
        actor=people["anna"], requester=registered["anna"], invitee=registered["li"]
    )


def test_the_invitee_accepts_on_my_meetings(event: Any, waiting: Any, people: dict) -> None:
    client = client_for(people["li"])
    page = client.get(f"/events/{event.slug}/brokerage/me/").content.decode()
    assert "Anna Ivanova" in page and "Accept" in page
    row = client.post(
        f"/events/{event.slug}/brokerage/requests/{waiting.pk}/answer/",
        {"accept": "1"},
        headers=HTMX,
    ).content.decode()
    assert 'data-status="accepted"' in row and "Cancel meeting" in row
    waiting.refresh_from_db()
    assert waiting.status == "accepted"


def test_the_requester_cannot_answer_and_strangers_do_not_see_it(
    event: Any, waiting: Any, people: dict
) -> None:
    url = f"/events/{event.slug}/brokerage/requests/{waiting.pk}/answer/"
    assert client_for(people["anna"]).post(url, {"accept": "1"}).status_code == 403
    assert client_for(people["bob"]).post(url, {"accept": "1"}).status_code == 404
    assert client_for(None).post(url, {"accept": "1"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_either_side_cancels_without_htmx_too(event: Any, waiting: Any, people: dict) -> None:
    response = client_for(people["anna"]).post(
        f"/events/{event.slug}/brokerage/requests/{waiting.pk}/cancel/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/brokerage/me/"
    waiting.refresh_from_db()
    assert waiting.status == "cancelled"


def test_availability_is_saved_from_my_meetings(event: Any, registered: dict, people: dict) -> None:
    first = event.slots.order_by("starts_at").first()
    client_for(people["anna"]).post(
        f"/events/{event.slug}/brokerage/me/availability/",
        {"available_slots": [first.pk], "meeting_limit": "1"},
    )
    anna = Participant.objects.get(pk=registered["anna"].pk)
    assert list(anna.available_slots.all()) == [first] and anna.meeting_limit == 1


def test_suggestions_load_into_my_meetings(
    event: Any, registered: dict, people: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggestion = brokerage.Suggestion(
        participant=registered["li"],
        score=0.3,
        reason="offers",
        my_passage="Ищем инвестора",
        my_language="ru",
        their_passage="我们的基金投资氢燃料电池",
        their_language="zh",
        similarity=0.3,
    )
    monkeypatch.setattr(brokerage, "suggestions_for", lambda **kwargs: [suggestion])
    html = (
        client_for(people["anna"])
        .get(f"/events/{event.slug}/brokerage/me/suggestions/", headers=HTMX)
        .content.decode()
    )
    assert "Li Wei" in html and "我们的基金投资氢燃料电池" in html
    assert "Offers what you look for" in html and "Request a meeting" in html


def test_the_organizer_adds_slots_runs_the_scheduler_and_announces(
    event: Any, waiting: Any, people: dict, member: Any
) -> None:
    brokerage.meeting_request_answer(actor=people["li"], request=waiting, accept=True)
    client = client_for(member)
    base = f"/events/{event.slug}/brokerage/organize/"
    client.post(
        f"{base}slots/",
        {"day": "2031-05-20", "start": "14:00", "end": "15:00", "break_start": "", "break_end": ""},
    )
    assert MeetingSlot.objects.filter(event=event).count() == 6
    client.post(
        f"{base}settings/",
        {"meeting_minutes": 30, "tables": 3, "default_meeting_limit": 3, "registration_open": "on"},
    )
    event.refresh_from_db()
    assert event.tables == 3 and not event.requests_open
    response = client.post(f"{base}run/", {"time_limit_s": "5"}, follow=True)
    assert "placed 1 of 1 accepted meeting" in response.content.decode()
    run = ScheduleRun.objects.get(event=event)
    assert (run.scheduled, run.requests, run.ran_by) == (1, 1, member)
    page = client.get(base).content.decode()
    assert "Anna Ivanova" in page and "↔ Li Wei" in page and "1 / 1" in page
    client.post(f"{base}announce/")
    assert Meeting.objects.get().announced_at is not None


def test_organizer_actions_are_refused_to_participants(
    event: Any, registered: dict, people: dict
) -> None:
    client = client_for(people["anna"])
    base = f"/events/{event.slug}/brokerage/organize/"
    assert client.post(f"{base}run/", {"time_limit_s": "5"}).status_code == 403
    assert client.post(f"{base}announce/").status_code == 403
    assert client.post(f"{base}slots/", {"day": "2031-05-20"}).status_code == 403
    assert not ScheduleRun.objects.exists()


@pytest.fixture
def scheduled(waiting: Any, people: dict, member: Any, event: Any) -> Meeting:
    brokerage.meeting_request_answer(actor=people["li"], request=waiting, accept=True)
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    return Meeting.objects.get()


def test_the_agenda_lists_the_meeting_and_exports_it(
    event: Any, scheduled: Meeting, people: dict
) -> None:
    client = client_for(people["anna"])
    page = client.get(f"/events/{event.slug}/brokerage/agenda/").content.decode()
    assert "Li Wei" in page and f"Table {scheduled.table}" in page and "Provisional" in page
    ics = client.get(f"/events/{event.slug}/brokerage/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and "Li Wei" in body
    assert brokerage.meeting_uid(scheduled.request) in body.replace("\r\n ", "")


def test_organizers_open_anyones_agenda_and_others_do_not(
    event: Any, scheduled: Meeting, registered: dict, people: dict, member: Any
) -> None:
    url = f"/events/{event.slug}/brokerage/agenda/?participant={registered['anna'].pk}"
    page = client_for(member).get(url).content.decode()
    assert "Agenda of Anna Ivanova" in page and "Li Wei" in page
    assert client_for(people["bob"]).get(url).status_code == 403


def test_the_event_page_shows_the_brokerage_panel(
    event: Any, registered: dict, people: dict
) -> None:
    html = client_for(people["anna"]).get(event.get_absolute_url()).content.decode()
    assert 'id="brokerage-panel"' in html
    assert "You are registered." in html and 'data-count="participants">4<' in html


def test_the_organizer_is_told_when_a_rerun_moves_announced_meetings(
    organization: Any, member: Any
) -> None:
    from tests.factories import (
        BrokerageEventFactory,
        BrokerageParticipantFactory,
        MeetingRequestFactory,
        MeetingSlotFactory,
        brokerage_time,
    )

    event = BrokerageEventFactory(host=organization, tables=2)
    MeetingSlotFactory(event=event, starts_at=brokerage_time(9))
    a, b, c, d = (BrokerageParticipantFactory(event=event) for _ in range(4))
    MeetingRequestFactory(requester=a, invitee=c, status="accepted")
    client = client_for(member)
    run_url = f"/events/{event.slug}/brokerage/organize/run/"
    client.post(run_url, {"time_limit_s": "5"})
    client.post(f"/events/{event.slug}/brokerage/organize/announce/")
    # A–B and C–D can both happen in the one slot only if the announced A–C gives way.
    MeetingRequestFactory(requester=a, invitee=b, status="accepted")
    MeetingRequestFactory(requester=c, invitee=d, status="accepted")
    page = client.post(run_url, {"time_limit_s": "5"}, follow=True).content.decode()
    assert "placed 2 of 3 accepted meetings" in page
    assert "1 announced meeting was moved or dropped" in page
