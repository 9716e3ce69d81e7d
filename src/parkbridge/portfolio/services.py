"""Writes of the portfolio: projects with their needs, partners, team and translations; IP assets.

Every write checks the permission policy, validates the whole object graph, and records an
audit event, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.i18n import language_or_detected
from parkbridge.core.models import AuditAction, Confidentiality
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.portfolio.models import (
    IPAsset,
    Project,
    ProjectNeed,
    ProjectParticipant,
    ProjectTranslation,
    TeamMember,
)
from parkbridge.registry.models import FocusArea, Organization
from parkbridge.registry.services import unique_slug

PROJECT_FIELDS = {
    "kind",
    "title",
    "summary",
    "language",
    "owner",
    "confidentiality",
    "keywords",
    "trl",
    "stage",
    "founded_on",
    "legal_form",
    "team_size",
    "revenue_band",
    "website",
}
IP_ASSET_FIELDS = {
    "kind",
    "title",
    "number",
    "jurisdiction",
    "filing_date",
    "grant_date",
    "status",
    "owner",
    "confidentiality",
}


def _reject_unknown(values: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


def _check_owner(actor: Any, owner: Organization) -> None:
    if not permissions.can_contribute_for(actor, owner):
        raise PermissionDenied(
            _("You may only add to the portfolio of organizations you belong to.")
        )


def check_sharing(
    confidentiality: str, shared_with: list[Organization], owner: Organization
) -> None:
    if confidentiality != Confidentiality.RESTRICTED and shared_with:
        raise ValidationError(
            {"shared_with": _("Only restricted items are shared with named organizations.")}
        )
    if any(organization.pk == owner.pk for organization in shared_with):
        raise ValidationError({"shared_with": _("The owner always sees its own items.")})


def sharing_after_update(
    item: Any, shared_with: Iterable[Organization] | None
) -> list[Organization]:
    """Sharing as given; unchanged when not given; dropped once the item is no longer restricted."""
    if shared_with is not None:
        return list(shared_with)
    if item.confidentiality != Confidentiality.RESTRICTED:
        return []
    return list(item.shared_with.all())


def _clean_keywords(keywords: Any) -> list[str]:
    if keywords in (None, ""):
        return []
    if not isinstance(keywords, list) or not all(isinstance(word, str) for word in keywords):
        raise ValidationError({"keywords": _("Give keywords as a list of words.")})
    return [word.strip() for word in keywords if word.strip()][:30]


def _replace_needs(project: Project, needs: Iterable[dict[str, Any]]) -> None:
    project.needs.all().delete()
    seen: set[str] = set()
    for values in needs:
        need = ProjectNeed(project=project, **values)
        if need.kind in seen:
            raise ValidationError({"needs": _("Each need can be listed once.")})
        seen.add(need.kind)
        try:
            need.full_clean(exclude=["project"])
        except ValidationError as error:
            raise ValidationError(
                {"needs": [f"{need.get_kind_display()}: {m}" for m in error.messages]}
            ) from error
        need.save()


def _replace_participants(project: Project, participants: Iterable[dict[str, Any]]) -> None:
    project.participants.all().delete()
    for values in participants:
        if values["organization"].pk == project.owner_id:
            raise ValidationError(
                {"participants": _("The owner organization is not listed as a participant.")}
            )
        participant = ProjectParticipant(project=project, **values)
        participant.full_clean(exclude=["project"], validate_constraints=False)
        participant.save()


def _replace_team(project: Project, team: Iterable[dict[str, Any]]) -> None:
    project.team.all().delete()
    for values in team:
        member = TeamMember(project=project, **values)
        member.full_clean(exclude=["project"], validate_constraints=False)
        member.save()


def _replace_translations(project: Project, translations: Iterable[dict[str, Any]]) -> None:
    project.translations.all().delete()
    for values in translations:
        if values["language"] == project.language:
            raise ValidationError(
                {"translations": _("A translation is into another language than the original.")}
            )
        translation = ProjectTranslation(project=project, **values)
        translation.full_clean(exclude=["project"], validate_constraints=False)
        translation.save()


@transaction.atomic
def project_create(
    *,
    actor: Any,
    owner: Organization,
    focus_areas: Iterable[FocusArea] = (),
    shared_with: Iterable[Organization] = (),
    needs: Iterable[dict[str, Any]] = (),
    participants: Iterable[dict[str, Any]] = (),
    team: Iterable[dict[str, Any]] = (),
    translations: Iterable[dict[str, Any]] = (),
    **values: Any,
) -> Project:
    _reject_unknown(values, PROJECT_FIELDS | {"slug"})
    _check_owner(actor, owner)
    values["keywords"] = _clean_keywords(values.get("keywords"))
    values["language"] = language_or_detected(
        values.get("language", ""), values.get("title", ""), values.get("summary", "")
    )
    project = Project(owner=owner, created_by=actor if actor.is_authenticated else None, **values)
    if not project.slug:
        project.slug = unique_slug(Project, project.title)
    shared = list(shared_with)
    check_sharing(project.confidentiality, shared, owner)
    project.full_clean()
    project.save()
    project.focus_areas.set(list(focus_areas))
    project.shared_with.set(shared)
    _replace_needs(project, needs)
    _replace_participants(project, participants)
    _replace_team(project, team)
    _replace_translations(project, translations)
    project.save()  # search text includes needs and translations
    audit_record(actor=actor, action=AuditAction.CREATED, target=project)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    focus_areas: Iterable[FocusArea] | None = None,
    shared_with: Iterable[Organization] | None = None,
    needs: Iterable[dict[str, Any]] | None = None,
    participants: Iterable[dict[str, Any]] | None = None,
    team: Iterable[dict[str, Any]] | None = None,
    translations: Iterable[dict[str, Any]] | None = None,
    **values: Any,
) -> Project:
    if not permissions.can_edit_owned(actor, project):
        raise PermissionDenied(_("You may not edit this project."))
    _reject_unknown(values, PROJECT_FIELDS)
    if "owner" in values and values["owner"] != project.owner:
        _check_owner(actor, values["owner"])
    if "keywords" in values:
        values["keywords"] = _clean_keywords(values["keywords"])
    if "language" in values and not values["language"]:
        values["language"] = language_or_detected(
            "", values.get("title", project.title), values.get("summary", project.summary)
        )
    focus_before = sorted(project.focus_areas.values_list("id", flat=True))
    shared_before = sorted(project.shared_with.values_list("id", flat=True))
    changes = changed_fields(project, values)
    shared = sharing_after_update(project, shared_with)
    check_sharing(project.confidentiality, shared, project.owner)
    project.full_clean()
    project.save()
    if focus_areas is not None:
        project.focus_areas.set(list(focus_areas))
    project.shared_with.set(shared)
    before = _related_snapshot(project)
    for replace, items in (
        (_replace_needs, needs),
        (_replace_participants, participants),
        (_replace_team, team),
        (_replace_translations, translations),
    ):
        if items is not None:
            replace(project, items)
    after = _related_snapshot(project)
    before.update(focus_areas=focus_before, shared_with=shared_before)
    changes.update({name: ["…", "…"] for name in before if before[name] != after[name]})
    project.save()
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=project, changes=changes)
    return project


def _related_snapshot(project: Project) -> dict[str, list[Any]]:
    """What the needs, partners, team, translations, focus areas and sharing are, to compare."""
    return {
        "needs": sorted(
            (n.kind, n.description, n.amount_min, n.amount_max, n.currency, str(n.countries))
            for n in project.needs.all()
        ),
        "participants": sorted(project.participants.values_list("organization_id", "role")),
        "team": sorted(project.team.values_list("person_id", "role")),
        "translations": sorted(project.translations.values_list("language", "title", "summary")),
        "focus_areas": sorted(project.focus_areas.values_list("id", flat=True)),
        "shared_with": sorted(project.shared_with.values_list("id", flat=True)),
    }


@transaction.atomic
def project_delete(*, actor: Any, project: Project) -> None:
    if not permissions.can_delete_owned(actor, project):
        raise PermissionDenied(_("Only an admin of the owner organization may delete it."))
    audit_record(actor=actor, action=AuditAction.DELETED, target=project)
    project.delete()


@transaction.atomic
def ip_asset_create(
    *,
    actor: Any,
    owner: Organization,
    co_owners: Iterable[Organization] = (),
    projects: Iterable[Project] = (),
    shared_with: Iterable[Organization] = (),
    **values: Any,
) -> IPAsset:
    _reject_unknown(values, IP_ASSET_FIELDS | {"slug"})
    _check_owner(actor, owner)
    asset = IPAsset(owner=owner, **values)
    if not asset.slug:
        asset.slug = unique_slug(IPAsset, f"{asset.number or ''} {asset.title}")
    shared = list(shared_with)
    check_sharing(asset.confidentiality, shared, owner)
    linked = list(projects)
    for project in linked:
        if not permissions.can_edit_owned(actor, project):
            raise PermissionDenied(_("You may only link IP to projects you may edit."))
    asset.full_clean()
    asset.save()
    asset.co_owners.set(list(co_owners))
    asset.projects.set(linked)
    asset.shared_with.set(shared)
    audit_record(actor=actor, action=AuditAction.CREATED, target=asset)
    return asset


@transaction.atomic
def ip_asset_update(
    *,
    actor: Any,
    asset: IPAsset,
    co_owners: Iterable[Organization] | None = None,
    projects: Iterable[Project] | None = None,
    shared_with: Iterable[Organization] | None = None,
    **values: Any,
) -> IPAsset:
    if not permissions.can_edit_owned(actor, asset):
        raise PermissionDenied(_("You may not edit this IP asset."))
    _reject_unknown(values, IP_ASSET_FIELDS)
    if "owner" in values and values["owner"] != asset.owner:
        _check_owner(actor, values["owner"])
    changes = changed_fields(asset, values)
    shared = sharing_after_update(asset, shared_with)
    check_sharing(asset.confidentiality, shared, asset.owner)
    asset.full_clean()
    asset.save()
    if co_owners is not None:
        asset.co_owners.set(list(co_owners))
    if projects is not None:
        linked = list(projects)
        for project in linked:
            if not permissions.can_edit_owned(actor, project):
                raise PermissionDenied(_("You may only link IP to projects you may edit."))
        asset.projects.set(linked)
    asset.shared_with.set(shared)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=asset, changes=changes)
    return asset


@transaction.atomic
def ip_asset_delete(*, actor: Any, asset: IPAsset) -> None:
    if not permissions.can_delete_owned(actor, asset):
        raise PermissionDenied(_("Only an admin of the owner organization may delete it."))
    audit_record(actor=actor, action=AuditAction.DELETED, target=asset)
    asset.delete()
