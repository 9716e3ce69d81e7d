"""Event endpoints: the same rules as the pages, JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from parkbridge.accounts.models import MembershipRole
from parkbridge.events.models import Event
from parkbridge.pipeline.models import Cooperation, Task
from tests.factories import (
    AffiliationFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OutcomeFactory,
    PersonFactory,
    UserFactory,
)
from tests.registry.test_api import bearer, patch_json, post_json

pytestmark = pytest.mark.django_db

VISIT = {
    "kind": "delegation_visit",
    "title": "Visit of the Wuxi branch",
    "description": "Cooperation between the parks.",
    "starts_at": "2031-09-15T10:00:00+08:00",
    "ends_at": "2031-09-15T13:00:00+08:00",
    "place": "Technopark",
    "city": "Saint Petersburg",
    "country": "ru",
    "host": "polytech",
    "visiting_organizations": ["wuxi-branch"],
    "confidentiality": "restricted",
}


@pytest.fixture
def wuxi() -> Any:
    return OrganizationFactory(slug="wuxi-branch", name_en="Wuxi branch", country="CN")


@pytest.fixture
def visitor(wuxi: Any) -> Any:
    user = UserFactory(email="visitor@wuxi.example")
    MembershipFactory(user=user, organization=wuxi, role=MembershipRole.MEMBER)
    return user


def put_json(client: Client, url: str, body: dict, **headers: Any) -> Any:
    return client.put(url, data=json.dumps(body), content_type="application/json", **headers)


def test_create_read_update_delete(member, visitor, outsider, wuxi):
    created = post_json(Client(), "/api/v1/events", VISIT, **bearer(member))
    assert created.status_code == 201, created.content
    body = created.json()
    slug = body["slug"]
    assert slug == "visit-of-the-wuxi-branch-2031-09-15"
    assert body["starts_at"].startswith("2031-09-15T02:00:00")
    assert (body["country"], body["host"], body["visiting_organizations"]) == (
        "RU",
        "polytech",
        ["wuxi-branch"],
    )
    assert body["can_edit"] is True and body["agenda"] == [] and body["language"] == "en"
    assert Client().get(f"/api/v1/events/{slug}", **bearer(visitor)).json()["can_edit"] is False
    assert Client().get(f"/api/v1/events/{slug}", **bearer(outsider)).status_code == 404
    assert Client().get(f"/api/v1/events/{slug}").status_code == 404

    patched = patch_json(
        Client(), f"/api/v1/events/{slug}", {"place": "Main building"}, **bearer(member)
    )
    assert patched.status_code == 200 and patched.json()["place"] == "Main building"
    assert patched.json()["visiting_organizations"] == ["wuxi-branch"]  # untouched
    refused = patch_json(Client(), f"/api/v1/events/{slug}", {"place": "X"}, **bearer(visitor))
    assert refused.status_code == 403 and refused.json()["detail"]

    assert Client().delete(f"/api/v1/events/{slug}", **bearer(visitor)).status_code == 403
    assert Client().delete(f"/api/v1/events/{slug}", **bearer(member)).status_code == 204
    assert not Event.objects.exists()


def test_list_is_filtered_and_visible_only(member, outsider, organization, wuxi):
    EventFactory(slug="open", host=organization, confidentiality="public", kind="conference")
    EventFactory(
        slug="visit",
        host=organization,
        visiting_organizations=[wuxi],
        confidentiality="restricted",
        kind="delegation_visit",
    )

    def slugs(url: str, user: Any = None) -> set[str]:
        headers = bearer(user) if user is not None else {}
        return {item["slug"] for item in Client().get(url, **headers).json()["items"]}

    assert slugs("/api/v1/events") == {"open"}
    assert slugs("/api/v1/events", outsider) == {"open"}
    assert slugs("/api/v1/events", member) == {"open", "visit"}
    assert slugs("/api/v1/events?kind=delegation_visit", member) == {"visit"}
    assert slugs("/api/v1/events?organization=wuxi-branch", member) == {"visit"}
    assert slugs("/api/v1/events?when=past", member) == set()
    assert Client().get("/api/v1/events?when=someday").status_code == 422


def test_errors_are_json(member, outsider, wuxi):
    backwards = post_json(
        Client(),
        "/api/v1/events",
        {**VISIT, "ends_at": "2031-09-15T09:00:00+08:00"},
        **bearer(member),
    )
    assert backwards.status_code == 400 and "ends_at" in backwards.json()["errors"]
    unknown_host = post_json(
        Client(), "/api/v1/events", {**VISIT, "host": "nowhere"}, **bearer(member)
    )
    assert unknown_host.status_code == 400 and "host" in unknown_host.json()["errors"]
    foreign = post_json(Client(), "/api/v1/events", VISIT, **bearer(outsider))
    assert foreign.status_code == 403
    anonymous = post_json(Client(), "/api/v1/events", VISIT)
    assert anonymous.status_code == 401


def test_participants_agenda_minutes(member, visitor, organization, wuxi):
    event = EventFactory(slug="visit", host=organization, visiting_organizations=[wuxi])
    person = PersonFactory(slug="li-wei")
    AffiliationFactory(person=person, organization=wuxi)
    client, auth = Client(), bearer(member)
    added = post_json(
        client, "/api/v1/events/visit/participants", {"person": "li-wei", "role": "guest"}, **auth
    )
    assert added.status_code == 201
    assert (added.json()["organization"], added.json()["role"]) == ("wuxi-branch", "guest")
    again = post_json(client, "/api/v1/events/visit/participants", {"person": "li-wei"}, **auth)
    assert again.status_code == 400 and "person" in again.json()["errors"]
    assert [
        p["person"] for p in client.get("/api/v1/events/visit/participants", **auth).json()
    ] == ["li-wei"]

    item = post_json(
        client,
        "/api/v1/events/visit/agenda",
        {"starts_at": "2031-09-15T10:30:00Z", "title": "Startups", "speaker": "li-wei"},
        **auth,
    )
    assert item.status_code == 201 and item.json()["speaker"] == "li-wei"
    outside = post_json(
        client,
        "/api/v1/events/visit/agenda",
        {"starts_at": "2031-09-16T10:30:00Z", "title": "Too late"},
        **auth,
    )
    assert outside.status_code == 400 and "starts_at" in outside.json()["errors"]
    item_id = item.json()["id"]
    moved = patch_json(
        client,
        f"/api/v1/events/visit/agenda/{item_id}",
        {"ends_at": "2031-09-15T11:00:00Z"},
        **auth,
    )
    assert moved.status_code == 200 and moved.json()["ends_at"].startswith("2031-09-15T11:00")
    by_visitor = post_json(
        client,
        "/api/v1/events/visit/agenda",
        {"starts_at": "2031-09-15T10:30:00Z", "title": "Ours"},
        **bearer(visitor),
    )
    assert by_visitor.status_code == 403

    minutes = put_json(
        client, "/api/v1/events/visit/minutes", {"text": "Стороны договорились."}, **auth
    )
    assert minutes.status_code == 200 and minutes.json()["minutes_language"] == "ru"

    assert client.delete(f"/api/v1/events/visit/agenda/{item_id}", **auth).status_code == 204
    participant_id = event.participants.get().pk
    assert (
        client.delete(f"/api/v1/events/visit/participants/{participant_id}", **auth).status_code
        == 204
    )
    assert client.delete("/api/v1/events/visit/participants/999999", **auth).status_code == 404


def test_outcomes_and_their_conversions(member, visitor, organization, wuxi):
    EventFactory(slug="visit", host=organization, visiting_organizations=[wuxi])
    client, auth = Client(), bearer(member)
    first = post_json(
        client, "/api/v1/events/visit/outcomes", {"text": "Sources of finance"}, **auth
    )
    assert first.status_code == 201 and first.json()["has_task"] is False
    outcome_id = first.json()["id"]

    task = post_json(
        client,
        f"/api/v1/events/visit/outcomes/{outcome_id}/task",
        {"assignee": member.email, "due_on": "2031-10-01"},
        **auth,
    )
    assert task.status_code == 201, task.content
    assert (task.json()["organization"], task.json()["assignee"], task.json()["due_on"]) == (
        "polytech",
        member.email,
        "2031-10-01",
    )
    twice = post_json(client, f"/api/v1/events/visit/outcomes/{outcome_id}/task", {}, **auth)
    assert twice.status_code == 400 and "task" in twice.json()["errors"]
    assert Task.objects.count() == 1

    cooperation = post_json(
        client, f"/api/v1/events/visit/outcomes/{outcome_id}/cooperation", {}, **auth
    )
    assert cooperation.status_code == 201
    assert set(cooperation.json()["organizations"]) == {"polytech", "wuxi-branch"}
    assert cooperation.json()["source"] == "event_outcome"
    assert (
        post_json(
            client, f"/api/v1/events/visit/outcomes/{outcome_id}/cooperation", {}, **auth
        ).status_code
        == 400
    )
    assert Cooperation.objects.count() == 1

    listed = client.get("/api/v1/events/visit/outcomes", **auth).json()
    assert listed[0]["task"] == Task.objects.get().pk
    seen_by_visitor = client.get("/api/v1/events/visit/outcomes", **bearer(visitor)).json()
    assert seen_by_visitor[0]["has_task"] is True and seen_by_visitor[0]["task"] is None
    # The Wuxi branch is a party to the cooperation, so its members see it.
    assert seen_by_visitor[0]["cooperation"] == Cooperation.objects.get().pk

    other = OutcomeFactory(event=Event.objects.get(slug="visit"))
    refused = post_json(
        client, f"/api/v1/events/visit/outcomes/{other.pk}/task", {}, **bearer(visitor)
    )
    assert refused.status_code == 403
    patched = patch_json(
        client, f"/api/v1/events/visit/outcomes/{other.pk}", {"text": "Grants"}, **auth
    )
    assert patched.status_code == 200 and patched.json()["text"] == "Grants"
    assert client.delete(f"/api/v1/events/visit/outcomes/{other.pk}", **auth).status_code == 204


def test_schedule_endpoints(member, outsider, organization, wuxi):
    event = EventFactory(
        slug="visit", host=organization, visiting_organizations=[wuxi], confidentiality="restricted"
    )
    person = PersonFactory(slug="li-wei")
    event.participants.create(person=person)
    mine = Client().get("/api/v1/people/li-wei/schedule", **bearer(member)).json()
    assert [entry["uid"] for entry in mine] == [f"event-{event.pk}@parkbridge"]
    assert mine[0]["url"] == "http://testserver/events/visit/"
    assert Client().get("/api/v1/people/li-wei/schedule", **bearer(outsider)).json() == []
    ics = Client().get("/api/v1/people/li-wei/schedule.ics", **bearer(member))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert Client().get("/api/v1/events/visit/event.ics", **bearer(member)).status_code == 200
