"""Brokerage endpoints: registration, the participants directory, meeting requests, personal
agendas, and the organizers' slots, scheduler and schedule. The same rules as the pages:
events the caller may not see answer 404, forbidden actions 401/403, broken rules 400."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from parkbridge.core.api import ApiRequest
from parkbridge.events import brokerage
from parkbridge.events.calendar import calendar_response
from parkbridge.events.models import Event, MeetingRequest, MeetingSlot, Participant, ScheduleRun
from parkbridge.registry.models import Organization, Person

router = Router(tags=["brokerage"])

PREFIX = "/events/{slug}/brokerage"


# --- Schemas -----------------------------------------------------------------------------


class BrokerageOut(Schema):
    event: str
    title: str
    registration_open: bool
    requests_open: bool
    meeting_minutes: int
    tables: int
    default_meeting_limit: int
    participants: int
    slots: int
    requests: dict[str, int] = Field(..., description="meeting requests by status")
    meetings: int
    announced: int
    me: int | None = Field(None, description="the caller's participant id, if registered")
    is_organizer: bool


class SettingsPatch(Schema):
    meeting_minutes: int | None = Field(None, ge=5)
    tables: int | None = Field(None, ge=1)
    default_meeting_limit: int | None = Field(None, ge=1)
    registration_open: bool | None = None
    requests_open: bool | None = None


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class BreakIn(Schema):
    start: datetime.time
    end: datetime.time


class SlotsIn(Schema):
    day: datetime.date
    start: datetime.time = Field(..., description="the first meeting starts (server time zone)")
    end: datetime.time = Field(..., description="the last meeting ends by then")
    breaks: list[BreakIn] = Field(default_factory=list)


class ParticipantOut(Schema):
    id: int
    person: str
    name: str
    organization: str | None
    organization_name: str | None
    position: str
    offering: str
    seeking: str
    profile_language: str
    meeting_limit: int | None = Field(None, description="only for the participant and organizers")
    available_slots: list[int] | None = Field(
        None, description="slot ids; only for the participant and organizers"
    )

    @staticmethod
    def resolve_person(obj: Participant) -> str:
        return obj.person.slug

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.person.display_name

    @staticmethod
    def resolve_organization(obj: Participant) -> str | None:
        return obj.organization.slug if obj.organization else None

    @staticmethod
    def resolve_organization_name(obj: Participant) -> str | None:
        return obj.organization.display_name if obj.organization else None

    @staticmethod
    def resolve_meeting_limit(obj: Participant, context: dict[str, Any]) -> int | None:
        if not _sees_private(context["request"], obj):
            return None
        return obj.effective_meeting_limit

    @staticmethod
    def resolve_available_slots(obj: Participant, context: dict[str, Any]) -> list[int] | None:
        if not _sees_private(context["request"], obj):
            return None
        return sorted(slot.pk for slot in obj.available_slots.all())


def _sees_private(request: Any, participant: Participant) -> bool:
    """The participant and the organizers see availability and limits (the organizer check
    is made once per request, not once per row of the directory)."""
    user = request.auth
    if not user.is_authenticated:
        return False
    if participant.person.user_id == user.pk:
        return True
    known: dict[int, bool] = request.__dict__.setdefault("_brokerage_organizer_of", {})
    if participant.event_id not in known:
        known[participant.event_id] = brokerage.is_organizer(user, participant.event)
    return known[participant.event_id]


class ParticipantIn(Schema):
    person: str | None = Field(
        None, description="person slug; organizers register others, by default yourself"
    )
    organization: str | None = Field(None, description="organization slug")
    position: str = ""
    offering: str = ""
    seeking: str = ""
    profile_language: str = Field("", description="ISO 639-1; detected when empty")
    available_slots: list[int] | None = Field(None, description="slot ids; default: all")
    meeting_limit: int | None = Field(None, ge=1, description="default: the event's")


class ParticipantPatch(Schema):
    organization: str | None = None
    position: str | None = None
    offering: str | None = None
    seeking: str | None = None
    profile_language: str | None = None
    available_slots: list[int] | None = None
    meeting_limit: int | None = Field(None, ge=1)


class MeetingOut(Schema):
    slot: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    table: int
    announced: bool


class RequestOut(Schema):
    id: int
    requester: int
    requester_name: str
    invitee: int
    invitee_name: str
    message: str
    priority: int
    status: str
    created_at: datetime.datetime
    answered_at: datetime.datetime | None
    meeting: MeetingOut | None

    @staticmethod
    def resolve_requester(obj: MeetingRequest) -> int:
        return obj.requester_id

    @staticmethod
    def resolve_invitee(obj: MeetingRequest) -> int:
        return obj.invitee_id

    @staticmethod
    def resolve_requester_name(obj: MeetingRequest) -> str:
        return obj.requester.person.display_name

    @staticmethod
    def resolve_invitee_name(obj: MeetingRequest) -> str:
        return obj.invitee.person.display_name

    @staticmethod
    def resolve_meeting(obj: MeetingRequest) -> dict[str, Any] | None:
        meeting = getattr(obj, "meeting", None)
        if meeting is None:
            return None
        return {
            "slot": meeting.slot_id,
            "starts_at": meeting.slot.starts_at,
            "ends_at": meeting.slot.ends_at,
            "table": meeting.table,
            "announced": meeting.announced_at is not None,
        }


class RequestsOut(Schema):
    received: list[RequestOut]
    sent: list[RequestOut]


class RequestIn(Schema):
    invitee: int = Field(..., description="participant id")
    message: str = ""
    priority: int = Field(1, ge=0, le=2, description="0 low, 1 normal, 2 high")
    requester: int | None = Field(
        None, description="participant id; organizers send for others, by default yourself"
    )


class AnswerIn(Schema):
    accept: bool


class AgendaMeetingOut(Schema):
    uid: str
    request: int
    slot: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    table: int
    announced: bool
    counterpart: int
    counterpart_name: str
    counterpart_organization: str | None


class SuggestionOut(Schema):
    participant: int
    name: str
    organization: str | None
    score: float
    reason: str = Field(..., description="offers: they offer what you seek; seeks: the reverse")
    my_passage: str
    my_language: str
    their_passage: str
    their_language: str


class ScheduleRunIn(Schema):
    time_limit_s: float = Field(brokerage.DEFAULT_TIME_LIMIT_S, gt=0, le=brokerage.MAX_TIME_LIMIT_S)


class ScheduleRunOut(Schema):
    id: int
    method: str
    status: str
    requests: int = Field(..., description="pairs with an accepted request")
    scheduled: int
    upper_bound: int | None
    kept: int = Field(..., description="announced meetings kept at their slot and table")
    seconds: float
    ran_at: datetime.datetime


class AnnounceOut(Schema):
    announced: int


class GridMeetingOut(Schema):
    table: int
    request: int
    requester: int
    requester_name: str
    invitee: int
    invitee_name: str
    announced: bool


class GridSlotOut(Schema):
    slot: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    meetings: list[GridMeetingOut]


class GridOut(Schema):
    tables: int
    slots: list[GridSlotOut]
    unscheduled: list[int] = Field(..., description="accepted requests without a meeting")


# --- Helpers -----------------------------------------------------------------------------


def _event(request: ApiRequest, slug: str) -> Event:
    return brokerage.brokerage_event_get(viewer=request.auth, slug=slug)


def _participant(request: ApiRequest, event: Event, pk: int) -> Participant:
    if not request.auth.is_authenticated:
        raise PermissionDenied("Sign in to see the participants.")
    return brokerage.participant_get(viewer=request.auth, event=event, pk=pk)


def _me(request: ApiRequest, event: Event) -> Participant:
    me = brokerage.participant_of(event=event, user=request.auth)
    if me is None:
        if not request.auth.is_authenticated:
            raise PermissionDenied("Sign in first.")
        raise ValidationError("You are not registered for this event.")
    return me


def _for_participant(request: ApiRequest, event: Event, pk: int | None) -> Participant:
    """The caller's participation, or the one named (the participant or organizers only)."""
    if pk is None:
        return _me(request, event)
    participant = _participant(request, event, pk)
    if not brokerage.acts_for(request.auth, participant):
        raise PermissionDenied("Only the participant and the organizers may do this.")
    return participant


def _organization(slug: str | None) -> Organization | None:
    if not slug:
        return None
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({"organization": f"No organization {slug!r}."})
    return organization


def _slots(event: Event, ids: list[int] | None) -> list[MeetingSlot] | None:
    if ids is None:
        return None
    slots = list(MeetingSlot.objects.filter(event=event, pk__in=ids))
    if len(slots) != len(set(ids)):
        raise ValidationError({"available_slots": "Unknown slot ids for this event."})
    return slots


def _request_out(pk: int) -> MeetingRequest:
    return MeetingRequest.objects.select_related(
        "requester__person", "invitee__person", "meeting__slot"
    ).get(pk=pk)


def _participant_out(pk: int) -> Participant:
    return (
        Participant.objects.select_related("person", "organization", "event", "event__host")
        .prefetch_related("available_slots")
        .get(pk=pk)
    )


# --- Event, settings and slots -----------------------------------------------------------


@router.get(PREFIX, response=BrokerageOut, summary="A brokerage event: settings and counts")
def brokerage_detail(request: ApiRequest, slug: str) -> Any:
    event = _event(request, slug)
    summary = brokerage.brokerage_summary(event=event, viewer=request.auth)
    return {
        "event": event.slug,
        "title": event.title,
        "registration_open": event.registration_open,
        "requests_open": event.requests_open,
        "meeting_minutes": event.meeting_minutes,
        "tables": event.tables,
        "default_meeting_limit": event.default_meeting_limit,
        "participants": summary.participants,
        "slots": summary.slots,
        "requests": summary.requests,
        "meetings": summary.meetings,
        "announced": summary.announced,
        "me": summary.me.pk if summary.me else None,
        "is_organizer": summary.is_organizer,
    }


@router.patch(PREFIX, response=BrokerageOut, summary="Change the brokerage settings (organizers)")
def brokerage_settings(request: ApiRequest, slug: str, payload: SettingsPatch) -> Any:
    event = _event(request, slug)
    brokerage.brokerage_settings_update(
        actor=request.auth, event=event, **payload.dict(exclude_unset=True)
    )
    return brokerage_detail(request, slug)


@router.get(f"{PREFIX}/slots", response=list[SlotOut], summary="The meeting slots")
def slot_list(request: ApiRequest, slug: str) -> Any:
    return brokerage.slot_list(event=_event(request, slug))


@router.post(
    f"{PREFIX}/slots", response={201: list[SlotOut]}, summary="Add slots for a day (organizers)"
)
def slots_generate(request: ApiRequest, slug: str, payload: SlotsIn) -> Any:
    event = _event(request, slug)
    created = brokerage.slots_generate(
        actor=request.auth,
        event=event,
        day=payload.day,
        start=payload.start,
        end=payload.end,
        breaks=[(pause.start, pause.end) for pause in payload.breaks],
    )
    return Status(201, created)


# --- Participants ------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/participants",
    response=list[ParticipantOut],
    summary="The participants directory (signed-in users who may see the event)",
)
def participant_list(request: ApiRequest, slug: str, q: str = "") -> Any:
    event = _event(request, slug)
    if not request.auth.is_authenticated:
        raise PermissionDenied("Sign in to see the participants.")
    return brokerage.participant_list(viewer=request.auth, event=event, query=q).prefetch_related(
        "available_slots"
    )


@router.post(
    f"{PREFIX}/participants",
    response={201: ParticipantOut},
    summary="Register yourself (or, for organizers, someone else)",
)
def participant_register(request: ApiRequest, slug: str, payload: ParticipantIn) -> Any:
    event = _event(request, slug)
    person = None
    if payload.person:
        person = Person.objects.filter(slug=payload.person).first()
        if person is None:
            raise ValidationError({"person": f"No person {payload.person!r}."})
    participant = brokerage.participant_register(
        actor=request.auth,
        event=event,
        person=person,
        organization=_organization(payload.organization),
        position=payload.position,
        offering=payload.offering,
        seeking=payload.seeking,
        profile_language=payload.profile_language,
        available_slots=_slots(event, payload.available_slots),
        meeting_limit=payload.meeting_limit,
    )
    return Status(201, _participant_out(participant.pk))


@router.get(f"{PREFIX}/participants/{{pk}}", response=ParticipantOut, summary="One participant")
def participant_detail(request: ApiRequest, slug: str, pk: int) -> Any:
    event = _event(request, slug)
    return _participant_out(_participant(request, event, pk).pk)


@router.patch(
    f"{PREFIX}/participants/{{pk}}",
    response=ParticipantOut,
    summary="Change a profile, availability or limit (the participant or organizers)",
)
def participant_update(request: ApiRequest, slug: str, pk: int, payload: ParticipantPatch) -> Any:
    event = _event(request, slug)
    participant = _participant(request, event, pk)
    values = payload.dict(exclude_unset=True)
    if "organization" in values:
        values["organization"] = _organization(values["organization"])
    if "available_slots" in values:
        values["available_slots"] = _slots(event, values["available_slots"]) or []
    brokerage.participant_update(actor=request.auth, participant=participant, **values)
    return _participant_out(participant.pk)


@router.get(
    f"{PREFIX}/suggestions",
    response=list[SuggestionOut],
    summary="Whom to meet: participants whose profile answers yours, in any language",
)
def suggestion_list(request: ApiRequest, slug: str, participant: int | None = None) -> Any:
    event = _event(request, slug)
    me = _for_participant(request, event, participant)
    return [
        {
            "participant": found.participant.pk,
            "name": found.participant.person.display_name,
            "organization": (
                found.participant.organization.display_name
                if found.participant.organization
                else None
            ),
            "score": round(found.score, 4),
            "reason": found.reason,
            "my_passage": found.my_passage,
            "my_language": found.my_language,
            "their_passage": found.their_passage,
            "their_language": found.their_language,
        }
        for found in brokerage.suggestions_for(viewer=request.auth, participant=me)
    ]


# --- Meeting requests --------------------------------------------------------------------


@router.get(
    f"{PREFIX}/requests",
    response=RequestsOut,
    summary="Your requests, received and sent (organizers: ?participant=id for anyone's)",
)
def request_list(request: ApiRequest, slug: str, participant: int | None = None) -> Any:
    event = _event(request, slug)
    lists = brokerage.meeting_requests_of(participant=_for_participant(request, event, participant))
    return {"received": lists.received, "sent": lists.sent}


@router.post(f"{PREFIX}/requests", response={201: RequestOut}, summary="Request a meeting")
def request_send(request: ApiRequest, slug: str, payload: RequestIn) -> Any:
    event = _event(request, slug)
    requester = _for_participant(request, event, payload.requester)
    try:
        invitee = _participant(request, event, payload.invitee)
    except Participant.DoesNotExist as error:
        raise ValidationError({"invitee": "No such participant at this event."}) from error
    created = brokerage.meeting_request_send(
        actor=request.auth,
        requester=requester,
        invitee=invitee,
        message=payload.message,
        priority=payload.priority,
    )
    return Status(201, _request_out(created.pk))


@router.post(
    f"{PREFIX}/requests/{{pk}}/answer",
    response=RequestOut,
    summary="Accept or decline a request you received",
)
def request_answer(request: ApiRequest, slug: str, pk: int, payload: AnswerIn) -> Any:
    event = _event(request, slug)
    meeting_request = brokerage.meeting_request_get(viewer=request.auth, event=event, pk=pk)
    brokerage.meeting_request_answer(
        actor=request.auth, request=meeting_request, accept=payload.accept
    )
    return _request_out(pk)


@router.post(
    f"{PREFIX}/requests/{{pk}}/cancel",
    response=RequestOut,
    summary="Withdraw a request or call off a meeting (either side)",
)
def request_cancel(request: ApiRequest, slug: str, pk: int) -> Any:
    event = _event(request, slug)
    meeting_request = brokerage.meeting_request_get(viewer=request.auth, event=event, pk=pk)
    brokerage.meeting_request_cancel(actor=request.auth, request=meeting_request)
    return _request_out(pk)


# --- Agenda ------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/agenda",
    response=list[AgendaMeetingOut],
    summary="Your meetings in time order (organizers: ?participant=id for anyone's)",
)
def agenda(request: ApiRequest, slug: str, participant: int | None = None) -> Any:
    event = _event(request, slug)
    items = brokerage.agenda(
        viewer=request.auth, participant=_for_participant(request, event, participant)
    )
    return [
        {
            "uid": item.uid,
            "request": item.request.pk,
            "slot": item.slot.pk,
            "starts_at": item.slot.starts_at,
            "ends_at": item.slot.ends_at,
            "table": item.table,
            "announced": item.announced,
            "counterpart": item.counterpart.pk,
            "counterpart_name": item.counterpart.person.display_name,
            "counterpart_organization": (
                organization.display_name
                if (organization := item.counterpart.organization)
                else None
            ),
        }
        for item in items
    ]


@router.get(f"{PREFIX}/agenda.ics", summary="Your meetings as an iCalendar file")
def agenda_ics(request: ApiRequest, slug: str, participant: int | None = None) -> HttpResponse:
    event = _event(request, slug)
    items = brokerage.agenda(
        viewer=request.auth, participant=_for_participant(request, event, participant)
    )
    return calendar_response(
        brokerage.agenda_entries(items, event),
        name=event.title,
        filename=f"{event.slug}-meetings.ics",
    )


# --- The schedule (organizers) -----------------------------------------------------------


@router.post(
    f"{PREFIX}/schedule/run",
    response={201: ScheduleRunOut},
    summary="Run the scheduler: accepted requests into slots and tables (organizers)",
)
def schedule_run(request: ApiRequest, slug: str, payload: ScheduleRunIn) -> Any:
    event = _event(request, slug)
    run = brokerage.schedule_run(actor=request.auth, event=event, time_limit_s=payload.time_limit_s)
    return Status(201, run)


@router.get(
    f"{PREFIX}/schedule/runs",
    response=list[ScheduleRunOut],
    summary="Earlier scheduler runs, newest first (organizers)",
)
def schedule_run_list(request: ApiRequest, slug: str) -> Any:
    event = _event(request, slug)
    runs: list[ScheduleRun] = list(brokerage.schedule_run_list(viewer=request.auth, event=event))
    return runs


@router.post(
    f"{PREFIX}/schedule/announce",
    response=AnnounceOut,
    summary="Announce the meetings not announced yet (organizers)",
)
def schedule_announce(request: ApiRequest, slug: str) -> Any:
    event = _event(request, slug)
    return {"announced": brokerage.schedule_announce(actor=request.auth, event=event)}


@router.get(
    f"{PREFIX}/schedule",
    response=GridOut,
    summary="The schedule: every slot with its meetings by table (organizers)",
)
def schedule_grid(request: ApiRequest, slug: str) -> Any:
    event = _event(request, slug)
    grid = brokerage.schedule_grid(viewer=request.auth, event=event)
    return {
        "tables": len(grid.tables),
        "slots": [
            {
                "slot": row.slot.pk,
                "starts_at": row.slot.starts_at,
                "ends_at": row.slot.ends_at,
                "meetings": [
                    {
                        "table": cell.table,
                        "request": cell.meeting.request_id,
                        "requester": cell.meeting.request.requester_id,
                        "requester_name": cell.meeting.request.requester.person.display_name,
                        "invitee": cell.meeting.request.invitee_id,
                        "invitee_name": cell.meeting.request.invitee.person.display_name,
                        "announced": cell.meeting.announced_at is not None,
                    }
                    for cell in row.cells
                    if cell.meeting is not None
                ],
            }
            for row in grid.rows
        ],
        "unscheduled": [item.pk for item in grid.unscheduled],
    }
