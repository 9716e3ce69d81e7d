"""Writes of cooperations, their timeline and follow-up tasks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.offers.models import Offer
from parkbridge.pipeline.models import (
    Activity,
    ActivityKind,
    CommercialisationKind,
    Cooperation,
    CooperationStage,
    LeadSource,
    Task,
)
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

EDITABLE_FIELDS = {
    "title",
    "description",
    "project",
    "offer",
    "value",
    "currency",
    "owner",
    "next_step",
    "next_step_due",
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _user_or_none(actor: Any) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _check_linked_items(actor: Any, project: Project | None, offer: Offer | None) -> None:
    for item in (project, offer):
        if item is not None and not permissions.can_view(actor, item):
            raise PermissionDenied(_("You cannot see one of the linked items."))


def _check_organizations(actor: Any, organizations: list[Organization]) -> None:
    if len({organization.pk for organization in organizations}) < 2:
        raise ValidationError(
            {"organizations": _("A cooperation links at least two organizations.")}
        )
    if not permissions.is_party(actor, [organization.pk for organization in organizations]):
        raise PermissionDenied(
            _("One of your organizations must take part in the cooperations you record.")
        )


@transaction.atomic
def cooperation_create(
    *,
    actor: Any,
    organizations: Iterable[Organization],
    title: str,
    description: str = "",
    project: Project | None = None,
    offer: Offer | None = None,
    stage: str = CooperationStage.LEAD,
    value: Decimal | None = None,
    currency: str = "",
    owner: Any = None,
    next_step: str = "",
    next_step_due: datetime.date | None = None,
    source: str = LeadSource.MANUAL,
    match_pair: str = "",
) -> Cooperation:
    """Open a cooperation between organizations; the actor must belong to one of them."""
    parties = list(organizations)
    _check_organizations(actor, parties)
    _check_linked_items(actor, project, offer)
    cooperation = Cooperation(
        title=title.strip(),
        description=description,
        project=project,
        offer=offer,
        stage=stage,
        value=value,
        currency=currency,
        owner=owner if owner is not None else _user_or_none(actor),
        next_step=next_step,
        next_step_due=next_step_due,
        source=source,
        match_pair=match_pair,
        created_by=_user_or_none(actor),
    )
    cooperation.full_clean()
    cooperation.save()
    cooperation.organizations.set(parties)
    Activity.objects.create(
        cooperation=cooperation,
        kind=ActivityKind.STAGE_CHANGE,
        actor=_user_or_none(actor),
        to_stage=cooperation.stage,
        text=str(LeadSource(source).label),
    )
    audit_record(actor=actor, action=AuditAction.CREATED, target=cooperation)
    return cooperation


def _check_can_work_on(actor: Any, cooperation: Cooperation) -> None:
    organization_ids = cooperation.organizations.values_list("pk", flat=True)
    if not permissions.is_party(actor, organization_ids):
        raise PermissionDenied(_("Only the organizations of a cooperation may change it."))


@transaction.atomic
def cooperation_update(
    *,
    actor: Any,
    cooperation: Cooperation,
    organizations: Iterable[Organization] | None = None,
    **values: Any,
) -> Cooperation:
    """Change the details of a cooperation (not its stage: see `cooperation_move`)."""
    unknown = sorted(set(values) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    _check_can_work_on(actor, cooperation)
    _check_linked_items(actor, values.get("project"), values.get("offer"))
    changes = changed_fields(cooperation, values)
    if organizations is not None:
        parties = list(organizations)
        _check_organizations(actor, parties)
        before = set(cooperation.organizations.values_list("pk", flat=True))
        after = {organization.pk for organization in parties}
        if before != after:
            cooperation.organizations.set(parties)
            changes["organizations"] = [sorted(before), sorted(after)]
    cooperation.full_clean()
    cooperation.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=cooperation, changes=changes)
    return cooperation


@transaction.atomic
def cooperation_move(
    *,
    actor: Any,
    cooperation: Cooperation,
    stage: str,
    lost_reason: str = "",
    commercialisation: str = "",
    note: str = "",
) -> Cooperation:
    """Move a cooperation to another stage; the timeline records who moved it and when."""
    _check_can_work_on(actor, cooperation)
    if stage not in CooperationStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if commercialisation and commercialisation not in CommercialisationKind.values:
        raise ValidationError({"commercialisation": _("Unknown kind of commercialisation.")})
    previous = cooperation.stage
    if previous == stage:
        return cooperation
    cooperation.stage = stage
    cooperation.stage_changed_at = timezone.now()
    if stage == CooperationStage.CLOSED_LOST:
        cooperation.lost_reason = lost_reason.strip() or cooperation.lost_reason
    if stage == CooperationStage.COMMERCIALISED:
        cooperation.commercialisation = commercialisation or cooperation.commercialisation
    try:
        cooperation.full_clean()
    except ValidationError:
        # The caller's object stays as it was stored, so that a corrected retry moves it.
        cooperation.refresh_from_db()
        raise
    cooperation.save()
    text = note.strip()
    if stage == CooperationStage.CLOSED_LOST:
        text = text or cooperation.lost_reason
    elif stage == CooperationStage.COMMERCIALISED:
        text = text or cooperation.get_commercialisation_display()
    Activity.objects.create(
        cooperation=cooperation,
        kind=ActivityKind.STAGE_CHANGE,
        actor=_user_or_none(actor),
        from_stage=previous,
        to_stage=stage,
        text=text,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=cooperation,
        changes={"stage": [previous, stage]},
    )
    return cooperation


@transaction.atomic
def cooperation_delete(*, actor: Any, cooperation: Cooperation) -> None:
    _check_can_work_on(actor, cooperation)
    audit_record(actor=actor, action=AuditAction.DELETED, target=cooperation)
    cooperation.delete()


@transaction.atomic
def activity_add(
    *,
    actor: Any,
    cooperation: Cooperation,
    kind: str,
    text: str = "",
    happened_at: datetime.datetime | None = None,
    attachment: File | None = None,
) -> Activity:
    """Add a note, call, e-mail, meeting or document to a cooperation's timeline."""
    _check_can_work_on(actor, cooperation)
    if kind not in ActivityKind.values or kind == ActivityKind.STAGE_CHANGE:
        raise ValidationError({"kind": _("Choose a note, call, e-mail, meeting or document.")})
    if not text.strip() and attachment is None:
        raise ValidationError({"text": _("Write what happened.")})
    if kind == ActivityKind.DOCUMENT and attachment is None:
        raise ValidationError({"attachment": _("Attach the document.")})
    if attachment is not None and attachment.size and attachment.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("The file is larger than %(mb)s MB.") % {"mb": 20}})
    if happened_at and happened_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"happened_at": _("Record what has happened, not plans.")})
    activity = Activity(
        cooperation=cooperation,
        kind=kind,
        text=text.strip(),
        happened_at=happened_at or timezone.now(),
        actor=_user_or_none(actor),
    )
    if attachment is not None:
        activity.attachment = attachment
    activity.save()
    # Touch the cooperation so that lists sorted by activity show it first.
    cooperation.save(update_fields=["updated_at"])
    return activity


# Tasks ---------------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    details: str = "",
    cooperation: Cooperation | None = None,
    assignee: Any = None,
    due_on: datetime.date | None = None,
) -> Task:
    """A follow-up task for an organization, optionally within a cooperation."""
    if not permissions.can_contribute_for(actor, organization):
        raise PermissionDenied(_("You may only add tasks for organizations you belong to."))
    if cooperation is not None:
        _check_can_work_on(actor, cooperation)
    if assignee is not None and not permissions.can_contribute_for(assignee, organization):
        raise ValidationError(
            {"assignee": _("The assignee must be a member of the task's organization.")}
        )
    task = Task(
        title=title.strip(),
        details=details,
        organization=organization,
        cooperation=cooperation,
        assignee=assignee,
        due_on=due_on,
        created_by=_user_or_none(actor),
    )
    task.full_clean()
    task.save()
    return task


def _check_task(actor: Any, task: Task) -> None:
    if not permissions.can_contribute_for(actor, task.organization):
        raise PermissionDenied(_("Only the task's organization may change it."))


@transaction.atomic
def task_complete(*, actor: Any, task: Task, done: bool = True) -> Task:
    _check_task(actor, task)
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at", "updated_at"])
    if task.cooperation is not None and done:
        Activity.objects.create(
            cooperation=task.cooperation,
            kind=ActivityKind.NOTE,
            actor=_user_or_none(actor),
            text=_("Done: %(task)s") % {"task": task.title},
        )
    return task


@transaction.atomic
def task_delete(*, actor: Any, task: Task) -> None:
    _check_task(actor, task)
    task.delete()


# Leads from mutual interest -------------------------------------------------------------------


def sides_of(item: Model) -> set[int]:
    """The organizations that speak for a matchable item: its owner, the organization itself,
    or the organizations a person works for."""
    from parkbridge.registry.models import Person

    if isinstance(item, Organization):
        return {item.pk}
    if isinstance(item, Person):
        return set(item.affiliations.values_list("organization_id", flat=True))
    owner_id = getattr(item, "owner_id", None)
    return {owner_id} if owner_id else set()


def _speaks_for(user: Any, item: Model) -> bool:
    from parkbridge.registry.models import Person

    if isinstance(item, Person) and item.user_id == user.pk:
        return True
    return bool(permissions.contributable_organization_ids(user) & sides_of(item))


def match_pair_key(first: tuple[str, int], second: tuple[str, int]) -> str:
    return "|".join(f"{kind}:{pk}" for kind, pk in sorted([first, second]))


def lead_from_mutual_interest(*, actor: Any, source: Model, target: Model) -> Cooperation | None:
    """Open a lead when both sides of a match said they are interested in each other.

    Called after `actor` marked `target` interesting for `source`: the other side must have
    marked `source` interesting for `target` (or for any item of theirs that speaks for it).
    Returns the new lead, or None when the interest is not (yet) mutual or a lead exists.
    """
    from parkbridge.matching.documents import MODEL_OF_KIND, kind_of
    from parkbridge.matching.models import FeedbackVerdict, MatchFeedback

    source_kind, target_kind = kind_of(source), kind_of(target)
    if source_kind is None or target_kind is None or not _speaks_for(actor, source):
        return None
    answers = MatchFeedback.objects.filter(
        source_kind=target_kind,
        source_id=target.pk,
        target_kind=source_kind,
        target_id=source.pk,
        verdict=FeedbackVerdict.INTERESTED,
    ).select_related("user")
    other = next((answer.user for answer in answers if _speaks_for(answer.user, target)), None)
    if other is None:
        return None
    key = match_pair_key((source_kind, source.pk), (target_kind, target.pk))
    if Cooperation.objects.filter(match_pair=key).exists():
        return None
    parties = sides_of(source) | sides_of(target)
    if len(parties) < 2:
        return None
    items = {source_kind: source, target_kind: target}
    project = items.get("project")
    offer = items.get("offer")
    assert project is None or isinstance(project, MODEL_OF_KIND["project"])
    cooperation = cooperation_create(
        actor=actor,
        organizations=Organization.objects.filter(pk__in=parties),
        title=" × ".join(_title(item) for item in _in_title_order(source, target))[:300],
        project=project,  # type: ignore[arg-type]
        offer=offer,  # type: ignore[arg-type]
        source=LeadSource.MUTUAL_INTEREST,
        match_pair=key,
        next_step=_("Get in touch"),
    )
    Activity.objects.create(
        cooperation=cooperation,
        kind=ActivityKind.NOTE,
        actor=None,
        text=_("%(first)s and %(second)s both marked this match as interesting.")
        % {"first": _display_name(actor), "second": _display_name(other)},
    )
    return cooperation


def _in_title_order(*items: Model) -> list[Model]:
    """Projects first, then offers, organizations and people: "project × investor" reads as
    the project looking for a partner, whichever side completed the mutual interest."""
    from parkbridge.matching.documents import kind_of

    order = ["project", "offer", "organization", "person"]
    return sorted(items, key=lambda item: order.index(kind_of(item) or "person"))


def _title(item: Model) -> str:
    for attribute in ("title", "name_en", "full_name_latin"):
        value = getattr(item, attribute, "")
        if value:
            return str(value)
    return str(item)


def _display_name(user: Any) -> str:
    return str(user.get_full_name() or user.email) if user is not None else ""
