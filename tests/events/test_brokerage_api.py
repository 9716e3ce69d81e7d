"""Brokerage endpoints: the same rules as the pages, in JSON."""

from __future__ import annotations

from typing import Any

import pytest

from parkbridge.events.models import Meeting, MeetingRequest, Participant
from tests.conftest import client_for
from tests.events.test_brokerage_fixtures import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def _base(event: Any) -> str:
    return f"/api/v1/events/{event.slug}/brokerage"


def test_the_event_summary(event: Any, registered: dict, people: dict, member: Any) -> None:
    body = client_for(people["anna"]).get(_base(event)).json()
    assert body["participants"] == 4 and body["slots"] == 4 and body["tables"] == 2
    assert body["me"] == registered["anna"].pk and body["is_organizer"] is False
    assert client_for(member).get(_base(event)).json()["is_organizer"] is True
    assert client_for(None).get(_base(event)).status_code == 404  # network event
    assert client_for(None).get("/api/v1/events/nothing/brokerage").status_code == 404


def test_registering_and_updating_oneself(event: Any, outsider: Any) -> None:
    client = client_for(outsider)
    slot_ids = [slot["id"] for slot in client.get(f"{_base(event)}/slots").json()]
    response = client.post(
        f"{_base(event)}/participants",
        {"offering": "Clean rooms", "seeking": "Chip designers", "available_slots": slot_ids[:2]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["available_slots"] == slot_ids[:2] and created["meeting_limit"] == 3
    again = client.post(
        f"{_base(event)}/participants", {"offering": "x"}, content_type="application/json"
    )
    assert again.status_code == 400 and "registered already" in again.json()["detail"]
    patched = client.patch(
        f"{_base(event)}/participants/{created['id']}",
        {"meeting_limit": 1, "available_slots": []},
        content_type="application/json",
    )
    assert patched.json()["meeting_limit"] == 1 and patched.json()["available_slots"] == []


def test_only_organizers_register_others(
    event: Any, people: dict, member: Any, registered: dict
) -> None:
    from tests.factories import PersonFactory

    newcomer = PersonFactory(slug="newcomer")
    payload = {"person": "newcomer", "offering": "Lasers"}
    refused = client_for(people["anna"]).post(
        f"{_base(event)}/participants", payload, content_type="application/json"
    )
    assert refused.status_code == 403
    accepted = client_for(member).post(
        f"{_base(event)}/participants", payload, content_type="application/json"
    )
    assert accepted.status_code == 201
    assert Participant.objects.filter(event=event, person=newcomer).exists()


def test_the_directory_hides_availability_of_others(
    event: Any, registered: dict, people: dict
) -> None:
    rows = client_for(people["anna"]).get(f"{_base(event)}/participants?q=Li").json()
    assert [row["name"] for row in rows] == ["Li Wei"]
    assert rows[0]["available_slots"] is None and rows[0]["meeting_limit"] is None
    assert rows[0]["offering"].startswith("我们的基金")
    mine = client_for(people["anna"]).get(f"{_base(event)}/participants/{registered['anna'].pk}")
    assert len(mine.json()["available_slots"]) == 4


def test_the_directory_needs_a_sign_in_and_a_visible_event(
    event: Any, registered: dict, outsider: Any, loner: Any
) -> None:
    event.confidentiality = "public"
    event.save()
    assert client_for(None).get(f"{_base(event)}/participants").status_code == 401
    assert client_for(loner).get(f"{_base(event)}/participants").status_code == 200
    event.confidentiality = "restricted"
    event.save()
    assert client_for(outsider).get(f"{_base(event)}/participants").status_code == 404


def test_requests_from_sending_to_the_agenda(
    event: Any, registered: dict, people: dict, member: Any
) -> None:
    anna, li = client_for(people["anna"]), client_for(people["li"])
    sent = anna.post(
        f"{_base(event)}/requests",
        {"invitee": registered["li"].pk, "message": "Buses?", "priority": 2},
        content_type="application/json",
    )
    assert sent.status_code == 201 and sent.json()["status"] == "pending"
    request_id = sent.json()["id"]
    assert li.get(f"{_base(event)}/requests").json()["received"][0]["id"] == request_id
    assert (
        anna.post(
            f"{_base(event)}/requests/{request_id}/answer",
            {"accept": True},
            content_type="application/json",
        ).status_code
        == 403
    )
    answered = li.post(
        f"{_base(event)}/requests/{request_id}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert answered.json()["status"] == "accepted"

    organizer = client_for(member)
    run = organizer.post(
        f"{_base(event)}/schedule/run", {"time_limit_s": 5}, content_type="application/json"
    )
    assert run.status_code == 201 and run.json()["scheduled"] == 1
    assert organizer.post(f"{_base(event)}/schedule/announce").json() == {"announced": 1}
    grid = organizer.get(f"{_base(event)}/schedule").json()
    placed = [meeting for slot in grid["slots"] for meeting in slot["meetings"]]
    assert [(m["requester_name"], m["invitee_name"]) for m in placed] == [
        ("Anna Ivanova", "Li Wei")
    ]
    assert organizer.get(f"{_base(event)}/schedule/runs").json()[0]["id"] == run.json()["id"]

    (item,) = anna.get(f"{_base(event)}/agenda").json()
    assert item["counterpart_name"] == "Li Wei" and item["announced"] is True
    assert li.get(f"{_base(event)}/agenda").json()[0]["uid"] == item["uid"]
    ics = anna.get(f"{_base(event)}/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"Li Wei" in ics.content

    cancelled = li.post(f"{_base(event)}/requests/{request_id}/cancel")
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["meeting"] is None
    assert not Meeting.objects.exists()


def test_request_rules_answer_in_json(event: Any, registered: dict, people: dict) -> None:
    anna = client_for(people["anna"])
    self_request = anna.post(
        f"{_base(event)}/requests",
        {"invitee": registered["anna"].pk},
        content_type="application/json",
    )
    assert self_request.status_code == 400 and "invitee" in self_request.json()["errors"]
    bad_priority = anna.post(
        f"{_base(event)}/requests",
        {"invitee": registered["li"].pk, "priority": 7},
        content_type="application/json",
    )
    assert bad_priority.status_code == 422
    unknown = anna.post(
        f"{_base(event)}/requests", {"invitee": 999999}, content_type="application/json"
    )
    assert unknown.status_code == 400
    for_someone_else = anna.post(
        f"{_base(event)}/requests",
        {"invitee": registered["li"].pk, "requester": registered["bob"].pk},
        content_type="application/json",
    )
    assert for_someone_else.status_code == 403
    assert not MeetingRequest.objects.exists()


def test_agendas_are_for_oneself_and_organizers(
    event: Any, registered: dict, people: dict, member: Any
) -> None:
    url = f"{_base(event)}/agenda?participant={registered['anna'].pk}"
    assert client_for(people["bob"]).get(url).status_code == 403
    assert client_for(member).get(url).status_code == 200
    assert client_for(None).get(f"{_base(event)}/agenda").status_code == 404


def test_organizer_endpoints_refuse_participants(
    event: Any, registered: dict, people: dict
) -> None:
    anna = client_for(people["anna"])
    assert (
        anna.post(
            f"{_base(event)}/schedule/run", {"time_limit_s": 5}, content_type="application/json"
        ).status_code
        == 403
    )
    assert anna.post(f"{_base(event)}/schedule/announce").status_code == 403
    assert anna.get(f"{_base(event)}/schedule").status_code == 403
    assert (
        anna.post(
            f"{_base(event)}/slots",
            {"day": "2031-05-20", "start": "14:00", "end": "15:00"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        anna.patch(
            _base(event), {"requests_open": False}, content_type="application/json"
        ).status_code
        == 403
    )


def test_organizers_add_slots_and_close_requests(event: Any, member: Any) -> None:
    organizer = client_for(member)
    created = organizer.post(
        f"{_base(event)}/slots",
        {
            "day": "2031-05-20",
            "start": "14:00",
            "end": "16:00",
            "breaks": [{"start": "15:00", "end": "15:30"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and len(created.json()) == 3
    closed = organizer.patch(
        _base(event), {"requests_open": False}, content_type="application/json"
    )
    assert closed.json()["requests_open"] is False
