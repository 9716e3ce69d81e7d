"""Writes of the registry: every change checks the policy, validates, and leaves an audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.registry.models import Affiliation, FocusArea, Organization, Person

ORGANIZATION_FIELDS = {
    "name",
    "name_language",
    "name_en",
    "name_ru",
    "name_zh",
    "short_name",
    "kind",
    "country",
    "city",
    "website",
    "email",
    "description",
    "description_language",
    "parent",
    "logo",
}
PERSON_FIELDS = {
    "full_name",
    "full_name_latin",
    "name_language",
    "expertise",
    "expertise_language",
    "languages",
    "email",
    "phone",
    "messenger",
}


def unique_slug(model: Any, text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text, allow_unicode=False)[:100] or model.__name__.lower()
    slug = base
    number = 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def focus_areas_by_codes(codes: Iterable[str]) -> list[FocusArea]:
    wanted = list(dict.fromkeys(codes))
    areas = list(FocusArea.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {area.code for area in areas})
    if missing:
        raise ValidationError(
            {
                "focus_areas": _("Unknown focus area codes: %(codes)s")
                % {"codes": ", ".join(missing)}
            }
        )
    return areas


def _check_unknown_fields(values: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


@transaction.atomic
def organization_create(
    *, actor: Any, focus_areas: Iterable[FocusArea] = (), **values: Any
) -> Organization:
    if not permissions.can_create_organization(actor):
        raise PermissionDenied(_("You may not add organizations."))
    _check_unknown_fields(values, ORGANIZATION_FIELDS | {"slug"})
    parent = values.get("parent")
    if (
        parent is not None
        and not permissions.is_platform_staff(actor)
        and not permissions.can_edit_organization(actor, parent)
    ):
        raise PermissionDenied(_("You may only add branches to organizations you administer."))
    organization = Organization(**values)
    if not organization.slug:
        organization.slug = unique_slug(Organization, organization.name_en or organization.name)
    organization.full_clean()
    organization.save()
    organization.focus_areas.set(list(focus_areas))
    audit_record(actor=actor, action=AuditAction.CREATED, target=organization)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    focus_areas: Iterable[FocusArea] | None = None,
    **values: Any,
) -> Organization:
    if not permissions.can_edit_organization(actor, organization):
        raise PermissionDenied(_("You may not edit this organization."))
    _check_unknown_fields(values, ORGANIZATION_FIELDS)
    if (
        "parent" in values
        and values["parent"] != organization.parent
        and values["parent"] is not None
        and not permissions.can_edit_organization(actor, values["parent"])
    ):
        raise PermissionDenied(_("You may only attach it to organizations you administer."))
    changes = changed_fields(organization, values)
    organization.full_clean()
    organization.save()
    if focus_areas is not None:
        before = sorted(organization.focus_areas.values_list("code", flat=True))
        organization.focus_areas.set(list(focus_areas))
        after = sorted(organization.focus_areas.values_list("code", flat=True))
        if before != after:
            changes["focus_areas"] = [before, after]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=organization, changes=changes)
    return organization


@transaction.atomic
def person_create(
    *,
    actor: Any,
    focus_areas: Iterable[FocusArea] = (),
    affiliations: Iterable[dict[str, Any]] = (),
    **values: Any,
) -> Person:
    if not permissions.can_create_person(actor):
        raise PermissionDenied(_("You may not add people."))
    _check_unknown_fields(values, PERSON_FIELDS | {"slug"})
    person = Person(**values)
    if not person.slug:
        person.slug = unique_slug(Person, person.full_name_latin or person.full_name)
    person.full_clean()
    person.save()
    person.focus_areas.set(list(focus_areas))
    for affiliation in affiliations:
        organization = affiliation["organization"]
        if not permissions.can_edit_organization(actor, organization):
            raise PermissionDenied(_("You may only add people to organizations you administer."))
        Affiliation.objects.create(person=person, **affiliation)
    audit_record(actor=actor, action=AuditAction.CREATED, target=person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    focus_areas: Iterable[FocusArea] | None = None,
    **values: Any,
) -> Person:
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied(_("You may not edit this person."))
    _check_unknown_fields(values, PERSON_FIELDS)
    changes = changed_fields(person, values)
    person.full_clean()
    person.save()
    if focus_areas is not None:
        before = sorted(person.focus_areas.values_list("code", flat=True))
        person.focus_areas.set(list(focus_areas))
        after = sorted(person.focus_areas.values_list("code", flat=True))
        if before != after:
            changes["focus_areas"] = [before, after]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=person, changes=changes)
    return person


@transaction.atomic
def affiliation_set(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    position: str = "",
    position_en: str = "",
    is_primary: bool = False,
) -> Affiliation:
    if not permissions.can_edit_organization(actor, organization) and not (
        permissions.is_platform_staff(actor)
    ):
        raise PermissionDenied(_("You may only add people to organizations you administer."))
    affiliation, _created = Affiliation.objects.update_or_create(
        person=person,
        organization=organization,
        defaults={"position": position, "position_en": position_en, "is_primary": is_primary},
    )
    if is_primary:
        person.affiliations.exclude(pk=affiliation.pk).update(is_primary=False)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=person,
        changes={"affiliation": [None, f"{position_en or position} – {organization}"]},
    )
    return affiliation
