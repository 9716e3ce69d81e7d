"""Writes of events (delegation visits, meetings, conferences): their participants, agenda,
minutes and outcomes, and turning an outcome into a follow-up task or a cooperation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.i18n import language_or_detected
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.events.models import AgendaItem, Event, Outcome, Participant, ParticipantRole
from parkbridge.offers.models import Offer
from parkbridge.pipeline import services as pipeline_services
from parkbridge.pipeline.models import (
    ActivityKind,
    Cooperation,
    CooperationStage,
    LeadSource,
    Task,
)
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization, Person
from parkbridge.registry.services import unique_slug

EVENT_FIELDS = {
    "kind",
    "title",
    "description",
    "language",
    "starts_at",
    "ends_at",
    "place",
    "city",
    "country",
    "confidentiality",
    # Brokerage settings: stored on every event, used by the brokerage pages.
    "meeting_minutes",
    "tables",
    "default_meeting_limit",
    "registration_open",
    "requests_open",
}
AGENDA_FIELDS = {"starts_at", "ends_at", "title", "details", "speaker"}
PARTICIPANT_FIELDS = {"organization", "role", "position"}


def can_edit_event(user: Any, event: Event) -> bool:
    """Members of the host organization (its admins, and platform staff) run the event: they
    edit it, its participants, agenda, minutes and outcomes."""
    return permissions.can_contribute_for(user, event.host)


def event_organizations(event: Event) -> list[Organization]:
    """The host first, then the visiting organizations."""
    return [event.host, *event.visiting_organizations.exclude(pk=event.host_id)]


def _user_or_none(actor: Any) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _check_fields(values: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


def _check_can_edit(actor: Any, event: Event) -> None:
    if not can_edit_event(actor, event):
        raise PermissionDenied(_("Only members of the host organization may change this event."))


def _check_visitors(host: Organization, visitors: list[Organization]) -> None:
    if any(organization.pk == host.pk for organization in visitors):
        raise ValidationError(
            {"visiting_organizations": _("The host cannot also be a visiting organization.")}
        )


def _local_date_text(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


# Events ----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor: Any,
    host: Organization,
    visiting_organizations: Iterable[Organization] = (),
    slug: str = "",
    **values: Any,
) -> Event:
    """Record a visit, meeting or conference hosted by an organization the actor belongs to."""
    _check_fields(values, EVENT_FIELDS)
    if not permissions.can_contribute_for(actor, host):
        raise PermissionDenied(_("You may only record events hosted by your organizations."))
    values["language"] = language_or_detected(
        values.get("language", ""), values.get("title", ""), values.get("description", "")
    )
    event = Event(host=host, created_by=_user_or_none(actor), **values)
    if slug:
        event.slug = slug
    elif event.title and isinstance(event.starts_at, datetime.datetime):
        # Titles in Chinese or Russian give no Latin slug; the date keeps such slugs readable.
        event.slug = unique_slug(Event, f"{event.title} {_local_date_text(event.starts_at)}")
    visitors = list(visiting_organizations)
    _check_visitors(host, visitors)
    event.full_clean()
    event.save()
    event.visiting_organizations.set(visitors)
    audit_record(actor=actor, action=AuditAction.CREATED, target=event)
    return event


def _agenda_outside(event: Event) -> bool:
    return event.agenda.filter(
        Q(starts_at__lt=event.starts_at)
        | Q(starts_at__gt=event.ends_at)
        | Q(ends_at__gt=event.ends_at)
    ).exists()


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    visiting_organizations: Iterable[Organization] | None = None,
    **values: Any,
) -> Event:
    """Change an event; its agenda must still fit inside its dates."""
    _check_can_edit(actor, event)
    _check_fields(values, EVENT_FIELDS | {"host"})
    new_host = values.get("host")
    if (
        new_host is not None
        and new_host.pk != event.host_id
        and not permissions.can_contribute_for(actor, new_host)
    ):
        raise PermissionDenied(_("You may only move it to organizations you belong to."))
    if "language" in values and not values["language"]:
        values["language"] = language_or_detected(
            "", values.get("title", event.title), values.get("description", event.description)
        )
    changes = changed_fields(event, values)
    event.full_clean()
    if ("starts_at" in changes or "ends_at" in changes) and _agenda_outside(event):
        raise ValidationError(
            {"starts_at": _("Some agenda items would fall outside the new dates: move them first.")}
        )
    if visiting_organizations is not None:
        visitors = list(visiting_organizations)
        _check_visitors(event.host, visitors)
        before = set(event.visiting_organizations.values_list("pk", flat=True))
        after = {organization.pk for organization in visitors}
        if before != after:
            event.visiting_organizations.set(visitors)
            changes["visiting_organizations"] = [sorted(before), sorted(after)]
    else:
        _check_visitors(event.host, list(event.visiting_organizations.all()))
    event.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=event, changes=changes)
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: Event) -> None:
    """Delete an event with its agenda and outcomes; tasks and cooperations made from its
    outcomes stay."""
    _check_can_edit(actor, event)
    audit_record(actor=actor, action=AuditAction.DELETED, target=event)
    event.delete()


# Participants ----------------------------------------------------------------------------------


def _primary_organization(person: Person) -> Organization | None:
    affiliation = person.affiliations.select_related("organization").first()
    return affiliation.organization if affiliation is not None else None


@transaction.atomic
def participant_add(
    *,
    actor: Any,
    event: Event,
    person: Person,
    organization: Organization | None = None,
    role: str = ParticipantRole.ATTENDEE,
    position: str = "",
) -> Participant:
    """Add a person to an event, for an organization (by default their primary one)."""
    _check_can_edit(actor, event)
    if event.participants.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s already takes part in this event.") % {"person": person}}
        )
    if not position:
        affiliation = person.affiliations.filter(
            organization=organization or _primary_organization(person)
        ).first()
        position = (affiliation.position_en or affiliation.position) if affiliation else ""
    participant = Participant(
        event=event,
        person=person,
        organization=organization if organization is not None else _primary_organization(person),
        role=role,
        position=position,
    )
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        target=participant,
        changes={"event": event.slug, "role": role},
    )
    return participant


@transaction.atomic
def participant_update(*, actor: Any, participant: Participant, **values: Any) -> Participant:
    """Change a participant's role, organization or position."""
    _check_can_edit(actor, participant.event)
    _check_fields(values, PARTICIPANT_FIELDS)
    changes = changed_fields(participant, values)
    participant.full_clean()
    participant.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=participant, changes=changes)
    return participant


@transaction.atomic
def participant_remove(*, actor: Any, participant: Participant) -> None:
    _check_can_edit(actor, participant.event)
    audit_record(
        actor=actor,
        action=AuditAction.DELETED,
        target=participant,
        changes={"event": participant.event.slug},
    )
    participant.delete()


# Agenda ----------------------------------------------------------------------------------------


def _check_agenda_times(
    event: Event, starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> None:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the time the item starts.")
    elif not event.starts_at <= starts_at <= event.ends_at:
        errors["starts_at"] = _("The item must start within the event's dates.")
    if ends_at is not None:
        if starts_at is not None and ends_at < starts_at:
            errors["ends_at"] = _("The item ends before it starts.")
        elif ends_at > event.ends_at:
            errors["ends_at"] = _("The item must end by the time the event ends.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    event: Event,
    starts_at: datetime.datetime,
    title: str,
    ends_at: datetime.datetime | None = None,
    details: str = "",
    speaker: Person | None = None,
) -> AgendaItem:
    """Add an item to the agenda; it must fit inside the event's dates."""
    _check_can_edit(actor, event)
    _check_agenda_times(event, starts_at, ends_at)
    item = AgendaItem(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title.strip(),
        details=details,
        speaker=speaker,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action=AuditAction.CREATED, target=item, changes={"event": event.slug}
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, **values: Any) -> AgendaItem:
    _check_can_edit(actor, item.event)
    _check_fields(values, AGENDA_FIELDS)
    if "title" in values:
        values["title"] = str(values["title"]).strip()
    changes = changed_fields(item, values)
    _check_agenda_times(item.event, item.starts_at, item.ends_at)
    item.full_clean()
    item.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=item, changes=changes)
    return item


@transaction.atomic
def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    _check_can_edit(actor, item.event)
    audit_record(
        actor=actor, action=AuditAction.DELETED, target=item, changes={"event": item.event.slug}
    )
    item.delete()


# Minutes ---------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, actor: Any, event: Event, text: str, language: str = "") -> Event:
    """Write the minutes of an event; the language is detected when not given."""
    _check_can_edit(actor, event)
    text = text.strip()
    language = language_or_detected(language, text) if text else ""
    changes = changed_fields(event, {"minutes": text, "minutes_language": language})
    event.full_clean()
    event.save(update_fields=["minutes", "minutes_language", "updated_at"])
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=event, changes=changes)
    return event


# Outcomes --------------------------------------------------------------------------------------


@transaction.atomic
def outcome_add(*, actor: Any, event: Event, text: str, position: int | None = None) -> Outcome:
    """Record what the event decided: a direction for cooperation, a decision, a follow-up."""
    _check_can_edit(actor, event)
    if position is None:
        last = event.outcomes.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    outcome = Outcome(event=event, text=text.strip(), position=position)
    outcome.full_clean()
    outcome.save()
    audit_record(
        actor=actor, action=AuditAction.CREATED, target=outcome, changes={"event": event.slug}
    )
    return outcome


@transaction.atomic
def outcome_update(
    *, actor: Any, outcome: Outcome, text: str | None = None, position: int | None = None
) -> Outcome:
    _check_can_edit(actor, outcome.event)
    values: dict[str, Any] = {}
    if text is not None:
        values["text"] = text.strip()
    if position is not None:
        values["position"] = position
    changes = changed_fields(outcome, values)
    outcome.full_clean()
    outcome.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=outcome, changes=changes)
    return outcome


@transaction.atomic
def outcome_delete(*, actor: Any, outcome: Outcome) -> None:
    """Delete an outcome; a task or cooperation made from it stays."""
    _check_can_edit(actor, outcome.event)
    audit_record(
        actor=actor,
        action=AuditAction.DELETED,
        target=outcome,
        changes={"event": outcome.event.slug},
    )
    outcome.delete()


def _locked(outcome: Outcome) -> Outcome:
    # Two people clicking "Make a task" at once must not make two tasks.
    return (
        Outcome.objects.select_for_update(of=("self",))
        .select_related("event__host")
        .get(pk=outcome.pk)
    )


def _outcome_title(outcome: Outcome) -> str:
    first_line = outcome.text.strip().splitlines()[0] if outcome.text.strip() else ""
    return first_line[:300]


def _outcome_details(outcome: Outcome) -> str:
    event = outcome.event
    origin = _("Outcome of “%(event)s”, %(date)s: %(url)s") % {
        "event": event.title,
        "date": _local_date_text(event.starts_at),
        "url": event.get_absolute_url(),
    }
    return f"{outcome.text.strip()}\n\n{origin}"


@transaction.atomic
def outcome_to_task(
    *,
    actor: Any,
    outcome: Outcome,
    organization: Organization | None = None,
    assignee: Any = None,
    due_on: datetime.date | None = None,
    title: str = "",
) -> Task:
    """Turn an outcome into a follow-up task of one of the event's organizations (by default the
    host) in one step; the outcome links to the task. An outcome becomes a task only once."""
    locked = _locked(outcome)
    event = locked.event
    _check_can_edit(actor, event)
    if locked.task_id is not None:
        raise ValidationError(
            {
                "task": _("This outcome has already been turned into a task: “%(task)s”.")
                % {"task": locked.task}
            }
        )
    organization = organization if organization is not None else event.host
    if organization.pk not in {party.pk for party in event_organizations(event)}:
        raise ValidationError(
            {"organization": _("Choose the host or one of the visiting organizations.")}
        )
    cooperation = locked.cooperation
    if cooperation is not None and not permissions.is_party(
        actor, cooperation.organizations.values_list("pk", flat=True)
    ):
        cooperation = None
    task = pipeline_services.task_create(
        actor=actor,
        organization=organization,
        title=title.strip() or _outcome_title(locked),
        details=_outcome_details(locked),
        cooperation=cooperation,
        assignee=assignee,
        due_on=due_on,
    )
    locked.task = task
    locked.save(update_fields=["task"])
    outcome.task = task
    audit_record(
        actor=actor, action=AuditAction.UPDATED, target=locked, changes={"task": [None, task.pk]}
    )
    return task


@transaction.atomic
def outcome_to_cooperation(
    *,
    actor: Any,
    outcome: Outcome,
    organizations: Iterable[Organization] | None = None,
    title: str = "",
    description: str = "",
    project: Project | None = None,
    offer: Offer | None = None,
) -> Cooperation:
    """Open a cooperation from an outcome in one step, between the event's organizations (host
    and visitors unless given); the outcome links to it. An outcome opens one cooperation only.

    A cooperation from an event that has begun starts at "meeting held", with the event on its
    timeline."""
    locked = _locked(outcome)
    event = locked.event
    _check_can_edit(actor, event)
    if locked.cooperation_id is not None:
        raise ValidationError(
            {
                "cooperation": _(
                    "This outcome has already opened a cooperation: “%(cooperation)s”."
                )
                % {"cooperation": locked.cooperation}
            }
        )
    parties = list(organizations) if organizations is not None else event_organizations(event)
    held = event.starts_at <= timezone.now()
    cooperation = pipeline_services.cooperation_create(
        actor=actor,
        organizations=parties,
        title=title.strip() or _outcome_title(locked),
        description=description.strip() or _outcome_details(locked),
        project=project,
        offer=offer,
        stage=CooperationStage.MEETING_HELD if held else CooperationStage.LEAD,
        source=LeadSource.EVENT_OUTCOME,
    )
    if held:
        pipeline_services.activity_add(
            actor=actor,
            cooperation=cooperation,
            kind=ActivityKind.MEETING,
            text=f"{event.title}: {locked.text.strip()}",
            happened_at=event.starts_at,
        )
    locked.cooperation = cooperation
    locked.save(update_fields=["cooperation"])
    outcome.cooperation = cooperation
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=locked,
        changes={"cooperation": [None, cooperation.pk]},
    )
    return cooperation
