"""Brokerage services: registration, slots, meeting requests, the scheduler run and agendas."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parkbridge.events import brokerage
from parkbridge.events.models import Meeting, MeetingRequest, MeetingSlot, Participant, ScheduleRun
from parkbridge.registry.models import Person
from tests.events.test_brokerage_fixtures import *  # noqa: F403 (fixtures)
from tests.factories import (
    BrokerageEventFactory,
    BrokerageParticipantFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    brokerage_time,
)

pytestmark = pytest.mark.django_db


# --- Registration ------------------------------------------------------------------------


def test_registering_makes_a_person_for_an_account_without_one(event: Any, outsider: Any) -> None:
    participant = brokerage.participant_register(
        actor=outsider, event=event, offering="Clean rooms", seeking="Chip designers"
    )
    assert participant.person.user == outsider
    assert participant.organization.slug == "far-park"  # the one organization they belong to
    assert set(participant.available_slots.all()) == set(event.slots.all())
    assert participant.effective_meeting_limit == event.default_meeting_limit
    assert participant.profile_language == "en"


def test_the_profile_language_is_detected_when_not_given(event: Any, people: dict) -> None:
    participant = brokerage.participant_register(
        actor=people["anna"],
        event=event,
        offering="Разрабатываем водородные топливные элементы для автобусов.",
        seeking="Ищем инвестора.",
    )
    assert participant.profile_language == "ru"
    assert participant.organization.slug == "ural-lab"  # from the person's affiliation


def test_nobody_registers_twice(registered: dict, event: Any, people: dict) -> None:
    with pytest.raises(ValidationError):
        brokerage.participant_register(actor=people["anna"], event=event)


def test_closed_registration_stops_participants_but_not_organizers(
    event: Any, people: dict, member: Any
) -> None:
    event.registration_open = False
    event.save()
    with pytest.raises(ValidationError, match="closed"):
        brokerage.participant_register(actor=people["anna"], event=event)
    late = brokerage.participant_register(
        actor=member, event=event, person=Person.objects.get(user=people["anna"])
    )
    assert late.person.user == people["anna"]


def test_only_organizers_register_other_people(event: Any, people: dict) -> None:
    with pytest.raises(PermissionDenied):
        brokerage.participant_register(
            actor=people["anna"], event=event, person=Person.objects.get(user=people["li"])
        )


def test_nobody_registers_for_an_event_they_may_not_see(event: Any, outsider: Any) -> None:
    event.confidentiality = "restricted"
    event.save()
    with pytest.raises(PermissionDenied):
        brokerage.participant_register(actor=outsider, event=event)


def test_only_brokerage_events_take_registrations(organization: Any, people: dict) -> None:
    conference = BrokerageEventFactory(kind="conference", host=organization)
    with pytest.raises(ValidationError, match="not a brokerage"):
        brokerage.participant_register(actor=people["anna"], event=conference)


def test_a_participant_speaks_for_an_organization_they_belong_to(
    event: Any, people: dict, other_organization: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        brokerage.participant_register(
            actor=people["anna"], event=event, organization=other_organization
        )
    assert "organization" in error.value.message_dict


def test_participants_change_their_own_registration_only(registered: dict, people: dict) -> None:
    anna = registered["anna"]
    morning = list(anna.event.slots.order_by("starts_at")[:2])
    brokerage.participant_update(
        actor=people["anna"], participant=anna, available_slots=morning, meeting_limit=2
    )
    anna.refresh_from_db()
    assert list(anna.available_slots.order_by("starts_at")) == morning
    assert anna.effective_meeting_limit == 2
    with pytest.raises(PermissionDenied):
        brokerage.participant_update(actor=people["li"], participant=anna, seeking="x")


def test_slots_of_another_event_are_refused(registered: dict, people: dict) -> None:
    elsewhere = MeetingSlotFactory()
    with pytest.raises(ValidationError):
        brokerage.participant_update(
            actor=people["anna"], participant=registered["anna"], available_slots=[elsewhere]
        )


# --- Slots and settings ------------------------------------------------------------------


@pytest.fixture
def empty_event(organization: Any) -> Any:
    return BrokerageEventFactory(slug="no-slots", host=organization, meeting_minutes=30)


def test_slots_fill_the_day_around_the_break(empty_event: Any, member: Any) -> None:
    created = brokerage.slots_generate(
        actor=member,
        event=empty_event,
        day=datetime.date(2031, 5, 20),
        start=datetime.time(9, 0),
        end=datetime.time(12, 0),
        breaks=[(datetime.time(10, 30), datetime.time(11, 0))],
    )
    assert [f"{slot.starts_at:%H:%M}" for slot in created] == [
        "09:00",
        "09:30",
        "10:00",
        "11:00",
        "11:30",
    ]
    assert all(slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30) for slot in created)
    again = brokerage.slots_generate(
        actor=member,
        event=empty_event,
        day=datetime.date(2031, 5, 20),
        start=datetime.time(9, 0),
        end=datetime.time(12, 0),
    )
    assert [f"{slot.starts_at:%H:%M}" for slot in again] == ["10:30"]  # only the free place


def test_new_slots_reach_those_who_were_there_all_along(
    empty_event: Any, member: Any, people: dict
) -> None:
    everywhere = brokerage.participant_register(actor=people["anna"], event=empty_event)
    brokerage.slots_generate(
        actor=member,
        event=empty_event,
        day=datetime.date(2031, 5, 20),
        start=datetime.time(9, 0),
        end=datetime.time(10, 0),
    )
    partly = brokerage.participant_register(
        actor=people["li"],
        event=empty_event,
        available_slots=list(empty_event.slots.order_by("starts_at")[:1]),
    )
    assert everywhere.available_slots.count() == 2
    brokerage.slots_generate(
        actor=member,
        event=empty_event,
        day=datetime.date(2031, 5, 20),
        start=datetime.time(14, 0),
        end=datetime.time(15, 0),
    )
    assert everywhere.available_slots.count() == 4
    assert partly.available_slots.count() == 1


def test_slots_are_for_organizers_and_the_event_days(
    empty_event: Any, people: dict, member: Any
) -> None:
    with pytest.raises(PermissionDenied):
        brokerage.slots_generate(
            actor=people["anna"],
            event=empty_event,
            day=datetime.date(2031, 5, 20),
            start=datetime.time(9),
            end=datetime.time(10),
        )
    with pytest.raises(ValidationError):
        brokerage.slots_generate(
            actor=member,
            event=empty_event,
            day=datetime.date(2031, 6, 1),
            start=datetime.time(9),
            end=datetime.time(10),
        )


def test_a_slot_with_meetings_stays(event: Any, member: Any) -> None:
    request = MeetingRequestFactory(
        requester=BrokerageParticipantFactory(event=event), status="accepted"
    )
    slot = event.slots.first()
    Meeting.objects.create(request=request, slot=slot, table=1)
    with pytest.raises(ValidationError):
        brokerage.slot_delete(actor=member, slot=slot)
    empty = event.slots.last()
    brokerage.slot_delete(actor=member, slot=empty)
    assert not MeetingSlot.objects.filter(pk=empty.pk).exists()


def test_organizers_open_and_close_requests(event: Any, member: Any, people: dict) -> None:
    brokerage.brokerage_settings_update(actor=member, event=event, requests_open=False, tables=8)
    event.refresh_from_db()
    assert (event.requests_open, event.tables) == (False, 8)
    with pytest.raises(PermissionDenied):
        brokerage.brokerage_settings_update(actor=people["anna"], event=event, tables=1)
    with pytest.raises(ValidationError):  # slots exist: their length is fixed
        brokerage.brokerage_settings_update(actor=member, event=event, meeting_minutes=20)


# --- Meeting requests --------------------------------------------------------------------


def test_a_request_is_accepted_by_the_invitee(registered: dict, people: dict) -> None:
    request = brokerage.meeting_request_send(
        actor=people["anna"],
        requester=registered["anna"],
        invitee=registered["li"],
        message="Let us talk about buses",
        priority=2,
    )
    assert request.status == "pending"
    with pytest.raises(PermissionDenied):  # the requester cannot answer for the invitee
        brokerage.meeting_request_answer(actor=people["anna"], request=request, accept=True)
    with pytest.raises(PermissionDenied):
        brokerage.meeting_request_answer(actor=people["bob"], request=request, accept=True)
    answered = brokerage.meeting_request_answer(actor=people["li"], request=request, accept=True)
    assert answered.status == "accepted" and answered.answered_at is not None
    with pytest.raises(ValidationError):  # answered already
        brokerage.meeting_request_answer(actor=people["li"], request=request, accept=False)


def test_nobody_meets_themself(registered: dict, people: dict) -> None:
    with pytest.raises(ValidationError):
        brokerage.meeting_request_send(
            actor=people["anna"], requester=registered["anna"], invitee=registered["anna"]
        )


def test_a_second_request_to_the_same_person_is_refused(registered: dict, people: dict) -> None:
    kwargs = {"requester": registered["anna"], "invitee": registered["li"]}
    brokerage.meeting_request_send(actor=people["anna"], **kwargs)
    with pytest.raises(ValidationError, match="already"):
        brokerage.meeting_request_send(actor=people["anna"], **kwargs)


def test_requests_are_sent_for_oneself(registered: dict, people: dict, member: Any) -> None:
    with pytest.raises(PermissionDenied):
        brokerage.meeting_request_send(
            actor=people["bob"], requester=registered["anna"], invitee=registered["li"]
        )
    # Organizers book meetings for participants.
    booked = brokerage.meeting_request_send(
        actor=member, requester=registered["anna"], invitee=registered["li"]
    )
    assert booked.requester == registered["anna"]


def test_requests_stay_within_the_event(registered: dict, people: dict) -> None:
    stranger = BrokerageParticipantFactory()
    with pytest.raises(ValidationError):
        brokerage.meeting_request_send(
            actor=people["anna"], requester=registered["anna"], invitee=stranger
        )


def test_priority_is_low_normal_or_high(registered: dict, people: dict) -> None:
    with pytest.raises(ValidationError):
        brokerage.meeting_request_send(
            actor=people["anna"], requester=registered["anna"], invitee=registered["li"], priority=5
        )


def test_closed_requests_stop_sending_and_answering_but_not_cancelling(
    registered: dict, people: dict, event: Any, member: Any
) -> None:
    waiting = brokerage.meeting_request_send(
        actor=people["anna"], requester=registered["anna"], invitee=registered["li"]
    )
    event.requests_open = False
    event.save()
    with pytest.raises(ValidationError, match="closed"):
        brokerage.meeting_request_send(
            actor=people["anna"], requester=registered["anna"], invitee=registered["bob"]
        )
    with pytest.raises(ValidationError, match="closed"):
        brokerage.meeting_request_answer(actor=people["li"], request=waiting, accept=True)
    assert brokerage.meeting_request_cancel(actor=people["li"], request=waiting).status == (
        "cancelled"
    )
    # Organizers still make late changes.
    assert brokerage.meeting_request_send(
        actor=member, requester=registered["anna"], invitee=registered["bob"]
    )


def test_a_declined_request_is_not_sent_again_but_a_withdrawn_one_is(
    registered: dict, people: dict
) -> None:
    anna, li, bob = registered["anna"], registered["li"], registered["bob"]
    declined = brokerage.meeting_request_send(actor=people["anna"], requester=anna, invitee=li)
    brokerage.meeting_request_answer(actor=people["li"], request=declined, accept=False)
    with pytest.raises(ValidationError, match="declined"):
        brokerage.meeting_request_send(actor=people["anna"], requester=anna, invitee=li)
    withdrawn = brokerage.meeting_request_send(actor=people["anna"], requester=anna, invitee=bob)
    brokerage.meeting_request_cancel(actor=people["anna"], request=withdrawn)
    again = brokerage.meeting_request_send(
        actor=people["anna"], requester=anna, invitee=bob, priority=2
    )
    assert again.pk == withdrawn.pk and again.status == "pending" and again.priority == 2


def test_asking_someone_who_asked_you_agrees_the_meeting(registered: dict, people: dict) -> None:
    anna, li = registered["anna"], registered["li"]
    first = brokerage.meeting_request_send(actor=people["li"], requester=li, invitee=anna)
    second = brokerage.meeting_request_send(actor=people["anna"], requester=anna, invitee=li)
    first.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "accepted")


def test_cancelling_calls_off_the_meeting_for_both(
    registered: dict, people: dict, member: Any, event: Any
) -> None:
    anna, li = registered["anna"], registered["li"]
    first = brokerage.meeting_request_send(actor=people["li"], requester=li, invitee=anna)
    second = brokerage.meeting_request_send(actor=people["anna"], requester=anna, invitee=li)
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    assert Meeting.objects.filter(slot__event=event).count() == 1
    with pytest.raises(PermissionDenied):
        brokerage.meeting_request_cancel(actor=people["bob"], request=first)
    brokerage.meeting_request_cancel(actor=people["anna"], request=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "cancelled")
    assert not Meeting.objects.filter(slot__event=event).exists()
    run = brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    assert run.scheduled == 0  # the meeting does not come back
    with pytest.raises(ValidationError):
        brokerage.meeting_request_cancel(actor=people["anna"], request=first)


# --- The scheduler run -------------------------------------------------------------------


@pytest.fixture
def busy_event(organization: Any) -> dict[str, Any]:
    """Twelve participants, six slots, three tables, limits of 2 to 4, some present only in
    the morning or the afternoon, and 30 accepted requests (some mutual, some high priority)."""
    rng = random.Random(5)
    event = BrokerageEventFactory(
        slug="busy-day", host=organization, tables=3, default_meeting_limit=4
    )
    slots = [MeetingSlotFactory(event=event, starts_at=brokerage_time(9, 30 * n)) for n in range(6)]
    participants = []
    for number in range(12):
        if number % 4 == 1:
            available = slots[:3]
        elif number % 4 == 2:
            available = slots[3:]
        else:
            available = slots
        participants.append(
            BrokerageParticipantFactory(
                event=event,
                available_slots=available,
                meeting_limit=rng.choice([None, 2, 3]),
            )
        )
    pairs: set[frozenset[int]] = set()
    while len(pairs) < 30:
        first, second = rng.sample(participants, 2)
        pair = frozenset((first.pk, second.pk))
        if pair in pairs:
            continue
        pairs.add(pair)
        MeetingRequestFactory(
            requester=first, invitee=second, status="accepted", priority=rng.choice([0, 1, 2])
        )
        if rng.random() < 0.3:
            MeetingRequestFactory(requester=second, invitee=first, status="accepted")
    # Noise the scheduler must ignore.
    MeetingRequestFactory(requester=participants[0], invitee=participants[11], status="pending")
    return {"event": event, "slots": slots, "participants": participants}


def _check_schedule(event: Any) -> list[Meeting]:
    """The rules every saved schedule keeps; returns the meetings."""
    meetings = list(
        Meeting.objects.filter(slot__event=event).select_related(
            "request__requester", "request__invitee", "slot"
        )
    )
    per_person_slot = Counter()
    per_person = Counter()
    per_pair = Counter()
    for meeting in meetings:
        request = meeting.request
        assert request.status == "accepted"
        assert 1 <= meeting.table <= event.tables
        per_pair[frozenset((request.requester_id, request.invitee_id))] += 1
        for participant in (request.requester, request.invitee):
            assert participant.available_slots.filter(pk=meeting.slot_id).exists()
            per_person_slot[participant.pk, meeting.slot_id] += 1
            per_person[participant.pk] += 1
    assert max(per_person_slot.values(), default=0) <= 1, "someone is in two places at once"
    assert max(per_pair.values(), default=0) <= 1, "a pair meets twice"
    for participant in Participant.objects.filter(event=event):
        assert per_person[participant.pk] <= participant.effective_meeting_limit
    return meetings


def test_the_scheduler_fills_the_event_within_every_rule(busy_event: dict, member: Any) -> None:
    event = busy_event["event"]
    run = brokerage.schedule_run(actor=member, event=event, time_limit_s=10)
    meetings = _check_schedule(event)
    accepted_pairs = {
        frozenset((r.requester_id, r.invitee_id))
        for r in MeetingRequest.objects.filter(event=event, status="accepted")
    }
    assert run.requests == len(accepted_pairs)
    assert run.scheduled == len(meetings) > 0
    assert run.method == "cp-sat"
    assert run.upper_bound is not None and run.upper_bound >= run.scheduled
    assert run.kept == 0
    assert ScheduleRun.objects.filter(event=event).count() == 1
    assert all(meeting.announced_at is None for meeting in meetings)


def test_mutual_and_high_priority_requests_go_first(organization: Any, member: Any) -> None:
    event = BrokerageEventFactory(host=organization, tables=1)
    MeetingSlotFactory(event=event, starts_at=brokerage_time(9))
    people = [BrokerageParticipantFactory(event=event) for _ in range(6)]
    MeetingRequestFactory(requester=people[0], invitee=people[1], status="accepted", priority=0)
    MeetingRequestFactory(requester=people[2], invitee=people[3], status="accepted", priority=2)
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    (meeting,) = Meeting.objects.filter(slot__event=event)
    assert meeting.request.requester == people[2]  # one table: the high-priority one

    MeetingRequestFactory(requester=people[4], invitee=people[5], status="accepted", priority=0)
    MeetingRequestFactory(requester=people[5], invitee=people[4], status="accepted", priority=0)
    Meeting.objects.all().delete()  # nothing announced to keep
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    (meeting,) = Meeting.objects.filter(slot__event=event)
    assert {meeting.request.requester, meeting.request.invitee} == {people[4], people[5]}


def _places(event: Any) -> dict[frozenset[int], tuple[int, int, Any]]:
    """Pair of participants -> (slot, table, announced at), checking every rule on the way."""
    return {
        frozenset((m.request.requester_id, m.request.invitee_id)): (
            m.slot_id,
            m.table,
            m.announced_at,
        )
        for m in _check_schedule(event)
    }


@pytest.fixture
def roomy_event(organization: Any) -> dict[str, Any]:
    """Ten participants present all day, six slots, four tables, 14 accepted requests (nobody
    in more than four): room for every meeting, so a rerun has no reason to move any."""
    event = BrokerageEventFactory(
        slug="roomy-day", host=organization, tables=4, default_meeting_limit=4
    )
    slots = [MeetingSlotFactory(event=event, starts_at=brokerage_time(9, 30 * n)) for n in range(6)]
    participants = [BrokerageParticipantFactory(event=event) for _ in range(10)]
    for number in range(7):
        for step in (1, 3):
            MeetingRequestFactory(
                requester=participants[number],
                invitee=participants[number + step],
                status="accepted",
            )
    return {"event": event, "slots": slots, "participants": participants}


def test_a_rerun_after_a_cancellation_keeps_the_announced_meetings(
    roomy_event: dict, member: Any
) -> None:
    event = roomy_event["event"]
    first = brokerage.schedule_run(actor=member, event=event, time_limit_s=10)
    assert first.scheduled == first.requests == 14
    assert brokerage.schedule_announce(actor=member, event=event) == 14
    before = _places(event)
    # Late changes: one meeting is called off, two late-comers agree to meet.
    cancelled = Meeting.objects.filter(slot__event=event).select_related("request").first()
    brokerage.meeting_request_cancel(actor=member, request=cancelled.request)
    gone = frozenset((cancelled.request.requester_id, cancelled.request.invitee_id))
    newcomers = [BrokerageParticipantFactory(event=event) for _ in range(2)]
    MeetingRequestFactory(requester=newcomers[0], invitee=newcomers[1], status="accepted")

    run = brokerage.schedule_run(actor=member, event=event, time_limit_s=10)
    after = _places(event)
    assert gone not in after
    kept = {pair: place for pair, place in before.items() if pair != gone}
    assert {pair: after[pair] for pair in kept} == kept, "an announced meeting moved"
    assert run.kept == 13 and run.scheduled == 14
    new_pair = frozenset(newcomer.pk for newcomer in newcomers)
    assert after[new_pair][2] is None  # new: waits for the next announcement
    assert brokerage.schedule_announce(actor=member, event=event) == 1


def test_a_rerun_on_a_full_event_keeps_its_announcements_honest(
    busy_event: dict, member: Any
) -> None:
    """With more requests than room, a rerun may move an announced meeting to fit more in;
    whatever it keeps stays announced at the same place, and the rest waits for a new
    announcement."""
    event = busy_event["event"]
    first = brokerage.schedule_run(actor=member, event=event, time_limit_s=10)
    brokerage.schedule_announce(actor=member, event=event)
    before = _places(event)
    cancelled = Meeting.objects.filter(slot__event=event).select_related("request").first()
    brokerage.meeting_request_cancel(actor=member, request=cancelled.request)

    run = brokerage.schedule_run(actor=member, event=event, time_limit_s=10)
    after = _places(event)
    assert run.scheduled >= first.scheduled - 1
    still_announced = {pair: place for pair, place in after.items() if place[2] is not None}
    assert len(still_announced) == run.kept > 0
    assert all(before[pair] == place for pair, place in still_announced.items())


def test_only_organizers_run_and_announce(registered: dict, people: dict, event: Any) -> None:
    with pytest.raises(PermissionDenied):
        brokerage.schedule_run(actor=people["anna"], event=event)
    with pytest.raises(PermissionDenied):
        brokerage.schedule_announce(actor=people["anna"], event=event)
    with pytest.raises(PermissionDenied):
        brokerage.schedule_grid(viewer=people["anna"], event=event)


def test_the_time_limit_is_bounded(event: Any, member: Any) -> None:
    with pytest.raises(ValidationError):
        brokerage.schedule_run(actor=member, event=event, time_limit_s=0)
    with pytest.raises(ValidationError):
        brokerage.schedule_run(actor=member, event=event, time_limit_s=3600)


# --- Agendas and the calendar ------------------------------------------------------------


@pytest.fixture
def scheduled(registered: dict, people: dict, member: Any, event: Any) -> dict[str, Any]:
    request = brokerage.meeting_request_send(
        actor=people["anna"], requester=registered["anna"], invitee=registered["li"]
    )
    brokerage.meeting_request_answer(actor=people["li"], request=request, accept=True)
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    return {"request": request, "meeting": Meeting.objects.get(request=request)}


def test_each_side_sees_the_meeting_in_their_agenda(
    scheduled: dict, registered: dict, people: dict, member: Any
) -> None:
    (mine,) = brokerage.agenda(viewer=people["anna"], participant=registered["anna"])
    (theirs,) = brokerage.agenda(viewer=people["li"], participant=registered["li"])
    assert mine.counterpart == registered["li"] and theirs.counterpart == registered["anna"]
    assert mine.slot == theirs.slot == scheduled["meeting"].slot
    assert not mine.announced
    assert brokerage.agenda(viewer=member, participant=registered["anna"])  # organizers see it
    with pytest.raises(PermissionDenied):
        brokerage.agenda(viewer=people["bob"], participant=registered["anna"])


def test_calendar_entries_keep_their_uid_across_reruns(
    scheduled: dict, registered: dict, people: dict, member: Any, event: Any
) -> None:
    person = registered["anna"].person
    (entry,) = brokerage.meeting_entries_for_person(person, people["anna"])
    assert entry.summary.startswith("Provisional")
    assert "Li Wei" in entry.summary and "table" in entry.location
    assert entry.starts_at == scheduled["meeting"].slot.starts_at
    brokerage.schedule_announce(actor=member, event=event)
    Meeting.objects.all().delete()
    brokerage.schedule_run(actor=member, event=event, time_limit_s=5)
    (again,) = brokerage.meeting_entries_for_person(person, people["anna"])
    assert again.uid == entry.uid
    assert brokerage.meeting_entries_for_person(person, people["bob"]) == []
    assert len(brokerage.meeting_entries_for_person(person, member)) == 1


def test_the_summary_counts_what_the_panel_shows(
    scheduled: dict, event: Any, people: dict, member: Any, outsider: Any
) -> None:
    summary = brokerage.brokerage_summary(event=event, viewer=people["anna"])
    assert summary.participants == 4 and summary.slots == 4
    assert summary.requests["accepted"] == 1 and summary.requests_total == 1
    assert (summary.meetings, summary.announced) == (1, 0)
    assert summary.me is not None and not summary.is_organizer and not summary.can_register
    stranger = brokerage.brokerage_summary(event=event, viewer=outsider)
    assert stranger.me is None and stranger.can_register
    assert brokerage.brokerage_summary(event=event, viewer=member).is_organizer


def test_the_directory_searches_in_any_script(registered: dict, event: Any, people: dict) -> None:
    found = brokerage.participant_list(viewer=people["bob"], event=event, query="ВОДОРОДНЫЕ")
    assert list(found) == [registered["anna"]]
    assert list(brokerage.participant_list(viewer=people["bob"], event=event, query="基金")) == [
        registered["li"]
    ]
    assert brokerage.participant_list(viewer=people["bob"], event=event).count() == 4


def test_the_directory_is_for_signed_in_people_who_see_the_event(
    registered: dict, event: Any, outsider: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not brokerage.participant_list(viewer=AnonymousUser(), event=event).exists()
    assert brokerage.participant_list(viewer=outsider, event=event).exists()
    event.confidentiality = "restricted"
    event.save()
    assert not brokerage.participant_list(viewer=outsider, event=event).exists()
    with pytest.raises(type(event).DoesNotExist):
        brokerage.brokerage_event_get(viewer=outsider, slug=event.slug)


def test_people_without_a_person_record_get_one_with_a_free_slug(event: Any) -> None:
    organization = OrganizationFactory()
    PersonFactory(slug="ivan-ivanov")
    user = UserFactory(email="ivan@example.org", full_name="Ivan Ivanov")
    MembershipFactory(user=user, organization=organization)
    participant = brokerage.participant_register(actor=user, event=event)
    assert participant.person.slug == "ivan-ivanov-2"
