"""Projects as spreadsheet rows: the columns, reading a row into a project, and exporting."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
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
from parkbridge.portfolio import services
from parkbridge.portfolio.models import NeedKind, Project
from parkbridge.registry.models import Organization
from parkbridge.registry.services import focus_areas_by_codes

PROJECT_COLUMNS = [
    "slug",
    "kind",
    "title",
    "summary",
    "language",
    "owner",
    "confidentiality",
    "shared_with",
    "focus_areas",
    "keywords",
    "trl",
    "stage",
    "founded_on",
    "legal_form",
    "team_size",
    "revenue_band",
    "website",
    "needs",
    "investment_min",
    "investment_max",
    "investment_currency",
    "market_countries",
]
PROJECT_REQUIRED = ["kind", "title", "summary", "owner"]


def organization_by_slug(slug: str, field: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({field: _("No organization %(slug)s.") % {"slug": slug}})
    return organization


def organizations_by_slugs(text: str, field: str) -> list[Organization]:
    return [organization_by_slug(slug, field) for slug in split_list(text)]


def parse_int(text: str, field: str) -> int | None:
    if not text:
        return None
    try:
        return int(Decimal(text))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {field: _("Not a whole number: %(value)s") % {"value": text}}
        ) from error


def parse_decimal(text: str, field: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError({field: _("Not a number: %(value)s") % {"value": text}}) from error


def parse_date(text: str, field: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError as error:
        raise ValidationError(
            {field: _("Write dates as YYYY-MM-DD, not %(value)s") % {"value": text}}
        ) from error


def _needs_from_row(row: dict[str, str]) -> list[dict[str, Any]]:
    needs = []
    for kind in split_list(row.get("needs", "")):
        if kind not in NeedKind.values:
            raise ValidationError({"needs": _("Unknown need %(kind)s.") % {"kind": kind}})
        need: dict[str, Any] = {"kind": kind, "description": ""}
        if kind == NeedKind.INVESTMENT:
            need["amount_min"] = parse_decimal(row.get("investment_min", ""), "investment_min")
            need["amount_max"] = parse_decimal(row.get("investment_max", ""), "investment_max")
            need["currency"] = row.get("investment_currency", "").upper()
        if kind == NeedKind.MARKET_ACCESS:
            need["countries"] = [
                code.upper() for code in split_list(row.get("market_countries", ""))
            ]
        needs.append(need)
    return needs


def import_project_row(actor: Any, row: dict[str, str]) -> tuple[str, str]:
    """Create the project of one row, or update it when its slug exists; (action, title)."""
    values: dict[str, Any] = {
        "kind": row.get("kind", ""),
        "title": row.get("title", ""),
        "summary": row.get("summary", ""),
        "language": row.get("language", ""),
        "confidentiality": row.get("confidentiality", "") or "network",
        "keywords": split_list(row.get("keywords", "")),
        "trl": parse_int(row.get("trl", ""), "trl"),
        "stage": row.get("stage", "") or "idea",
        "founded_on": parse_date(row.get("founded_on", ""), "founded_on"),
        "legal_form": row.get("legal_form", ""),
        "team_size": parse_int(row.get("team_size", ""), "team_size"),
        "revenue_band": row.get("revenue_band", ""),
        "website": row.get("website", ""),
    }
    owner = organization_by_slug(row.get("owner", ""), "owner")
    related: dict[str, Any] = {
        "focus_areas": focus_areas_by_codes(split_list(row.get("focus_areas", ""))),
        "shared_with": organizations_by_slugs(row.get("shared_with", ""), "shared_with"),
        "needs": _needs_from_row(row),
    }
    slug = row.get("slug", "")
    existing = existing_for_import(Project, slug, actor)
    if existing is not None:
        services.project_update(actor=actor, project=existing, owner=owner, **related, **values)
        return "update", existing.title
    project = services.project_create(actor=actor, owner=owner, slug=slug, **related, **values)
    return "create", project.title


def project_rows(projects: QuerySet[Project]) -> Iterable[Sequence[Any]]:
    for project in projects.prefetch_related("needs", "focus_areas", "shared_with"):
        needs = list(project.needs.all())
        investment = next((need for need in needs if need.kind == NeedKind.INVESTMENT), None)
        market = next((need for need in needs if need.kind == NeedKind.MARKET_ACCESS), None)
        yield [
            project.slug,
            project.kind,
            project.title,
            project.summary,
            project.language,
            project.owner.slug,
            project.confidentiality,
            join_list(org.slug for org in project.shared_with.all()),
            join_list(area.code for area in project.focus_areas.all()),
            join_list(project.keywords),
            project.trl,
            project.stage,
            project.founded_on.isoformat() if project.founded_on else "",
            project.legal_form,
            project.team_size,
            project.revenue_band,
            project.website,
            join_list(need.kind for need in needs),
            investment.amount_min if investment else None,
            investment.amount_max if investment else None,
            investment.currency if investment else "",
            join_list(market.countries) if market else "",
        ]


def projects_import(*, actor: Any, content: bytes, filename: str, commit: bool) -> ImportReport:
    """Check every row of a projects spreadsheet; with `commit`, create them all or none."""
    return run_import(
        read_table(content, filename),
        required_columns=PROJECT_REQUIRED,
        known_columns=PROJECT_COLUMNS,
        import_row=lambda row: import_project_row(actor, row),
        commit=commit,
    )


def projects_export(*, projects: QuerySet[Project], file_format: str) -> bytes:
    return export_table(PROJECT_COLUMNS, project_rows(projects), file_format)
