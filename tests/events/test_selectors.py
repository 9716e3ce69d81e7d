"""Event reads: who sees which event, filters, order, schedules."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from parkbridge.accounts.models import MembershipRole
from parkbridge.events import selectors, services
from parkbridge.events.models import Event
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    EventParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    OutcomeFactory,
    PersonFactory,
    UserFactory,
    event_time,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wuxi() -> Any:
    return OrganizationFactory(slug="wuxi-branch", name_en="Wuxi branch", country="CN")


@pytest.fixture
def visitor(wuxi: Any) -> Any:
    user = UserFactory(email="visitor@wuxi.example")
    MembershipFactory(user=user, organization=wuxi, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def events(organization: Any, wuxi: Any) -> dict[str, Event]:
    """One event of each confidentiality, hosted by Polytech, visited by the Wuxi branch."""
    return {
        level: EventFactory(
            slug=f"{level}-event",
            title=f"{level.title()} event",
            host=organization,
            visiting_organizations=[wuxi],
            confidentiality=level,
        )
        for level in ("public", "network", "restricted")
    }


def _slugs(viewer: Any, **filters: Any) -> set[str]:
    found = selectors.event_list(viewer=viewer, filters=selectors.EventFilters(**filters))
    return {event.slug for event in found}


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("anonymous", {"public-event"}),
        ("loner", {"public-event"}),
        ("outsider", {"public-event", "network-event"}),
        ("member", {"public-event", "network-event", "restricted-event"}),
        ("visitor", {"public-event", "network-event", "restricted-event"}),
        ("staff_user", {"public-event", "network-event", "restricted-event"}),
    ],
)
def test_confidentiality(request, events, audience, expected):
    viewer = AnonymousUser() if audience == "anonymous" else request.getfixturevalue(audience)
    assert _slugs(viewer) == expected
    for slug in {"public-event", "network-event", "restricted-event"}:
        if slug in expected:
            assert selectors.event_get(viewer=viewer, slug=slug).slug == slug
        else:
            with pytest.raises(Event.DoesNotExist):
                selectors.event_get(viewer=viewer, slug=slug)


def test_upcoming_first_soonest_first_then_past_latest_first(member, organization):
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def at(slug: str, start: datetime.datetime) -> None:
        EventFactory(slug=slug, host=organization, starts_at=start, ends_at=start + day / 8)

    at("in-a-month", now + 30 * day)
    at("tomorrow", now + day)
    at("last-week", now - 7 * day)
    at("yesterday", now - day)
    at("last-year", now - 365 * day)
    found = [event.slug for event in selectors.event_list(viewer=member)]
    assert found == ["tomorrow", "in-a-month", "yesterday", "last-week", "last-year"]
    assert _slugs(member, when="upcoming") == {"tomorrow", "in-a-month"}
    assert _slugs(member, when="past") == {"yesterday", "last-week", "last-year"}


def test_filters(member, organization, wuxi, other_organization):
    EventFactory(
        slug="visit",
        kind="delegation_visit",
        title="Визит делегации",
        host=organization,
        visiting_organizations=[wuxi],
    )
    EventFactory(
        slug="conference", kind="conference", title="Materials conference", host=other_organization
    )
    speaker = PersonFactory(slug="speaker")
    EventParticipantFactory(event=Event.objects.get(slug="conference"), person=speaker)
    assert _slugs(member, kind="conference") == {"conference"}
    assert _slugs(member, organization="wuxi-branch") == {"visit"}
    assert _slugs(member, organization="polytech") == {"visit"}
    assert _slugs(member, query="ДЕЛЕГАЦИИ") == {"visit"}
    assert _slugs(member, query="materials") == {"conference"}
    assert _slugs(member, person="speaker") == {"conference"}
    choices = selectors.event_organizations_for_filter(viewer=member)
    assert {organization.slug for organization in choices} == {
        "polytech",
        "wuxi-branch",
        "far-park",
    }


def test_filter_choices_leave_out_organizations_of_hidden_events(outsider, organization, wuxi):
    EventFactory(host=organization, visiting_organizations=[wuxi], confidentiality="restricted")
    assert not selectors.event_organizations_for_filter(viewer=outsider).exists()


def test_converted_outcomes_show_their_task_only_to_its_organization(
    member, visitor, outsider, events
):
    event = events["network"]
    outcome = OutcomeFactory(event=event)
    services.outcome_to_task(actor=member, outcome=outcome)
    [mine] = selectors.outcome_views(viewer=member, event=event)
    [theirs] = selectors.outcome_views(viewer=visitor, event=event)
    [stranger] = selectors.outcome_views(viewer=outsider, event=event)
    assert mine.task is not None and mine.has_task
    assert theirs.task is None and theirs.has_task
    assert stranger.task is None and stranger.has_task


def test_schedule_holds_visible_events_and_talks(member, visitor, outsider, events, organization):
    person = PersonFactory(slug="director")
    EventParticipantFactory(event=events["restricted"], person=person, role="host")
    EventParticipantFactory(event=events["network"], person=person)
    talk = AgendaItemFactory(
        event=events["public"],
        speaker=person,
        title="Research focus areas",
        starts_at=event_time(10, 30),
    )
    AgendaItemFactory(event=events["public"], starts_at=event_time(11), title="Startups")
    hidden_talk = AgendaItemFactory(event=events["restricted"], speaker=person, title="Secret")
    uids = {entry.uid for entry in selectors.schedule_entries_for_person(person, member)}
    assert uids == {
        f"event-{events['restricted'].pk}@parkbridge",
        f"event-{events['network'].pk}@parkbridge",
        f"agenda-item-{talk.pk}@parkbridge",
        f"agenda-item-{hidden_talk.pk}@parkbridge",
    }
    assert {entry.uid for entry in selectors.schedule_entries_for_person(person, visitor)} == uids
    outsiders = selectors.schedule_entries_for_person(person, outsider)
    assert {entry.uid for entry in outsiders} == {
        f"event-{events['network'].pk}@parkbridge",
        f"agenda-item-{talk.pk}@parkbridge",
    }
    anonymous = selectors.schedule_entries_for_person(person, AnonymousUser())
    assert [entry.summary for entry in anonymous] == ["Research focus areas · Public event"]
    # Without an end of its own, the talk lasts until the next item starts.
    assert anonymous[0].ends_at == event_time(11)
    assert [entry.starts_at for entry in outsiders] == sorted(e.starts_at for e in outsiders)
