"""Offers and requests as spreadsheet rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parkbridge.core.spreadsheets import (
    ImportReport,
    existing_for_import,
    export_table,
    join_list,
    read_table,
    run_import,
    split_list,
)
from parkbridge.offers import services
from parkbridge.offers.models import Offer
from parkbridge.portfolio.spreadsheets import (
    organization_by_slug,
    organizations_by_slugs,
    parse_date,
    parse_decimal,
    parse_int,
)
from parkbridge.registry.models import Person
from parkbridge.registry.services import focus_areas_by_codes

OFFER_COLUMNS = [
    "slug",
    "kind",
    "title",
    "description",
    "language",
    "owner",
    "contact",
    "valid_from",
    "valid_until",
    "confidentiality",
    "shared_with",
    "focus_areas",
    "countries",
    "ticket_min",
    "ticket_max",
    "currency",
    "stages",
    "trl_min",
    "trl_max",
    "channels",
]
OFFER_REQUIRED = ["kind", "title", "description", "owner"]


def import_offer_row(actor: Any, row: dict[str, str]) -> tuple[str, str]:
    contact = None
    if row.get("contact"):
        contact = Person.objects.filter(slug=row["contact"]).first()
        if contact is None:
            raise ValidationError({"contact": _("No person %(slug)s.") % {"slug": row["contact"]}})
    values: dict[str, Any] = {
        "kind": row.get("kind", ""),
        "title": row.get("title", ""),
        "description": row.get("description", ""),
        "language": row.get("language", ""),
        "contact": contact,
        "valid_from": parse_date(row.get("valid_from", ""), "valid_from"),
        "valid_until": parse_date(row.get("valid_until", ""), "valid_until"),
        "confidentiality": row.get("confidentiality", "") or "network",
        "countries": [code.upper() for code in split_list(row.get("countries", ""))],
        "ticket_min": parse_decimal(row.get("ticket_min", ""), "ticket_min"),
        "ticket_max": parse_decimal(row.get("ticket_max", ""), "ticket_max"),
        "currency": row.get("currency", "").upper(),
        "stages": split_list(row.get("stages", "")),
        "trl_min": parse_int(row.get("trl_min", ""), "trl_min"),
        "trl_max": parse_int(row.get("trl_max", ""), "trl_max"),
        "channels": row.get("channels", ""),
    }
    owner = organization_by_slug(row.get("owner", ""), "owner")
    related: dict[str, Any] = {
        "focus_areas": focus_areas_by_codes(split_list(row.get("focus_areas", ""))),
        "shared_with": organizations_by_slugs(row.get("shared_with", ""), "shared_with"),
    }
    slug = row.get("slug", "")
    existing = existing_for_import(Offer, slug, actor)
    if existing is not None:
        services.offer_update(actor=actor, offer=existing, owner=owner, **related, **values)
        return "update", existing.title
    offer = services.offer_create(actor=actor, owner=owner, slug=slug, **related, **values)
    return "create", offer.title


def offer_rows(offers: QuerySet[Offer]) -> Iterable[Sequence[Any]]:
    for offer in offers.prefetch_related("focus_areas", "shared_with"):
        yield [
            offer.slug,
            offer.kind,
            offer.title,
            offer.description,
            offer.language,
            offer.owner.slug,
            offer.contact.slug if offer.contact else "",
            offer.valid_from.isoformat() if offer.valid_from else "",
            offer.valid_until.isoformat() if offer.valid_until else "",
            offer.confidentiality,
            join_list(org.slug for org in offer.shared_with.all()),
            join_list(area.code for area in offer.focus_areas.all()),
            join_list(offer.countries),
            offer.ticket_min,
            offer.ticket_max,
            offer.currency,
            join_list(offer.stages),
            offer.trl_min,
            offer.trl_max,
            offer.channels,
        ]


def offers_import(*, actor: Any, content: bytes, filename: str, commit: bool) -> ImportReport:
    """Check every row of an offers spreadsheet; with `commit`, create them all or none."""
    return run_import(
        read_table(content, filename),
        required_columns=OFFER_REQUIRED,
        known_columns=OFFER_COLUMNS,
        import_row=lambda row: import_offer_row(actor, row),
        commit=commit,
    )


def offers_export(*, offers: QuerySet[Offer], file_format: str) -> bytes:
    return export_table(OFFER_COLUMNS, offer_rows(offers), file_format)
