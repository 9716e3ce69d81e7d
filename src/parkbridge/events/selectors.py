"""Reads of events through the confidentiality policy, and their calendar entries (.ics)."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.utils import timezone

from parkbridge.core import permissions
from parkbridge.events.calendar import CalendarEntry
from parkbridge.events.models import AgendaItem, Event, Outcome, Participant
from parkbridge.offers.models import Offer
from parkbridge.pipeline.models import Cooperation, Task
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization, Person

# An agenda item without an end lasts until the next item, or this long.
DEFAULT_AGENDA_ITEM_LENGTH = datetime.timedelta(minutes=30)


UPCOMING = "upcoming"
PAST = "past"


@dataclass(frozen=True)
class EventFilters:
    query: str = ""
    kind: str = ""
    organization: str = ""  # slug of the host or of a visiting organization
    when: str = ""  # "upcoming", "past" or "" for both (upcoming first)
    person: str = ""  # slug of a participant


def visible_events(viewer: Any) -> QuerySet[Event]:
    """Every event the viewer may see (the one place the policy is applied to events)."""
    return permissions.visible(Event.objects.all(), viewer)


def event_list(*, viewer: Any, filters: EventFilters | None = None) -> QuerySet[Event]:
    """Visible events: upcoming ones first, soonest first; then past ones, latest first."""
    filters = filters or EventFilters()
    events = visible_events(viewer)
    for word in [word.lower() for word in filters.query.split() if word][:8]:
        events = events.filter(search_text__contains=word)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.organization:
        events = events.filter(
            Q(host__slug=filters.organization)
            | Q(visiting_organizations__slug=filters.organization)
        )
    if filters.person:
        events = events.filter(participants__person__slug=filters.person)
    now = timezone.now()
    if filters.when == UPCOMING:
        events = events.filter(ends_at__gte=now)
    elif filters.when == PAST:
        events = events.filter(ends_at__lt=now)
    # Re-select by primary key so that ordering needs no DISTINCT over joins.
    return (
        Event.objects.filter(pk__in=events.values("pk"))
        .select_related("host")
        .prefetch_related("visiting_organizations")
        .annotate(
            upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at"))),
            past_start=Case(When(ends_at__lt=now, then=F("starts_at"))),
        )
        .order_by(
            F("upcoming_start").asc(nulls_last=True),
            F("past_start").desc(nulls_last=True),
            "id",
        )
    )


def event_get(*, viewer: Any, slug: str) -> Event:
    """The event with what its page shows, or Event.DoesNotExist when it is missing or not
    visible to the viewer."""
    return (
        visible_events(viewer)
        .select_related("host", "created_by")
        .prefetch_related(
            "visiting_organizations",
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization"),
            ),
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("speaker")),
        )
        .get(slug=slug)
    )


def event_organizations_for_filter(*, viewer: Any) -> QuerySet[Organization]:
    """Organizations that host or visit an event the viewer may see: the filter's choices."""
    event_ids = visible_events(viewer).values("pk")
    return (
        Organization.objects.filter(
            Q(hosted_events__in=event_ids) | Q(visited_events__in=event_ids)
        )
        .distinct()
        .order_by("name_en")
    )


@dataclass(frozen=True)
class OutcomeView:
    """An outcome as a viewer sees it: the task and cooperation made from it are shown only to
    those who may see them; the others only learn that it was converted."""

    outcome: Outcome
    task: Task | None
    cooperation: Cooperation | None

    @property
    def has_task(self) -> bool:
        return self.outcome.task_id is not None

    @property
    def has_cooperation(self) -> bool:
        return self.outcome.cooperation_id is not None


def outcome_views(*, viewer: Any, event: Event) -> list[OutcomeView]:
    outcomes = event.outcomes.select_related("task__organization", "cooperation").prefetch_related(
        "cooperation__organizations"
    )
    views = []
    for outcome in outcomes:
        task = outcome.task
        if task is not None and not permissions.is_party(viewer, [task.organization_id]):
            task = None
        cooperation = outcome.cooperation
        if cooperation is not None and not permissions.is_party(
            viewer, [organization.pk for organization in cooperation.organizations.all()]
        ):
            cooperation = None
        views.append(OutcomeView(outcome=outcome, task=task, cooperation=cooperation))
    return views


# Calendar entries ------------------------------------------------------------------------------


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@parkbridge"


def agenda_item_uid(item: AgendaItem) -> str:
    return f"agenda-item-{item.pk}@parkbridge"


def _with_next_start(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    following = AgendaItem.objects.filter(
        event=OuterRef("event"), starts_at__gt=OuterRef("starts_at")
    ).order_by("starts_at", "id")
    return items.annotate(next_start=Subquery(following.values("starts_at")[:1]))


def agenda_item_end(item: AgendaItem, next_start: datetime.datetime | None) -> datetime.datetime:
    """When an agenda item ends: its own end, else the next item's start, else 30 minutes
    later (never after the event ends, never before the item starts)."""
    if item.ends_at is not None:
        return item.ends_at
    if next_start is not None and next_start > item.starts_at:
        return next_start
    end = item.starts_at + DEFAULT_AGENDA_ITEM_LENGTH
    return max(item.starts_at, min(end, item.event.ends_at))


def _location(event: Event) -> str:
    parts = [event.place, event.city, str(event.country.name) if event.country else ""]
    return ", ".join(part for part in parts if part)


def _event_description(event: Event) -> str:
    lines = [event.description.strip()] if event.description.strip() else []
    lines.append(f"{event.get_kind_display()} · {event.host}")
    visitors = [str(organization) for organization in event.visiting_organizations.all()]
    if visitors:
        lines.append(", ".join(visitors))
    return "\n".join(lines)


def event_entry(event: Event, *, base_url: str = "") -> CalendarEntry:
    return CalendarEntry(
        uid=event_uid(event),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        location=_location(event),
        description=_event_description(event),
        url=f"{base_url}{event.get_absolute_url()}" if base_url else "",
    )


def agenda_item_entry(
    item: AgendaItem, *, next_start: datetime.datetime | None = None, base_url: str = ""
) -> CalendarEntry:
    event = item.event
    details = [item.details.strip()] if item.details.strip() else []
    if item.speaker is not None:
        details.insert(0, item.speaker.display_name)
    return CalendarEntry(
        uid=agenda_item_uid(item),
        starts_at=item.starts_at,
        ends_at=agenda_item_end(item, next_start),
        summary=f"{item.title} · {event.title}",
        location=_location(event),
        description="\n".join(details),
        url=f"{base_url}{event.get_absolute_url()}#agenda-item-{item.pk}" if base_url else "",
    )


def event_calendar_entries(event: Event, *, base_url: str = "") -> list[CalendarEntry]:
    """The event and each of its agenda items, for the event's .ics file."""
    items = _with_next_start(
        AgendaItem.objects.filter(event=event).select_related("event", "speaker")
    ).order_by("starts_at", "id")
    return [
        event_entry(event, base_url=base_url),
        *(
            agenda_item_entry(item, next_start=item.next_start, base_url=base_url)  # type: ignore[attr-defined]
            for item in items
        ),
    ]


def schedule_entries_for_person(
    person: Person, viewer: Any, *, base_url: str = ""
) -> list[CalendarEntry]:
    """A person's schedule as the viewer may see it: the events they take part in and the
    agenda items where they speak, at visible events only, in time order.

    Brokerage 1:1 meetings are not here: `person_schedule` adds them."""
    events = visible_events(viewer)
    participations = (
        Event.objects.filter(pk__in=events.filter(participants__person=person).values("pk"))
        .select_related("host")
        .prefetch_related("visiting_organizations")
    )
    talks = _with_next_start(
        AgendaItem.objects.filter(speaker=person, event__in=events.values("pk")).select_related(
            "event", "speaker"
        )
    )
    entries = [event_entry(event, base_url=base_url) for event in participations]
    entries += [
        agenda_item_entry(item, next_start=item.next_start, base_url=base_url)  # type: ignore[attr-defined]
        for item in talks
    ]
    return sort_entries(entries)


def sort_entries(entries: list[CalendarEntry]) -> list[CalendarEntry]:
    """In time order; of entries starting together the longer first (an event before its
    first agenda item)."""
    return sorted(
        entries,
        key=lambda entry: (entry.starts_at, entry.starts_at - entry.ends_at, entry.uid),
    )


def _meeting_entries_provider() -> Callable[[Person, Any], list[CalendarEntry]] | None:
    """`parkbridge.events.brokerage.meeting_entries_for_person`, once the brokerage module
    provides it."""
    try:
        brokerage = importlib.import_module("parkbridge.events.brokerage")
    except ModuleNotFoundError as error:
        if error.name != "parkbridge.events.brokerage":
            raise
        return None
    return getattr(brokerage, "meeting_entries_for_person", None)


def person_schedule(person: Person, viewer: Any, *, base_url: str = "") -> list[CalendarEntry]:
    """Everything in a person's schedule the viewer may see: events, talks and brokerage 1:1
    meetings, in time order. The schedule page, its .ics file and the API read this."""
    entries = schedule_entries_for_person(person, viewer, base_url=base_url)
    meeting_entries = _meeting_entries_provider()
    if meeting_entries is not None:
        entries += list(meeting_entries(person, viewer))
    return sort_entries(entries)


def linkable_projects(*, viewer: Any, event: Event) -> QuerySet[Project]:
    """Projects of the event's organizations that the viewer may see, for a cooperation."""
    owners = [event.host_id, *event.visiting_organizations.values_list("pk", flat=True)]
    return permissions.visible(Project.objects.filter(owner__in=owners), viewer).order_by("title")


def linkable_offers(*, viewer: Any, event: Event) -> QuerySet[Offer]:
    """Offers of the event's organizations that the viewer may see, for a cooperation."""
    owners = [event.host_id, *event.visiting_organizations.values_list("pk", flat=True)]
    return permissions.visible(Offer.objects.filter(owner__in=owners), viewer).order_by("title")
