"""Event endpoints, with the same confidentiality and editing rules as the pages."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from parkbridge.core.api import ApiRequest
from parkbridge.core.models import Confidentiality
from parkbridge.events import selectors, services
from parkbridge.events.calendar import CalendarEntry, calendar_response
from parkbridge.events.models import (
    AgendaItem,
    Event,
    EventKind,
    Outcome,
    Participant,
    ParticipantRole,
)
from parkbridge.events.selectors import OutcomeView
from parkbridge.offers.models import Offer
from parkbridge.offers.selectors import offer_get
from parkbridge.portfolio.models import Project
from parkbridge.portfolio.selectors import project_get
from parkbridge.registry.models import Organization, Person

router = Router(tags=["events"])


# Schemas ---------------------------------------------------------------------------------------


class ParticipantOut(Schema):
    id: int
    person: str = Field(..., description="person slug")
    name: str
    organization: str | None = Field(None, description="organization slug")
    role: str
    position: str

    @staticmethod
    def resolve_person(obj: Participant) -> str:
        return obj.person.slug

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.person.display_name

    @staticmethod
    def resolve_organization(obj: Participant) -> str | None:
        return obj.organization.slug if obj.organization else None


class AgendaItemOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    title: str
    details: str
    speaker: str | None = Field(None, description="person slug")

    @staticmethod
    def resolve_speaker(obj: AgendaItem) -> str | None:
        return obj.speaker.slug if obj.speaker else None


class OutcomeOut(Schema):
    id: int
    text: str
    position: int
    has_task: bool
    has_cooperation: bool
    task: int | None = Field(None, description="only for members of the task's organization")
    cooperation: int | None = Field(None, description="only for the cooperation's parties")

    @staticmethod
    def resolve_id(obj: OutcomeView) -> int:
        return obj.outcome.pk

    @staticmethod
    def resolve_text(obj: OutcomeView) -> str:
        return obj.outcome.text

    @staticmethod
    def resolve_position(obj: OutcomeView) -> int:
        return obj.outcome.position

    @staticmethod
    def resolve_task(obj: OutcomeView) -> int | None:
        return obj.task.pk if obj.task else None

    @staticmethod
    def resolve_cooperation(obj: OutcomeView) -> int | None:
        return obj.cooperation.pk if obj.cooperation else None


class EventOut(Schema):
    slug: str
    kind: str
    title: str
    description: str
    language: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    city: str
    country: str
    host: str = Field(..., description="organization slug")
    visiting_organizations: list[str]
    confidentiality: str
    url: str
    ics_url: str

    @staticmethod
    def resolve_country(obj: Event) -> str:
        return str(obj.country.code) if obj.country else ""

    @staticmethod
    def resolve_host(obj: Event) -> str:
        return obj.host.slug

    @staticmethod
    def resolve_visiting_organizations(obj: Event) -> list[str]:
        return [organization.slug for organization in obj.visiting_organizations.all()]

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_ics_url(obj: Event) -> str:
        return f"/api/v1/events/{obj.slug}/event.ics"


class EventDetailOut(EventOut):
    minutes: str
    minutes_language: str
    can_edit: bool
    participants: list[ParticipantOut]
    agenda: list[AgendaItemOut]
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_can_edit(obj: Event, context: dict[str, Any]) -> bool:
        return services.can_edit_event(context["request"].auth, obj)

    @staticmethod
    def resolve_participants(obj: Event) -> list[Participant]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_agenda(obj: Event) -> list[AgendaItem]:
        return list(obj.agenda.all())

    @staticmethod
    def resolve_outcomes(obj: Event, context: dict[str, Any]) -> list[OutcomeView]:
        return selectors.outcome_views(viewer=context["request"].auth, event=obj)


class EventIn(Schema):
    kind: EventKind
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    language: str = Field("", description="ISO 639-1; detected from the text when empty")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = ""
    city: str = ""
    country: str = Field("", description="ISO 3166-1 alpha-2")
    host: str = Field(..., description="organization slug")
    visiting_organizations: list[str] = Field(default_factory=list)
    confidentiality: Confidentiality = Confidentiality.NETWORK


class EventPatch(Schema):
    kind: EventKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    language: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    place: str | None = None
    city: str | None = None
    country: str | None = None
    host: str | None = None
    visiting_organizations: list[str] | None = None
    confidentiality: Confidentiality | None = None


class EventFilterParams(Schema):
    q: str = ""
    kind: EventKind | None = None
    organization: str = Field("", description="slug of the host or a visiting organization")
    when: str = Field("", pattern="^(|upcoming|past)$", description="upcoming, past or empty")
    person: str = Field("", description="slug of a participant")


class ParticipantIn(Schema):
    person: str = Field(..., min_length=1, description="person slug")
    organization: str | None = Field(None, description="organization slug; default: primary")
    role: ParticipantRole = ParticipantRole.ATTENDEE
    position: str = ""


class AgendaItemIn(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    title: str = Field(..., min_length=1, max_length=300)
    details: str = ""
    speaker: str | None = Field(None, description="person slug")


class AgendaItemPatch(Schema):
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    details: str | None = None
    speaker: str | None = None


class MinutesIn(Schema):
    text: str
    language: str = Field("", description="ISO 639-1; detected when empty")


class OutcomeIn(Schema):
    text: str = Field(..., min_length=1)
    position: int | None = Field(None, ge=0)


class OutcomePatch(Schema):
    text: str | None = Field(None, min_length=1)
    position: int | None = Field(None, ge=0)


class OutcomeTaskIn(Schema):
    organization: str | None = Field(None, description="organization slug; default: the host")
    assignee: str | None = Field(None, description="e-mail of a member of that organization")
    due_on: datetime.date | None = None
    title: str = Field("", max_length=300, description="default: the outcome's first line")


class TaskOut(Schema):
    id: int
    title: str
    details: str
    organization: str
    assignee: str | None
    due_on: datetime.date | None
    cooperation: int | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)

    @staticmethod
    def resolve_assignee(obj: Any) -> str | None:
        return obj.assignee.email if obj.assignee else None

    @staticmethod
    def resolve_cooperation(obj: Any) -> int | None:
        return obj.cooperation_id


class OutcomeCooperationIn(Schema):
    organizations: list[str] | None = Field(
        None, description="organization slugs; default: the host and the visitors"
    )
    title: str = Field("", max_length=300, description="default: the outcome's first line")
    description: str = ""
    project: str | None = Field(None, description="project slug")
    offer: str | None = Field(None, description="offer slug")


class CooperationOut(Schema):
    id: int
    title: str
    stage: str
    source: str
    organizations: list[str]

    @staticmethod
    def resolve_organizations(obj: Any) -> list[str]:
        return [organization.slug for organization in obj.organizations.all()]


class CalendarEntryOut(Schema):
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str
    description: str
    url: str


# Helpers ---------------------------------------------------------------------------------------


def _organization(slug: str, field: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({field: f"No organization {slug!r}."})
    return organization


def _person(slug: str | None, field: str) -> Person | None:
    if not slug:
        return None
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        raise ValidationError({field: f"No person {slug!r}."})
    return person


def _event_values(data: dict[str, Any]) -> tuple[dict[str, Any], list[Organization] | None]:
    visitors = data.pop("visiting_organizations", None)
    organizations = (
        [_organization(slug, "visiting_organizations") for slug in visitors]
        if visitors is not None
        else None
    )
    if data.get("host"):
        data["host"] = _organization(data["host"], "host")
    else:
        data.pop("host", None)
    for field in ("description", "language", "place", "city", "country"):
        if field in data and data[field] is None:
            data[field] = ""  # null in a PATCH clears a text
    if data.get("country"):
        data["country"] = data["country"].upper()
    for field in ("kind", "confidentiality"):
        if data.get(field) is not None:
            data[field] = str(data[field])
    return data, organizations


def _event(request: ApiRequest, slug: str) -> Event:
    return selectors.event_get(viewer=request.auth, slug=slug)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# Events ----------------------------------------------------------------------------------------


@router.get("/events", response=list[EventOut], summary="List events you may see")
@paginate(PageNumberPagination, page_size=20)
def event_list(request: ApiRequest, filters: Query[EventFilterParams]) -> Any:
    return selectors.event_list(
        viewer=request.auth,
        filters=selectors.EventFilters(
            query=filters.q,
            kind=str(filters.kind or ""),
            organization=filters.organization,
            when=filters.when,
            person=filters.person,
        ),
    )


@router.get("/events/{slug}", response=EventDetailOut, summary="One event, with its agenda")
def event_detail(request: ApiRequest, slug: str) -> Any:
    return _event(request, slug)


@router.post("/events", response={201: EventDetailOut}, summary="Record an event")
def event_create(request: ApiRequest, payload: EventIn) -> Any:
    data, visitors = _event_values(payload.dict())
    host = data.pop("host")
    event = services.event_create(
        actor=request.auth, host=host, visiting_organizations=visitors or [], **data
    )
    return Status(201, _event(request, event.slug))


@router.patch("/events/{slug}", response=EventDetailOut, summary="Change an event")
def event_update(request: ApiRequest, slug: str, payload: EventPatch) -> Any:
    event = _event(request, slug)
    data, visitors = _event_values(payload.dict(exclude_unset=True))
    services.event_update(actor=request.auth, event=event, visiting_organizations=visitors, **data)
    return _event(request, slug)


@router.delete("/events/{slug}", response={204: None}, summary="Delete an event")
def event_delete(request: ApiRequest, slug: str) -> Any:
    services.event_delete(actor=request.auth, event=_event(request, slug))
    return Status(204, None)


@router.get("/events/{slug}/event.ics", summary="The event and its agenda as iCalendar")
def event_ics(request: ApiRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    entries = selectors.event_calendar_entries(event, base_url=_base_url(request))
    return calendar_response(entries, name=event.title, filename=f"{event.slug}.ics")


# Participants ----------------------------------------------------------------------------------


@router.get("/events/{slug}/participants", response=list[ParticipantOut], summary="Who takes part")
def participant_list(request: ApiRequest, slug: str) -> Any:
    return list(_event(request, slug).participants.all())


@router.post(
    "/events/{slug}/participants", response={201: ParticipantOut}, summary="Add a participant"
)
def participant_add(request: ApiRequest, slug: str, payload: ParticipantIn) -> Any:
    event = _event(request, slug)
    participant = services.participant_add(
        actor=request.auth,
        event=event,
        person=_person(payload.person, "person"),  # type: ignore[arg-type]
        organization=(
            _organization(payload.organization, "organization") if payload.organization else None
        ),
        role=str(payload.role),
        position=payload.position,
    )
    return Status(201, participant)


@router.delete(
    "/events/{slug}/participants/{participant_id}",
    response={204: None},
    summary="Remove a participant",
)
def participant_remove(request: ApiRequest, slug: str, participant_id: int) -> Any:
    event = _event(request, slug)
    participant = get_object_or_404(Participant, pk=participant_id, event=event)
    services.participant_remove(actor=request.auth, participant=participant)
    return Status(204, None)


# Agenda ----------------------------------------------------------------------------------------


@router.get("/events/{slug}/agenda", response=list[AgendaItemOut], summary="The agenda")
def agenda_list(request: ApiRequest, slug: str) -> Any:
    return list(_event(request, slug).agenda.all())


@router.post("/events/{slug}/agenda", response={201: AgendaItemOut}, summary="Add an agenda item")
def agenda_item_add(request: ApiRequest, slug: str, payload: AgendaItemIn) -> Any:
    event = _event(request, slug)
    data = payload.dict()
    data["speaker"] = _person(data.get("speaker"), "speaker")
    return Status(201, services.agenda_item_add(actor=request.auth, event=event, **data))


@router.patch(
    "/events/{slug}/agenda/{item_id}", response=AgendaItemOut, summary="Change an agenda item"
)
def agenda_item_update(
    request: ApiRequest, slug: str, item_id: int, payload: AgendaItemPatch
) -> Any:
    event = _event(request, slug)
    item = get_object_or_404(AgendaItem, pk=item_id, event=event)
    data = payload.dict(exclude_unset=True)
    if "speaker" in data:
        data["speaker"] = _person(data["speaker"], "speaker")
    return services.agenda_item_update(actor=request.auth, item=item, **data)


@router.delete(
    "/events/{slug}/agenda/{item_id}", response={204: None}, summary="Remove an agenda item"
)
def agenda_item_delete(request: ApiRequest, slug: str, item_id: int) -> Any:
    event = _event(request, slug)
    item = get_object_or_404(AgendaItem, pk=item_id, event=event)
    services.agenda_item_delete(actor=request.auth, item=item)
    return Status(204, None)


# Minutes and outcomes --------------------------------------------------------------------------


@router.put("/events/{slug}/minutes", response=EventDetailOut, summary="Write the minutes")
def minutes_save(request: ApiRequest, slug: str, payload: MinutesIn) -> Any:
    event = _event(request, slug)
    services.minutes_save(
        actor=request.auth, event=event, text=payload.text, language=payload.language
    )
    return _event(request, slug)


def _outcome_view(request: ApiRequest, outcome: Outcome) -> OutcomeView:
    views = selectors.outcome_views(viewer=request.auth, event=outcome.event)
    return next(view for view in views if view.outcome.pk == outcome.pk)


@router.get("/events/{slug}/outcomes", response=list[OutcomeOut], summary="What was agreed")
def outcome_list(request: ApiRequest, slug: str) -> Any:
    return selectors.outcome_views(viewer=request.auth, event=_event(request, slug))


@router.post("/events/{slug}/outcomes", response={201: OutcomeOut}, summary="Add an outcome")
def outcome_add(request: ApiRequest, slug: str, payload: OutcomeIn) -> Any:
    event = _event(request, slug)
    outcome = services.outcome_add(
        actor=request.auth, event=event, text=payload.text, position=payload.position
    )
    return Status(201, _outcome_view(request, outcome))


def _outcome(request: ApiRequest, slug: str, outcome_id: int) -> Outcome:
    event = _event(request, slug)
    return get_object_or_404(Outcome.objects.select_related("event"), pk=outcome_id, event=event)


@router.patch(
    "/events/{slug}/outcomes/{outcome_id}", response=OutcomeOut, summary="Change an outcome"
)
def outcome_update(request: ApiRequest, slug: str, outcome_id: int, payload: OutcomePatch) -> Any:
    outcome = _outcome(request, slug, outcome_id)
    services.outcome_update(
        actor=request.auth, outcome=outcome, text=payload.text, position=payload.position
    )
    return _outcome_view(request, outcome)


@router.delete(
    "/events/{slug}/outcomes/{outcome_id}", response={204: None}, summary="Delete an outcome"
)
def outcome_delete(request: ApiRequest, slug: str, outcome_id: int) -> Any:
    services.outcome_delete(actor=request.auth, outcome=_outcome(request, slug, outcome_id))
    return Status(204, None)


@router.post(
    "/events/{slug}/outcomes/{outcome_id}/task",
    response={201: TaskOut},
    summary="Turn an outcome into a follow-up task (once)",
)
def outcome_to_task(request: ApiRequest, slug: str, outcome_id: int, payload: OutcomeTaskIn) -> Any:
    outcome = _outcome(request, slug, outcome_id)
    assignee = None
    if payload.assignee:
        assignee = get_user_model().objects.filter(email__iexact=payload.assignee).first()
        if assignee is None:
            raise ValidationError({"assignee": f"No user {payload.assignee!r}."})
    task = services.outcome_to_task(
        actor=request.auth,
        outcome=outcome,
        organization=(
            _organization(payload.organization, "organization") if payload.organization else None
        ),
        assignee=assignee,
        due_on=payload.due_on,
        title=payload.title,
    )
    return Status(201, task)


@router.post(
    "/events/{slug}/outcomes/{outcome_id}/cooperation",
    response={201: CooperationOut},
    summary="Open a cooperation from an outcome (once)",
)
def outcome_to_cooperation(
    request: ApiRequest, slug: str, outcome_id: int, payload: OutcomeCooperationIn
) -> Any:
    outcome = _outcome(request, slug, outcome_id)
    organizations = (
        [_organization(organization, "organizations") for organization in payload.organizations]
        if payload.organizations
        else None
    )
    project = offer = None
    if payload.project:
        try:
            project = project_get(viewer=request.auth, slug=payload.project)
        except Project.DoesNotExist as error:
            raise ValidationError({"project": f"No project {payload.project!r}."}) from error
    if payload.offer:
        try:
            offer = offer_get(viewer=request.auth, slug=payload.offer)
        except Offer.DoesNotExist as error:
            raise ValidationError({"offer": f"No offer {payload.offer!r}."}) from error
    cooperation = services.outcome_to_cooperation(
        actor=request.auth,
        outcome=outcome,
        organizations=organizations,
        title=payload.title,
        description=payload.description,
        project=project,
        offer=offer,
    )
    return Status(201, cooperation)


# Schedules -------------------------------------------------------------------------------------


def _schedule(request: ApiRequest, slug: str) -> list[CalendarEntry]:
    person = get_object_or_404(Person, slug=slug)
    return selectors.person_schedule(person, request.auth, base_url=_base_url(request))


@router.get(
    "/people/{slug}/schedule",
    response=list[CalendarEntryOut],
    summary="A person's schedule: events, talks and brokerage meetings you may see",
)
def person_schedule(request: ApiRequest, slug: str) -> Any:
    return _schedule(request, slug)


@router.get("/people/{slug}/schedule.ics", summary="A person's schedule as iCalendar")
def person_schedule_ics(request: ApiRequest, slug: str) -> HttpResponse:
    entries = _schedule(request, slug)
    return calendar_response(entries, name=f"{slug}: schedule", filename=f"{slug}-schedule.ics")
