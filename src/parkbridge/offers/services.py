"""Writes of offers and requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.i18n import language_or_detected
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.offers.models import Offer
from parkbridge.portfolio.services import check_sharing, sharing_after_update
from parkbridge.registry.models import FocusArea, Organization, Person
from parkbridge.registry.services import unique_slug

OFFER_FIELDS = {
    "kind",
    "title",
    "description",
    "language",
    "owner",
    "contact",
    "valid_from",
    "valid_until",
    "confidentiality",
    "countries",
    "ticket_min",
    "ticket_max",
    "currency",
    "stages",
    "trl_min",
    "trl_max",
    "channels",
}


def _check_values(values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - OFFER_FIELDS - {"slug"})
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


def _check_contact(contact: Person | None, owner: Organization) -> None:
    if contact is not None and not contact.affiliations.filter(organization=owner).exists():
        raise ValidationError(
            {"contact": _("The contact person must work for the owner organization.")}
        )


@transaction.atomic
def offer_create(
    *,
    actor: Any,
    owner: Organization,
    focus_areas: Iterable[FocusArea] = (),
    shared_with: Iterable[Organization] = (),
    **values: Any,
) -> Offer:
    _check_values(values)
    if not permissions.can_contribute_for(actor, owner):
        raise PermissionDenied(_("You may only publish offers for organizations you belong to."))
    values["language"] = language_or_detected(
        values.get("language", ""), values.get("title", ""), values.get("description", "")
    )
    offer = Offer(owner=owner, created_by=actor if actor.is_authenticated else None, **values)
    if not offer.slug:
        offer.slug = unique_slug(Offer, offer.title)
    shared = list(shared_with)
    check_sharing(offer.confidentiality, shared, owner)
    _check_contact(offer.contact, owner)
    offer.full_clean()
    offer.save()
    offer.focus_areas.set(list(focus_areas))
    offer.shared_with.set(shared)
    audit_record(actor=actor, action=AuditAction.CREATED, target=offer)
    return offer


@transaction.atomic
def offer_update(
    *,
    actor: Any,
    offer: Offer,
    focus_areas: Iterable[FocusArea] | None = None,
    shared_with: Iterable[Organization] | None = None,
    **values: Any,
) -> Offer:
    if not permissions.can_edit_owned(actor, offer):
        raise PermissionDenied(_("You may not edit this offer."))
    _check_values(values)
    if (
        "owner" in values
        and values["owner"] != offer.owner
        and not permissions.can_contribute_for(actor, values["owner"])
    ):
        raise PermissionDenied(_("You may only move it to organizations you belong to."))
    if "language" in values and not values["language"]:
        values["language"] = language_or_detected(
            "", values.get("title", offer.title), values.get("description", offer.description)
        )
    changes = changed_fields(offer, values)
    shared = sharing_after_update(offer, shared_with)
    check_sharing(offer.confidentiality, shared, offer.owner)
    _check_contact(offer.contact, offer.owner)
    offer.full_clean()
    offer.save()
    if focus_areas is not None:
        offer.focus_areas.set(list(focus_areas))
    offer.shared_with.set(shared)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=offer, changes=changes)
    return offer


@transaction.atomic
def offer_delete(*, actor: Any, offer: Offer) -> None:
    if not permissions.can_delete_owned(actor, offer):
        raise PermissionDenied(_("Only an admin of the owner organization may delete it."))
    audit_record(actor=actor, action=AuditAction.DELETED, target=offer)
    offer.delete()
