"""Brokerage (B2B matchmaking) events: registration with availability, meeting requests, the
meeting schedule, personal agendas and "whom to meet" suggestions.

Services (`<noun>_<verb>(*, actor, ...)`) write inside a transaction, check the rules and
record the audit trail; selectors read. The scheduler itself is pure and lives in
`events.scheduling`; this module turns rows into its problem and saves its answer.

Who may do what:
- organizers are the members of the host organization (and platform staff); they make slots,
  run the scheduler, announce the schedule, and may act for any participant (register people,
  send and answer requests for them), also after registration or requests have closed;
- a signed-in user who may see the event registers themself while registration is open, and
  sends and answers requests while requests are open; either side cancels at any time.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import tempfile
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.i18n import CONTENT_LANGUAGE_CODES, language_or_detected
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.events import scheduling
from parkbridge.events.calendar import CalendarEntry
from parkbridge.events.models import (
    Event,
    EventKind,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Participant,
    RequestStatus,
    ScheduleRun,
)
from parkbridge.registry.models import Organization, Person
from parkbridge.registry.services import unique_slug

logger = logging.getLogger(__name__)

LIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)
PRIORITIES = (0, 1, 2)
DEFAULT_TIME_LIMIT_S = 10.0
MAX_TIME_LIMIT_S = 120.0
SUGGESTIONS = 5


# --- Who may do what ---------------------------------------------------------------------


def is_organizer(user: Any, event: Event) -> bool:
    """Members of the host organization (its admins included) and platform staff."""
    if not user or not user.is_authenticated:
        return False
    return permissions.can_contribute_for(user, event.host)


def can_see_directory(user: Any, event: Event) -> bool:
    """Signed-in users who may see the event see who takes part and what they look for."""
    return bool(user and user.is_authenticated and permissions.can_view(user, event))


def acts_for(user: Any, participant: Participant) -> bool:
    """Whether `user` is the participant or may act for them (an organizer)."""
    if not user or not user.is_authenticated:
        return False
    if participant.person.user_id == user.pk:
        return True
    return is_organizer(user, participant.event)


def _require_brokerage(event: Event) -> None:
    if event.kind != EventKind.BROKERAGE:
        raise ValidationError(_("This is not a brokerage event."))


def _require_organizer(actor: Any, event: Event) -> None:
    _require_brokerage(event)
    if not is_organizer(actor, event):
        raise PermissionDenied(_("Only the organizers of the event may do this."))


# --- Selectors ---------------------------------------------------------------------------


def brokerage_event_list(*, viewer: Any) -> QuerySet[Event]:
    return permissions.visible(Event.objects.filter(kind=EventKind.BROKERAGE), viewer)


def brokerage_event_get(*, viewer: Any, slug: str) -> Event:
    """The brokerage event, or Event.DoesNotExist when it is missing or not visible."""
    return brokerage_event_list(viewer=viewer).select_related("host").get(slug=slug)


def participant_of(*, event: Event, user: Any) -> Participant | None:
    """The user's own participation in the event, if they registered."""
    if not user or not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(event=event, person__user=user)
        .select_related("person", "organization", "event")
        .first()
    )


def _participants(event: Event) -> QuerySet[Participant]:
    return Participant.objects.filter(event=event).select_related(
        "person", "organization", "event", "event__host"
    )


SEARCHED_FIELDS = (
    "person__full_name",
    "person__full_name_latin",
    "organization__name",
    "organization__name_en",
    "organization__name_ru",
    "organization__name_zh",
    "organization__short_name",
    "position",
    "offering",
    "seeking",
)


def participant_list(*, viewer: Any, event: Event, query: str = "") -> QuerySet[Participant]:
    """The event's participants, searched in names, organizations and profiles."""
    if not can_see_directory(viewer, event):
        return Participant.objects.none()
    participants = _participants(event)
    words = [word.casefold() for word in query.split()][:8]
    if words:
        # An event has hundreds of participants at most; matching here folds the case of
        # Cyrillic and other scripts, which SQLite's LIKE does not.
        found = [
            pk
            for pk, *texts in participants.values_list("pk", *SEARCHED_FIELDS)
            if all(word in "\n".join(text or "" for text in texts).casefold() for word in words)
        ]
        participants = participants.filter(pk__in=found)
    return participants.order_by("person__full_name_latin", "id")


def participant_get(*, viewer: Any, event: Event, pk: int) -> Participant:
    """One participant, or Participant.DoesNotExist when the viewer may not see the directory."""
    if not can_see_directory(viewer, event):
        raise Participant.DoesNotExist
    return _participants(event).get(pk=pk)


def meeting_request_get(*, viewer: Any, event: Event, pk: int) -> MeetingRequest:
    """A request the viewer takes part in (or any, for organizers); else DoesNotExist."""
    requests = MeetingRequest.objects.filter(event=event).select_related(
        "requester__person", "invitee__person", "requester__event", "invitee__event", "event"
    )
    if not is_organizer(viewer, event):
        if not viewer or not viewer.is_authenticated:
            raise MeetingRequest.DoesNotExist
        requests = requests.filter(
            Q(requester__person__user=viewer) | Q(invitee__person__user=viewer)
        )
    return requests.get(pk=pk)


@dataclass(frozen=True)
class RequestLists:
    received: list[MeetingRequest]
    sent: list[MeetingRequest]


def meeting_requests_of(*, participant: Participant) -> RequestLists:
    """The requests a participant received and sent, newest first, with their meetings."""
    requests = (
        MeetingRequest.objects.filter(Q(requester=participant) | Q(invitee=participant))
        .select_related(
            "requester__person",
            "requester__organization",
            "invitee__person",
            "invitee__organization",
            "meeting__slot",
        )
        .order_by("-created_at", "-id")
    )
    received: list[MeetingRequest] = []
    sent: list[MeetingRequest] = []
    for request in requests:
        (sent if request.requester_id == participant.pk else received).append(request)
    return RequestLists(received=received, sent=sent)


def request_states(*, participant: Participant | None) -> dict[int, MeetingRequest]:
    """For the directory: per other participant, the request between the two that matters
    most: a live one (waiting or accepted) before a closed one, the participant's own before
    the other's."""
    if participant is None:
        return {}
    states: dict[int, MeetingRequest] = {}
    ranks: dict[int, tuple[bool, bool]] = {}
    for request in MeetingRequest.objects.filter(
        Q(requester=participant) | Q(invitee=participant)
    ).order_by("created_at", "id"):
        mine = request.requester_id == participant.pk
        other = request.invitee_id if mine else request.requester_id
        rank = (request.status in LIVE_STATUSES, mine)
        if other not in ranks or rank >= ranks[other]:
            states[other], ranks[other] = request, rank
    return states


@dataclass(frozen=True)
class BrokerageSummary:
    """What the brokerage panel on the event page shows."""

    event: Event
    participants: int
    slots: int
    requests: dict[str, int]
    meetings: int
    announced: int
    me: Participant | None
    is_organizer: bool
    can_register: bool
    can_see_directory: bool
    last_run: ScheduleRun | None
    first_slot: MeetingSlot | None
    last_slot: MeetingSlot | None

    @property
    def requests_total(self) -> int:
        return sum(self.requests.values())


def brokerage_summary(*, event: Event, viewer: Any) -> BrokerageSummary:
    """Registration status, counts and the viewer's place in the event."""
    me = participant_of(event=event, user=viewer)
    organizer = is_organizer(viewer, event)
    counts = Counter(MeetingRequest.objects.filter(event=event).values_list("status", flat=True))
    slots = list(MeetingSlot.objects.filter(event=event).order_by("starts_at"))
    meetings = Meeting.objects.filter(slot__event=event)
    return BrokerageSummary(
        event=event,
        participants=Participant.objects.filter(event=event).count(),
        slots=len(slots),
        requests={status: counts.get(status, 0) for status in RequestStatus.values},
        meetings=meetings.count(),
        announced=meetings.filter(announced_at__isnull=False).count(),
        me=me,
        is_organizer=organizer,
        can_register=bool(
            me is None
            and viewer
            and viewer.is_authenticated
            and (event.registration_open or organizer)
        ),
        can_see_directory=can_see_directory(viewer, event),
        last_run=ScheduleRun.objects.filter(event=event).first(),
        first_slot=slots[0] if slots else None,
        last_slot=slots[-1] if slots else None,
    )


@dataclass(frozen=True)
class AgendaMeeting:
    """One meeting on a personal agenda."""

    meeting: Meeting
    slot: MeetingSlot
    table: int
    counterpart: Participant
    request: MeetingRequest
    announced: bool

    @property
    def uid(self) -> str:
        return meeting_uid(self.request)


def meeting_uid(request: MeetingRequest) -> str:
    """The same for a pair of participants whatever request, slot or table carries their
    meeting, so calendar programs move the entry instead of adding a copy."""
    low, high = sorted((request.requester_id, request.invitee_id))
    return f"brokerage-{request.event_id}-{low}-{high}@parkbridge"


def can_see_agenda(viewer: Any, participant: Participant) -> bool:
    """The agenda is for the participant themself and the organizers."""
    return acts_for(viewer, participant)


def agenda(*, viewer: Any, participant: Participant) -> list[AgendaMeeting]:
    """The participant's scheduled meetings in time order; PermissionDenied for others."""
    if not can_see_agenda(viewer, participant):
        raise PermissionDenied(_("Only the participant and the organizers see this agenda."))
    return _agenda_items(
        Meeting.objects.filter(Q(request__requester=participant) | Q(request__invitee=participant)),
        participant,
    )


def _agenda_items(meetings: QuerySet[Meeting], participant: Participant) -> list[AgendaMeeting]:
    items = []
    for meeting in meetings.select_related(
        "slot",
        "request__event",
        "request__requester__person",
        "request__requester__organization",
        "request__invitee__person",
        "request__invitee__organization",
    ).order_by("slot__starts_at", "table"):
        request = meeting.request
        counterpart = (
            request.invitee if request.requester_id == participant.pk else request.requester
        )
        items.append(
            AgendaMeeting(
                meeting=meeting,
                slot=meeting.slot,
                table=meeting.table,
                counterpart=counterpart,
                request=request,
                announced=meeting.announced_at is not None,
            )
        )
    return items


def agenda_entries(items: Iterable[AgendaMeeting], event: Event) -> list[CalendarEntry]:
    """Calendar entries of agenda items (provisional ones say so)."""
    entries = []
    for item in items:
        counterpart = item.counterpart
        organization = counterpart.organization.display_name if counterpart.organization else ""
        summary = _("Meeting with %(name)s") % {"name": counterpart.person.display_name}
        if organization:
            summary += f" ({organization})"
        if not item.announced:
            summary = _("Provisional: %(summary)s") % {"summary": summary}
        location = _("%(event)s, table %(table)s") % {"event": event.title, "table": item.table}
        if event.place:
            location = f"{location} · {event.place}"
        description = "\n\n".join(
            part
            for part in (
                counterpart.position,
                _("Offers: %(text)s") % {"text": counterpart.offering}
                if counterpart.offering
                else "",
                _("Looks for: %(text)s") % {"text": counterpart.seeking}
                if counterpart.seeking
                else "",
                item.request.message,
            )
            if part
        )
        entries.append(
            CalendarEntry(
                uid=item.uid,
                starts_at=item.slot.starts_at,
                ends_at=item.slot.ends_at,
                summary=summary,
                location=location,
                description=description,
            )
        )
    return entries


def meeting_entries_for_person(person: Person, viewer: Any) -> list[CalendarEntry]:
    """The person's 1:1 meetings at every brokerage event, as calendar entries, for the person
    themself, staff, and the organizers of each event (only that event's meetings)."""
    if not viewer or not viewer.is_authenticated:
        return []
    entries: list[CalendarEntry] = []
    participations = Participant.objects.filter(
        person=person, event__kind=EventKind.BROKERAGE
    ).select_related("person", "event", "event__host")
    for participant in participations:
        if not acts_for(viewer, participant):
            continue
        items = _agenda_items(
            Meeting.objects.filter(
                Q(request__requester=participant) | Q(request__invitee=participant)
            ),
            participant,
        )
        entries.extend(agenda_entries(items, participant.event))
    entries.sort(key=lambda entry: entry.starts_at)
    return entries


@dataclass
class GridCell:
    table: int
    meeting: Meeting | None = None


@dataclass
class GridRow:
    slot: MeetingSlot
    cells: list[GridCell]

    @property
    def used(self) -> int:
        return sum(1 for cell in self.cells if cell.meeting is not None)


@dataclass
class ScheduleGrid:
    """Slots × tables, for the organizers."""

    tables: list[int]
    rows: list[GridRow]
    unscheduled: list[MeetingRequest] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return sum(row.used for row in self.rows)


def schedule_grid(*, viewer: Any, event: Event) -> ScheduleGrid:
    """Every slot with its tables and meetings, and the accepted pairs left without a
    meeting; for organizers only."""
    _require_organizer(viewer, event)
    meetings = (
        Meeting.objects.filter(slot__event=event)
        .select_related(
            "request__requester__person",
            "request__requester__organization",
            "request__invitee__person",
            "request__invitee__organization",
        )
        .order_by("slot__starts_at", "table")
    )
    by_place = {(meeting.slot_id, meeting.table): meeting for meeting in meetings}
    most_table = max((table for _slot, table in by_place), default=0)
    tables = list(range(1, max(event.tables, most_table) + 1))
    rows = [
        GridRow(slot, [GridCell(table, by_place.get((slot.pk, table))) for table in tables])
        for slot in MeetingSlot.objects.filter(event=event).order_by("starts_at")
    ]
    met = {_pair_key(meeting.request) for meeting in meetings}
    unscheduled = []
    seen: set[frozenset[int]] = set()
    for request in (
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
        .select_related("requester__person", "invitee__person")
        .order_by("id")
    ):
        pair = _pair_key(request)
        if pair not in met and pair not in seen:
            seen.add(pair)
            unscheduled.append(request)
    return ScheduleGrid(tables=tables, rows=rows, unscheduled=unscheduled)


def slot_list(*, event: Event) -> QuerySet[MeetingSlot]:
    return MeetingSlot.objects.filter(event=event).order_by("starts_at")


def schedule_run_list(*, viewer: Any, event: Event) -> QuerySet[ScheduleRun]:
    _require_organizer(viewer, event)
    return ScheduleRun.objects.filter(event=event).select_related("ran_by")


# --- Slots and settings ------------------------------------------------------------------


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@transaction.atomic
def slots_generate(
    *,
    actor: Any,
    event: Event,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    breaks: Sequence[tuple[datetime.time, datetime.time]] = (),
) -> list[MeetingSlot]:
    """Slots of `event.meeting_minutes` from `start` until `end` on `day` (in the server's
    time zone), skipping breaks and places already taken by a slot; returns the new slots.

    Participants who were available in every earlier slot (or registered before there were
    any) become available in the new ones too.
    """
    _require_organizer(actor, event)
    if not start < end:
        raise ValidationError({"end": _("The last meeting ends before the first one starts.")})
    if not _local_date(event.starts_at) <= day <= _local_date(event.ends_at):
        raise ValidationError({"day": _("The day is not within the dates of the event.")})
    for break_start, break_end in breaks:
        if not break_start < break_end:
            raise ValidationError({"breaks": _("A break ends before it starts.")})
    zone = timezone.get_current_timezone()
    length = datetime.timedelta(minutes=event.meeting_minutes)
    cursor = datetime.datetime.combine(day, start, tzinfo=zone)
    finish = datetime.datetime.combine(day, end, tzinfo=zone)
    pauses = [
        (
            datetime.datetime.combine(day, pause_start, tzinfo=zone),
            datetime.datetime.combine(day, pause_end, tzinfo=zone),
        )
        for pause_start, pause_end in sorted(breaks)
    ]
    existing = [(slot.starts_at, slot.ends_at) for slot in MeetingSlot.objects.filter(event=event)]
    before = len(existing)
    created: list[MeetingSlot] = []
    while cursor + length <= finish:
        slot_end = cursor + length
        pause = next((p for p in pauses if cursor < p[1] and p[0] < slot_end), None)
        if pause is not None:
            cursor = max(pause[1], cursor + datetime.timedelta(minutes=1))
            continue
        if not any(
            cursor < taken_end and taken_start < slot_end for taken_start, taken_end in existing
        ):
            created.append(MeetingSlot(event=event, starts_at=cursor, ends_at=slot_end))
        cursor = slot_end
    if not created:
        return []
    MeetingSlot.objects.bulk_create(created)
    created = list(
        MeetingSlot.objects.filter(event=event, starts_at__in=[slot.starts_at for slot in created])
    )
    everywhere = [
        participant
        for participant in Participant.objects.filter(event=event).prefetch_related(
            "available_slots"
        )
        if len(participant.available_slots.all()) == before
    ]
    through = Participant.available_slots.through
    through.objects.bulk_create(
        [
            through(participant_id=participant.pk, meetingslot_id=slot.pk)
            for participant in everywhere
            for slot in created
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=event,
        changes={"slots": [before, before + len(created)]},
    )
    return created


@transaction.atomic
def slot_delete(*, actor: Any, slot: MeetingSlot) -> None:
    """Remove a slot that holds no meeting (run the scheduler without it first)."""
    _require_organizer(actor, slot.event)
    if slot.meetings.exists():
        raise ValidationError(
            _("Meetings are scheduled in this slot: take it out of the schedule first.")
        )
    event = slot.event
    slot.delete()
    audit_record(actor=actor, action=AuditAction.UPDATED, target=event, changes={"slot": str(slot)})


BROKERAGE_SETTINGS = {
    "meeting_minutes",
    "tables",
    "default_meeting_limit",
    "registration_open",
    "requests_open",
}


@transaction.atomic
def brokerage_settings_update(*, actor: Any, event: Event, **values: Any) -> Event:
    """Change the brokerage settings of an event (meeting length, tables, default limit,
    whether registration and requests are open)."""
    _require_organizer(actor, event)
    unknown = sorted(set(values) - BROKERAGE_SETTINGS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    if (
        "meeting_minutes" in values
        and values["meeting_minutes"] != event.meeting_minutes
        and MeetingSlot.objects.filter(event=event).exists()
    ):
        raise ValidationError(
            {"meeting_minutes": _("The event has slots already; their length stays as it is.")}
        )
    changes = changed_fields(event, values)
    event.full_clean()
    event.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=event, changes=changes)
    return event


# --- Registration ------------------------------------------------------------------------

PARTICIPANT_FIELDS = {
    "organization",
    "position",
    "offering",
    "seeking",
    "profile_language",
    "available_slots",
    "meeting_limit",
}


def _own_person(actor: Any) -> Person:
    """The signed-in user's person record, made from their account when they have none."""
    person = Person.objects.filter(user=actor).first()
    if person is not None:
        return person
    name = actor.full_name or actor.email.split("@")[0]
    person = Person(
        full_name=name,
        full_name_latin=name,
        slug=unique_slug(Person, name),
        user=actor,
    )
    person.full_clean()
    person.save()
    audit_record(actor=actor, action=AuditAction.CREATED, target=person)
    return person


def _default_organization(person: Person, actor: Any) -> Organization | None:
    affiliation = person.affiliations.select_related("organization").first()
    if affiliation is not None:
        return affiliation.organization
    if person.user_id == getattr(actor, "pk", None):
        own = permissions.organization_ids(actor)
        if len(own) == 1:
            return Organization.objects.filter(pk__in=own).first()
    return None


def _check_organization(
    actor: Any, event: Event, person: Person, organization: Organization | None
) -> None:
    if organization is None or is_organizer(actor, event):
        return
    if person.affiliations.filter(organization=organization).exists():
        return
    if organization.pk in permissions.contributable_organization_ids(actor):
        return
    raise ValidationError(
        {"organization": _("Choose an organization the person works for or you belong to.")}
    )


def _check_slots(event: Event, slots: Iterable[MeetingSlot]) -> list[MeetingSlot]:
    chosen = list(slots)
    if any(slot.event_id != event.pk for slot in chosen):
        raise ValidationError({"available_slots": _("Choose slots of this event.")})
    return chosen


def _check_profile(participant: Participant) -> None:
    if participant.meeting_limit is not None and participant.meeting_limit < 1:
        raise ValidationError({"meeting_limit": _("Allow at least one meeting.")})
    participant.full_clean(exclude=["event", "person"])


@transaction.atomic
def participant_register(
    *,
    actor: Any,
    event: Event,
    person: Person | None = None,
    organization: Organization | None = None,
    position: str = "",
    offering: str = "",
    seeking: str = "",
    profile_language: str = "",
    available_slots: Iterable[MeetingSlot] | None = None,
    meeting_limit: int | None = None,
) -> Participant:
    """Register `person` (by default the actor's own person record, made from the account when
    missing) for a brokerage event. Available in every slot unless `available_slots` says
    otherwise; `meeting_limit` None means the event's default."""
    _require_brokerage(event)
    if not actor or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to register."))
    if not permissions.can_view(actor, event):
        raise PermissionDenied(_("You may not take part in this event."))
    organizer = is_organizer(actor, event)
    if person is not None and person.user_id != actor.pk and not organizer:
        raise PermissionDenied(_("Only the organizers may register other people."))
    if not event.registration_open and not organizer:
        raise ValidationError(_("Registration for this event is closed."))
    person = person if person is not None else _own_person(actor)
    if Participant.objects.filter(event=event, person=person).exists():
        raise ValidationError(_("%(name)s is registered already.") % {"name": person})
    if organization is None:
        organization = _default_organization(person, actor)
    _check_organization(actor, event, person, organization)
    participant = Participant(
        event=event,
        person=person,
        organization=organization,
        position=position,
        offering=offering.strip(),
        seeking=seeking.strip(),
        profile_language=_profile_language(profile_language, offering, seeking),
        meeting_limit=meeting_limit,
    )
    _check_profile(participant)
    slots = (
        list(MeetingSlot.objects.filter(event=event))
        if available_slots is None
        else _check_slots(event, available_slots)
    )
    participant.save()
    participant.available_slots.set(slots)
    audit_record(actor=actor, action=AuditAction.JOINED, target=participant)
    _prepare_suggestions_on_commit(participant)
    return participant


def _profile_language(language: str, *texts: str) -> str:
    language = language_or_detected(language, *texts)
    return language if language in CONTENT_LANGUAGE_CODES else "en"


@transaction.atomic
def participant_update(*, actor: Any, participant: Participant, **values: Any) -> Participant:
    """Change a participant's profile, availability or limit (the participant or an
    organizer; allowed after registration closed, since late changes happen)."""
    if not acts_for(actor, participant):
        raise PermissionDenied(_("You may only change your own registration."))
    unknown = sorted(set(values) - PARTICIPANT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    event = participant.event
    slots = values.pop("available_slots", None)
    if "organization" in values and values["organization"] != participant.organization:
        _check_organization(actor, event, participant.person, values["organization"])
    for name in ("offering", "seeking"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "profile_language" in values:
        values["profile_language"] = _profile_language(
            values["profile_language"],
            values.get("offering", participant.offering),
            values.get("seeking", participant.seeking),
        )
    changes = changed_fields(participant, values)
    _check_profile(participant)
    participant.save()
    if slots is not None:
        chosen = _check_slots(event, slots)
        before = sorted(participant.available_slots.values_list("pk", flat=True))
        participant.available_slots.set(chosen)
        after = sorted(slot.pk for slot in chosen)
        if before != after:
            changes["available_slots"] = [len(before), len(after)]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=participant, changes=changes)
    if {"offering", "seeking"} & set(changes):
        _prepare_suggestions_on_commit(participant)
    return participant


# --- Meeting requests --------------------------------------------------------------------


def _reverse_of(requester: Participant, invitee: Participant) -> MeetingRequest | None:
    """The request in the other direction, if the invitee had asked the requester too."""
    return (
        MeetingRequest.objects.select_for_update()
        .filter(requester=invitee, invitee=requester)
        .first()
    )


def _pair_key(request: MeetingRequest) -> frozenset[int]:
    return frozenset((request.requester_id, request.invitee_id))


@transaction.atomic
def meeting_request_send(
    *,
    actor: Any,
    requester: Participant,
    invitee: Participant,
    message: str = "",
    priority: int = 1,
) -> MeetingRequest:
    """Ask `invitee` for a meeting on behalf of `requester` (the actor's own participation, or
    any for an organizer). If the invitee had asked the requester already and is waiting, both
    requests are accepted: they want the same meeting, which the scheduler treats as mutual."""
    event = requester.event
    _require_brokerage(event)
    if not acts_for(actor, requester):
        raise PermissionDenied(_("You may only send requests for yourself."))
    if invitee.event_id != event.pk:
        raise ValidationError({"invitee": _("The person you invite is not at this event.")})
    if invitee.pk == requester.pk:
        raise ValidationError({"invitee": _("You cannot request a meeting with yourself.")})
    if not event.requests_open and not is_organizer(actor, event):
        raise ValidationError(_("Meeting requests for this event are closed."))
    if priority not in PRIORITIES:
        raise ValidationError({"priority": _("Priority is 0 (low), 1 (normal) or 2 (high).")})
    existing = (
        MeetingRequest.objects.select_for_update()
        .filter(requester=requester, invitee=invitee)
        .first()
    )
    if existing is not None and existing.status in LIVE_STATUSES:
        raise ValidationError(_("You have asked %(name)s already.") % {"name": invitee})
    if existing is not None and existing.status == RequestStatus.DECLINED:
        raise ValidationError(_("%(name)s declined your request.") % {"name": invitee})
    reverse = _reverse_of(requester, invitee)
    if reverse is not None and reverse.status == RequestStatus.ACCEPTED:
        raise ValidationError(_("You have agreed to meet %(name)s already.") % {"name": invitee})
    now = timezone.now()
    both_want_it = reverse is not None and reverse.status == RequestStatus.PENDING
    request = existing or MeetingRequest(event=event, requester=requester, invitee=invitee)
    request.message = message.strip()
    request.priority = priority
    request.status = RequestStatus.ACCEPTED if both_want_it else RequestStatus.PENDING
    request.answered_at = now if both_want_it else None
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATED if existing is None else AuditAction.UPDATED,
        target=request,
        changes={"status": request.status, "priority": priority},
    )
    if both_want_it and reverse is not None:
        reverse.status = RequestStatus.ACCEPTED
        reverse.answered_at = now
        reverse.save(update_fields=["status", "answered_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATED,
            target=reverse,
            changes={"status": [RequestStatus.PENDING, RequestStatus.ACCEPTED]},
        )
    return request


@transaction.atomic
def meeting_request_answer(*, actor: Any, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """The invitee (or an organizer for them) accepts or declines a waiting request."""
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "invitee__person", "invitee__event", "requester__person")
        .get(pk=request.pk)
    )
    event = request.event
    _require_brokerage(event)
    if not acts_for(actor, request.invitee):
        raise PermissionDenied(_("Only the person invited may answer this request."))
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has been answered or cancelled already."))
    if not event.requests_open and not is_organizer(actor, event):
        raise ValidationError(_("Meeting requests for this event are closed."))
    before = request.status
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=request,
        changes={"status": [before, request.status]},
    )
    return request


@transaction.atomic
def meeting_request_cancel(*, actor: Any, request: MeetingRequest) -> MeetingRequest:
    """Either side (or an organizer) withdraws a request or calls off an agreed meeting, at
    any time. A scheduled meeting goes with it; so does the request in the other direction
    when it was accepted, so that the next scheduler run does not bring the meeting back."""
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related(
            "event", "requester__person", "requester__event", "invitee__person", "invitee__event"
        )
        .get(pk=request.pk)
    )
    if not (acts_for(actor, request.requester) or acts_for(actor, request.invitee)):
        raise PermissionDenied(_("Only the two participants may cancel this request."))
    if request.status not in LIVE_STATUSES:
        raise ValidationError(_("This request is not active."))
    cancelled = [request]
    reverse = (
        MeetingRequest.objects.select_for_update()
        .filter(requester=request.invitee, invitee=request.requester)
        .first()
    )
    if (
        request.status == RequestStatus.ACCEPTED
        and reverse is not None
        and reverse.status == RequestStatus.ACCEPTED
    ):
        cancelled.append(reverse)
    Meeting.objects.filter(request__in=cancelled).delete()
    for item in cancelled:
        before = item.status
        item.status = RequestStatus.CANCELLED
        item.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATED,
            target=item,
            changes={"status": [before, RequestStatus.CANCELLED]},
        )
    return request


# --- The schedule ------------------------------------------------------------------------


@dataclass(frozen=True)
class _ScheduleInput:
    problem: scheduling.SchedulingProblem
    previous: dict[Any, scheduling.Assignment]  # by representative request id
    pair_of: dict[Any, frozenset[int]]  # representative request id -> participant pair


def _schedule_input(event: Event) -> _ScheduleInput:
    """The scheduler's problem from the database: every pair of participants with an accepted
    request is one request (mutual when both asked each other and neither withdrew)."""
    slot_ids = list(
        MeetingSlot.objects.filter(event=event).order_by("starts_at").values_list("pk", flat=True)
    )
    available: dict[int, set[int]] = defaultdict(set)
    through = Participant.available_slots.through
    for participant_id, slot_id in through.objects.filter(participant__event=event).values_list(
        "participant_id", "meetingslot_id"
    ):
        available[participant_id].add(slot_id)
    people = [
        scheduling.Participant(
            id=pk,
            available_slots=frozenset(available[pk]),
            meeting_limit=limit or event.default_meeting_limit,
        )
        for pk, limit in Participant.objects.filter(event=event)
        .order_by("pk")
        .values_list("pk", "meeting_limit")
    ]
    by_pair: dict[frozenset[int], list[MeetingRequest]] = defaultdict(list)
    for request in (
        MeetingRequest.objects.filter(event=event)
        .exclude(status=RequestStatus.CANCELLED)
        .order_by("created_at", "pk")
    ):
        by_pair[_pair_key(request)].append(request)
    requests: list[scheduling.MeetingRequest] = []
    pair_of: dict[Any, frozenset[int]] = {}
    for pair, rows in by_pair.items():
        accepted = [row for row in rows if row.status == RequestStatus.ACCEPTED]
        if not accepted:
            continue
        representative = max(accepted, key=lambda row: (row.priority, -row.pk))
        pair_of[representative.pk] = pair
        requests.append(
            scheduling.MeetingRequest(
                id=representative.pk,
                requester=representative.requester_id,
                invitee=representative.invitee_id,
                priority=max(row.priority for row in rows),
                mutual=len({row.requester_id for row in rows}) == 2,
            )
        )
    representative_of = {pair: request_id for request_id, pair in pair_of.items()}
    previous = {
        representative_of[pair]: scheduling.Assignment(slot=slot_id, table=table)
        for requester_id, invitee_id, slot_id, table in Meeting.objects.filter(
            slot__event=event
        ).values_list("request__requester_id", "request__invitee_id", "slot_id", "table")
        if (pair := frozenset((requester_id, invitee_id))) in representative_of
    }
    problem = scheduling.SchedulingProblem(
        slots=slot_ids, tables=event.tables, participants=people, requests=requests
    )
    return _ScheduleInput(problem=problem, previous=previous, pair_of=pair_of)


def _solve(
    schedule_input: _ScheduleInput, time_limit_s: float
) -> tuple[scheduling.ScheduleResult, list[str]]:
    problem, previous = schedule_input.problem, schedule_input.previous
    result = scheduling.schedule_meetings(problem, previous=previous, time_limit_s=time_limit_s)
    violations = scheduling.validate(problem, result)
    if violations:
        logger.error("The CP-SAT schedule breaks rules, using the greedy: %s", violations[:5])
        result = scheduling.schedule_meetings_greedy(problem, previous=previous)
        violations = scheduling.validate(problem, result)
    return result, violations


def schedule_run(
    *, actor: Any, event: Event, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> ScheduleRun:
    """Schedule every accepted request into a slot and at a table (CP-SAT within the time
    limit, else the greedy), keeping existing meetings in place where possible, and replace
    the event's meetings with the result in one transaction. Meetings kept at the same slot
    and table keep their announcement; moved and new ones wait for the next announcement."""
    _require_organizer(actor, event)
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise ValidationError(
            {
                "time_limit_s": _("Give the solver between 1 and %(most)s seconds.")
                % {"most": int(MAX_TIME_LIMIT_S)}
            }
        )
    # The solver runs outside the transaction so that participants are not kept waiting.
    solved_input = _schedule_input(event)
    result, violations = _solve(solved_input, time_limit_s)
    if violations:
        raise ValidationError(
            _("The scheduler produced an invalid schedule: %(problems)s")
            % {"problems": "; ".join(violations[:3])}
        )
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        # Requests cancelled or availability changed while the solver ran: check the result
        # against the event as it is now, dropping meetings whose pair no longer wants them.
        current = _schedule_input(event)
        representative_of = {pair: rid for rid, pair in current.pair_of.items()}
        assignments: dict[Any, scheduling.Assignment] = {}
        for request_id, assignment in result.assignments.items():
            now_id = representative_of.get(solved_input.pair_of[request_id])
            if now_id is not None:
                assignments[now_id] = assignment
        late_violations = scheduling.validate(current.problem, assignments)
        if late_violations:
            raise ValidationError(
                _("The event changed while the scheduler ran; please run it again.")
            )
        announced: dict[tuple[frozenset[int], Any, int], datetime.datetime | None] = {
            (frozenset((requester_id, invitee_id)), slot_id, table): announced_at
            for requester_id, invitee_id, slot_id, table, announced_at in Meeting.objects.filter(
                slot__event=event, announced_at__isnull=False
            ).values_list(
                "request__requester_id",
                "request__invitee_id",
                "slot_id",
                "table",
                "announced_at",
            )
        }
        Meeting.objects.filter(slot__event=event).delete()
        meetings = [
            Meeting(
                request_id=request_id,
                slot_id=int(assignment.slot),  # type: ignore[call-overload]
                table=assignment.table,
                announced_at=announced.get(
                    (current.pair_of[request_id], assignment.slot, assignment.table)
                ),
            )
            for request_id, assignment in assignments.items()
        ]
        Meeting.objects.bulk_create(meetings)
        run = ScheduleRun.objects.create(
            event=event,
            method=result.method,
            status=result.solver_status[:32],
            requests=len(current.problem.requests),
            scheduled=len(meetings),
            upper_bound=result.meetings_upper_bound,
            kept=sum(1 for meeting in meetings if meeting.announced_at is not None),
            seconds=round(result.wall_time_s, 3),
            ran_by=actor if actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATED,
            target=run,
            changes={
                "scheduled": run.scheduled,
                "requests": run.requests,
                "kept": run.kept,
                "moved": len(result.announced_moved),
                "dropped": len(result.announced_dropped),
            },
        )
    return run


@transaction.atomic
def schedule_announce(*, actor: Any, event: Event) -> int:
    """Announce every meeting not announced yet; returns how many were announced now."""
    _require_organizer(actor, event)
    count = Meeting.objects.filter(slot__event=event, announced_at__isnull=True).update(
        announced_at=timezone.now()
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATED, target=event, changes={"announced": count}
    )
    return count


# --- Whom to meet ------------------------------------------------------------------------

VECTOR_CACHE_SIZE = 20_000
PASSAGES_PER_TEXT = 4


class _VectorCache:
    """Raw item vectors of profile passages by the hash of (embedder, text): in memory (LRU)
    and on disk under VAR_DIR, so each text is embedded once, whichever process asks."""

    def __init__(self, size: int = VECTOR_CACHE_SIZE) -> None:
        self.size = size
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(embedder_name: str, text: str) -> str:
        return hashlib.sha256(f"{embedder_name}\x00{text}".encode()).hexdigest()

    @staticmethod
    def _path(key: str) -> Path:
        return Path(settings.VAR_DIR) / "brokerage-vectors" / key[:2] / f"{key}.npy"

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            vector = self._memory.get(key)
            if vector is not None:
                self._memory.move_to_end(key)
                return vector
        try:
            vector = np.load(self._path(key))
        except (OSError, ValueError):
            return None
        self._remember(key, vector)
        return vector

    def put(self, key: str, vector: np.ndarray) -> None:
        vector = np.asarray(vector, dtype=np.float32)
        self._remember(key, vector)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(descriptor, "wb") as file:
                np.save(file, vector)
            os.replace(temporary, path)
        except OSError:
            logger.warning("Could not store a profile vector under %s", path.parent)

    def _remember(self, key: str, vector: np.ndarray) -> None:
        with self._lock:
            self._memory[key] = vector
            self._memory.move_to_end(key)
            while len(self._memory) > self.size:
                self._memory.popitem(last=False)

    def clear_memory(self) -> None:
        with self._lock:
            self._memory.clear()


_vectors = _VectorCache()


@dataclass(frozen=True)
class _ProfileText:
    """A profile text cut into passages, with their (centred) vectors."""

    passages: list[str]
    language: str
    vectors: np.ndarray  # one unit row per passage


def _embedder() -> Any:
    from parkbridge.matching.embedders import default_embedder

    return default_embedder()


def _raw_vectors(embedder: Any, passages: Iterable[str]) -> dict[str, np.ndarray]:
    """Passage -> raw item vector; embeds (in one batch) only those not cached."""
    keys = {passage: _vectors.key(embedder.name, passage) for passage in set(passages)}
    found: dict[str, np.ndarray] = {}
    missing: list[str] = []
    for passage, key in keys.items():
        vector = _vectors.get(key)
        if vector is None or vector.shape != (embedder.dimension,):
            missing.append(passage)
        else:
            found[passage] = vector
    if missing:
        for passage, vector in zip(missing, embedder.embed_items(missing), strict=True):
            _vectors.put(keys[passage], vector)
            found[passage] = np.asarray(vector, dtype=np.float32)
    return found


# The same 24 sentences on tech-park subjects in English, Russian and Chinese. Their mean
# vectors differ by language only, so they serve as language centroids until the matching
# index has calibrated its own (docs/decisions/005): without centring, e5 ranks any text in
# the seeker's language above a text on their subject in another.
LANGUAGE_REFERENCE: tuple[tuple[str, str, str], ...] = (
    (
        "We develop sensors for monitoring bridges and tunnels.",
        "Мы разрабатываем датчики для мониторинга мостов и тоннелей.",
        "我们开发用于监测桥梁和隧道的传感器。",
    ),
    (
        "Our laboratory tests new building materials.",
        "Наша лаборатория испытывает новые строительные материалы.",
        "我们的实验室测试新型建筑材料。",
    ),
    (
        "We are looking for an investor for our startup.",
        "Мы ищем инвестора для нашего стартапа.",
        "我们正在为我们的初创企业寻找投资者。",
    ),
    (
        "The university trains engineers in robotics.",
        "Университет готовит инженеров в области робототехники.",
        "这所大学培养机器人领域的工程师。",
    ),
    (
        "We offer office space and a prototyping workshop.",
        "Мы предлагаем офисы и мастерскую для прототипирования.",
        "我们提供办公空间和原型制作车间。",
    ),
    (
        "Our software helps hospitals plan operations.",
        "Наше программное обеспечение помогает больницам планировать операции.",
        "我们的软件帮助医院安排手术。",
    ),
    (
        "We produce batteries for electric buses.",
        "Мы производим аккумуляторы для электробусов.",
        "我们生产电动公交车的电池。",
    ),
    (
        "The fund invests in agricultural technology.",
        "Фонд инвестирует в сельскохозяйственные технологии.",
        "该基金投资农业技术。",
    ),
    (
        "We need partners to enter the European market.",
        "Нам нужны партнёры для выхода на европейский рынок.",
        "我们需要合作伙伴进入欧洲市场。",
    ),
    (
        "Our team designs microchips for cameras.",
        "Наша команда проектирует микросхемы для камер.",
        "我们的团队为相机设计芯片。",
    ),
    (
        "We recycle plastic waste into building blocks.",
        "Мы перерабатываем пластиковые отходы в строительные блоки.",
        "我们把塑料垃圾回收制成建筑砌块。",
    ),
    (
        "The technology park hosts forty young companies.",
        "В технопарке работают сорок молодых компаний.",
        "科技园有四十家年轻公司入驻。",
    ),
    (
        "We provide mentoring for founders of startups.",
        "Мы наставляем основателей стартапов.",
        "我们为初创企业创始人提供辅导。",
    ),
    (
        "Our drones inspect power lines.",
        "Наши дроны проверяют линии электропередачи.",
        "我们的无人机检查输电线路。",
    ),
    (
        "We sell medical devices to clinics in Asia.",
        "Мы продаём медицинские приборы клиникам в Азии.",
        "我们向亚洲的诊所销售医疗设备。",
    ),
    (
        "The institute studies climate and water resources.",
        "Институт изучает климат и водные ресурсы.",
        "该研究所研究气候和水资源。",
    ),
    (
        "We are searching for a supplier of rare metals.",
        "Мы ищем поставщика редких металлов.",
        "我们正在寻找稀有金属供应商。",
    ),
    (
        "Our platform teaches programming to schoolchildren.",
        "Наша платформа учит школьников программированию.",
        "我们的平台教中小学生编程。",
    ),
    (
        "We build machine tools for the automotive industry.",
        "Мы выпускаем станки для автомобильной промышленности.",
        "我们为汽车工业制造机床。",
    ),
    (
        "The company grows vegetables in vertical farms.",
        "Компания выращивает овощи на вертикальных фермах.",
        "这家公司在垂直农场种植蔬菜。",
    ),
    (
        "We want to license our patent on water filters.",
        "Мы хотим лицензировать наш патент на фильтры для воды.",
        "我们希望许可我们的净水器专利。",
    ),
    (
        "Our centre offers access to an electron microscope.",
        "Наш центр предоставляет доступ к электронному микроскопу.",
        "我们的中心提供电子显微镜的使用。",
    ),
    (
        "We organize training in project management.",
        "Мы проводим обучение управлению проектами.",
        "我们组织项目管理培训。",
    ),
    (
        "The startup makes software for online shops.",
        "Стартап делает программы для интернет-магазинов.",
        "这家初创公司为网店开发软件。",
    ),
)
REFERENCE_LANGUAGES = ("en", "ru", "zh")
_reference_means: dict[str, dict[str, np.ndarray]] = {}


def _language_means(embedder: Any) -> dict[str, np.ndarray]:
    """The matching index's language centroids once it has calibrated them, else the means
    of the reference sentences ("" is the overall mean)."""
    from parkbridge.matching.calibration import centroids

    means = centroids()
    if means and len(next(iter(means.values()))) == embedder.dimension:
        return means
    if embedder.name not in _reference_means:
        sentences = [row[column] for row in LANGUAGE_REFERENCE for column in range(3)]
        raw = _raw_vectors(embedder, sentences)
        reference = {
            language: np.mean([raw[row[column]] for row in LANGUAGE_REFERENCE], axis=0)
            for column, language in enumerate(REFERENCE_LANGUAGES)
        }
        reference[""] = np.mean(list(reference.values()), axis=0)
        _reference_means[embedder.name] = {
            language: np.asarray(vector, dtype=np.float32) for language, vector in reference.items()
        }
    return _reference_means[embedder.name]


# (embedder, centroid languages, text, declared language) -> (passages, language): cutting and
# language detection cost more than the comparisons, so each text is read once per process.
_text_parts: OrderedDict[tuple[str, str, str, str], tuple[list[str], str]] = OrderedDict()


def _parts_of(
    embedder: Any, text: str, declared: str, means: dict[str, np.ndarray]
) -> tuple[list[str], str]:
    from parkbridge.matching.embedders import passages_of

    key = (embedder.name, ",".join(sorted(means)), text, declared)
    parts = _text_parts.get(key)
    if parts is None:
        passages = passages_of(embedder, text, limit=PASSAGES_PER_TEXT) if text else []
        parts = (passages, _text_language(text, declared, means))
        _text_parts[key] = parts
        while len(_text_parts) > VECTOR_CACHE_SIZE:
            _text_parts.popitem(last=False)
    return parts


def _profile_texts(texts: Sequence[tuple[str, str]]) -> list[_ProfileText]:
    """(text, declared language) pairs -> passages and centred vectors; embeds only the
    passages not embedded before."""
    from parkbridge.matching.calibration import centred

    embedder = _embedder()
    means = _language_means(embedder)
    parts = [_parts_of(embedder, text, declared, means) for text, declared in texts]
    found = _raw_vectors(embedder, (passage for passages, _l in parts for passage in passages))
    rows = [found[passage] for passages, _l in parts for passage in passages]
    languages = [language for passages, language in parts for _passage in passages]
    # One centring for all passages: per text it would cost more than the ranking.
    everything = (
        centred(np.vstack(rows), languages, means)
        if rows
        else np.zeros((0, embedder.dimension), dtype=np.float32)
    )
    result = []
    start = 0
    for passages, language in parts:
        result.append(_ProfileText(passages, language, everything[start : start + len(passages)]))
        start += len(passages)
    return result


def _text_language(text: str, declared: str, means: dict[str, np.ndarray]) -> str:
    """The language a text is written in (a profile may mix languages: a Russian speaker
    writing what they seek in English); when the centroids do not know it, the language of
    its script, whose centroid comes closest."""
    from parkbridge.matching.text import detect_script_language

    if not text.strip():
        return declared
    language = language_or_detected("", text)
    return language if language in means else detect_script_language(text)


@dataclass(frozen=True)
class Suggestion:
    """Someone to meet, and why: the passage of our text and of theirs that matched best."""

    participant: Participant
    score: float
    reason: str  # "offers": they offer what I seek; "seeks": they seek what I offer
    my_passage: str
    my_language: str
    their_passage: str
    their_language: str
    similarity: float


def suggestions_prepare(*, event: Event) -> int:
    """Embed the profiles of an event's participants that are not embedded yet (the first
    suggestions then come at once); returns the number of participants."""
    rows = list(
        Participant.objects.filter(event=event).values_list(
            "offering", "seeking", "profile_language"
        )
    )
    texts = [
        (text, language)
        for offering, seeking, language in rows
        for text in (offering, seeking)
        if text
    ]
    _profile_texts(texts)
    return len(rows)


def _prepare_suggestions_on_commit(participant: Participant) -> None:
    # Embedding follows the matching index's setting: on in a running site, off in tests.
    if not getattr(settings, "PARKBRIDGE_MATCHING_AUTO_INDEX", True):
        return
    texts = [
        (text, participant.profile_language)
        for text in (participant.offering, participant.seeking)
        if text
    ]

    def prepare() -> None:
        try:
            _profile_texts(texts)
        except Exception:
            logger.exception("Embedding a brokerage profile failed")

    if texts:
        transaction.on_commit(prepare)


def _best_pair(mine: _ProfileText, theirs: _ProfileText) -> tuple[float, int, int]:
    if not len(mine.vectors) or not len(theirs.vectors):
        return -1.0, -1, -1
    similarities = mine.vectors @ theirs.vectors.T
    position = int(np.argmax(similarities))
    row, column = divmod(position, similarities.shape[1])
    return float(similarities[row, column]), row, column


def suggestions_for(
    *, viewer: Any, participant: Participant, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The other participants whose offer best answers what `participant` seeks (and, with a
    smaller weight, who seek what they offer), in any language; without people of their own
    organization or anyone they already asked or were asked by."""
    if not acts_for(viewer, participant):
        raise PermissionDenied(_("Suggestions are for the participant themself."))
    if not (participant.seeking or participant.offering):
        return []
    in_contact = set()
    for requester_id, invitee_id in MeetingRequest.objects.filter(
        Q(requester=participant) | Q(invitee=participant), status__in=LIVE_STATUSES
    ).values_list("requester_id", "invitee_id"):
        in_contact |= {requester_id, invitee_id}
    # Plain rows: the objects are loaded for the few suggested, not for the hundreds compared.
    others = [
        (pk, offering, seeking, language)
        for pk, organization_id, offering, seeking, language in Participant.objects.filter(
            event_id=participant.event_id
        )
        .exclude(pk=participant.pk)
        .order_by("pk")
        .values_list("pk", "organization_id", "offering", "seeking", "profile_language")
        if pk not in in_contact
        and not (
            participant.organization_id is not None
            and organization_id == participant.organization_id
        )
        and (offering or seeking)
    ]
    if not others:
        return []
    texts = [
        (participant.seeking, participant.profile_language),
        (participant.offering, participant.profile_language),
    ]
    for _pk, offering, seeking, language in others:
        texts.append((offering, language))
        texts.append((seeking, language))
    profiles = _profile_texts(texts)
    my_seeking, my_offering = profiles[0], profiles[1]
    candidates: list[tuple[float, int, dict[str, Any]]] = []
    for index, (pk, *_texts) in enumerate(others):
        their_offering, their_seeking = profiles[2 + 2 * index], profiles[3 + 2 * index]
        forward = _best_pair(my_seeking, their_offering)
        backward = _best_pair(my_offering, their_seeking)
        if forward[1] < 0 and backward[1] < 0:
            continue
        if forward[1] >= 0 and backward[1] >= 0:
            score = 0.8 * forward[0] + 0.2 * backward[0]
        else:
            score = forward[0] if forward[1] >= 0 else backward[0]
        if forward[1] >= 0:
            reason, similarity, mine, theirs = "offers", forward[0], my_seeking, their_offering
            row, column = forward[1], forward[2]
        else:
            reason, similarity, mine, theirs = "seeks", backward[0], my_offering, their_seeking
            row, column = backward[1], backward[2]
        candidates.append(
            (
                score,
                pk,
                {
                    "score": score,
                    "reason": reason,
                    "my_passage": mine.passages[row],
                    "my_language": mine.language,
                    "their_passage": theirs.passages[column],
                    "their_language": theirs.language,
                    "similarity": similarity,
                },
            )
        )
    # Centred vectors put unrelated texts around zero: those are no reason to meet.
    candidates = [item for item in candidates if item[0] > 0]
    candidates.sort(key=lambda item: (-item[0], item[1]))
    # Among many, only those closer than the average are worth a meeting.
    if len(candidates) >= 2 * limit:
        mean = float(np.mean([item[0] for item in candidates]))
        candidates = [item for item in candidates if item[0] > mean]
    best = candidates[:limit]
    objects = _participants(participant.event).in_bulk([pk for _score, pk, _found in best])
    return [Suggestion(participant=objects[pk], **found) for _score, pk, found in best]
