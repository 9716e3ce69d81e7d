"""Loading the demo dataset: the story of a Russian polytechnic and Chinese technology parks.

Loading is idempotent: records are matched by their slugs (or e-mail for users) and brought
up to date, so `parkbridge demo` can run again after the data files change.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from parkbridge.accounts.models import Membership, MembershipRole, User
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record
from parkbridge.demo.cooperation import load_pipeline
from parkbridge.demo.story import load_story
from parkbridge.offers import services as offer_services
from parkbridge.offers.models import Offer
from parkbridge.portfolio import services as portfolio_services
from parkbridge.portfolio.models import IPAsset, Project
from parkbridge.registry.models import Affiliation, FocusArea, Organization, Person

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    full_name: str
    description: str
    staff: bool = False
    organization_slug: str = ""


DEMO_LOGINS = [
    DemoLogin(
        "admin@parkbridge.example",
        "bridge-admin-2026",
        "Platform Admin",
        "platform admin",
        staff=True,
    ),
    DemoLogin(
        "spbpu@parkbridge.example",
        "polytech-demo-2026",
        "Elena Smirnova",
        "organization admin, Peter the Great St. Petersburg Polytechnic University",
        organization_slug="spbpu",
    ),
    DemoLogin(
        "wuxi@parkbridge.example",
        "wuxi-park-demo-2026",
        "Chen Jing",
        "organization admin, Tsinghua Science Park (Wuxi)",
        organization_slug="tuspark-wuxi",
    ),
]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _focus_areas(codes: list[str]) -> list[FocusArea]:
    areas = list(FocusArea.objects.filter(code__in=codes))
    missing = set(codes) - {area.code for area in areas}
    if missing:
        raise ValueError(f"demo data names unknown focus areas: {sorted(missing)}")
    return areas


ORGANIZATION_KEYS = [
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
]
PERSON_KEYS = [
    "full_name",
    "full_name_latin",
    "name_language",
    "expertise",
    "expertise_language",
    "languages",
    "email",
    "phone",
    "messenger",
]


def load_registry(report: DemoReport) -> None:
    for row in _read("registry-organizations.json"):
        parent = Organization.objects.get(slug=row["parent"]) if row.get("parent") else None
        organization, created = Organization.objects.update_or_create(
            slug=row["slug"],
            defaults={**{key: row.get(key, "") for key in ORGANIZATION_KEYS}, "parent": parent},
        )
        organization.full_clean()
        organization.focus_areas.set(_focus_areas(row.get("focus_areas", [])))
        if created:
            audit_record(actor=None, action=AuditAction.CREATED, target=organization)
        report.count("organizations", created)
    for row in _read("registry-people.json"):
        person, created = Person.objects.update_or_create(
            slug=row["slug"],
            defaults={key: row.get(key, [] if key == "languages" else "") for key in PERSON_KEYS},
        )
        person.full_clean()
        person.focus_areas.set(_focus_areas(row.get("focus_areas", [])))
        for affiliation in row.get("affiliations", []):
            Affiliation.objects.update_or_create(
                person=person,
                organization=Organization.objects.get(slug=affiliation["organization"]),
                defaults={
                    "position": affiliation.get("position", ""),
                    "position_en": affiliation.get("position_en", ""),
                    "is_primary": affiliation.get("is_primary", False),
                },
            )
        if created:
            audit_record(actor=None, action=AuditAction.CREATED, target=person)
        report.count("people", created)


def load_logins(report: DemoReport) -> None:
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            email=login.email,
            defaults={"is_active": True},
        )
        user.full_name = login.full_name
        user.is_staff = login.staff
        user.is_superuser = login.staff
        user.set_password(login.password)
        user.save()
        if login.organization_slug:
            Membership.objects.update_or_create(
                user=user,
                organization=Organization.objects.get(slug=login.organization_slug),
                defaults={"role": MembershipRole.ADMIN},
            )
        report.count("logins", created)


# Loaded in this order, so that the newest (first listed) are the Russian and Chinese projects
# of the story.
PROJECT_FILES = ["projects-intl.json", "projects-zh.json", "projects-ru.json"]
PROJECT_KEYS = [
    "kind",
    "title",
    "summary",
    "language",
    "confidentiality",
    "keywords",
    "trl",
    "stage",
    "founded_on",
    "legal_form",
    "team_size",
    "revenue_band",
    "website",
]
IP_KEYS = ["kind", "title", "number", "jurisdiction", "status", "confidentiality"]
OFFER_KEYS = [
    "kind",
    "title",
    "description",
    "language",
    "confidentiality",
    "countries",
    "ticket_min",
    "ticket_max",
    "currency",
    "stages",
    "trl_min",
    "trl_max",
    "channels",
]


def _organizations(slugs: list[str]) -> list[Organization]:
    return [Organization.objects.get(slug=slug) for slug in slugs]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _demo_actor() -> User:
    return User.objects.get(email=DEMO_LOGINS[0].email)


def load_portfolio(report: DemoReport) -> None:
    actor = _demo_actor()
    for name in PROJECT_FILES:
        if not (DATA_DIR / name).exists():
            continue
        for row in _read(name):
            values = {key: row.get(key) for key in PROJECT_KEYS}
            for key in ("legal_form", "revenue_band", "website"):
                values[key] = values[key] or ""
            values["founded_on"] = _date(values["founded_on"])
            related: dict[str, Any] = {
                "focus_areas": _focus_areas(row.get("focus_areas", [])),
                "shared_with": _organizations(row.get("shared_with", [])),
                "needs": [
                    {
                        "kind": need["kind"],
                        "description": need.get("description", ""),
                        "amount_min": need.get("amount_min"),
                        "amount_max": need.get("amount_max"),
                        "currency": need.get("currency", ""),
                        "countries": need.get("countries", []),
                    }
                    for need in row.get("needs", [])
                ],
                "participants": [
                    {
                        "organization": Organization.objects.get(slug=item["organization"]),
                        "role": item["role"],
                    }
                    for item in row.get("participants", [])
                ],
                "team": [
                    {"person": Person.objects.get(slug=item["person"]), "role": item["role"]}
                    for item in row.get("team", [])
                ],
                "translations": row.get("translations", []),
            }
            owner = Organization.objects.get(slug=row["owner"])
            project = Project.objects.filter(slug=row["slug"]).first()
            created = project is None
            if project is None:
                project = portfolio_services.project_create(
                    actor=actor, owner=owner, slug=row["slug"], **related, **values
                )
            else:
                portfolio_services.project_update(
                    actor=actor, project=project, owner=owner, **related, **values
                )
            report.count("projects", created)
            for asset_row in row.get("ip_assets", []):
                load_ip_asset(report, actor, project, asset_row)


def load_ip_asset(report: DemoReport, actor: User, project: Project, row: dict[str, Any]) -> None:
    values: dict[str, Any] = {key: row.get(key) or "" for key in IP_KEYS}
    values["filing_date"] = _date(row.get("filing_date"))
    values["grant_date"] = _date(row.get("grant_date"))
    related: dict[str, Any] = {
        "co_owners": _organizations(row.get("co_owners", [])),
        "shared_with": _organizations(row.get("shared_with", [])),
        "projects": [project],
    }
    asset = IPAsset.objects.filter(slug=row["slug"]).first()
    if asset is None:
        portfolio_services.ip_asset_create(
            actor=actor, owner=project.owner, slug=row["slug"], **related, **values
        )
        report.count("ip_assets", True)
    else:
        portfolio_services.ip_asset_update(
            actor=actor, asset=asset, owner=project.owner, **related, **values
        )
        report.count("ip_assets", False)


def load_offers(report: DemoReport) -> None:
    if not (DATA_DIR / "offers.json").exists():
        return
    actor = _demo_actor()
    for row in _read("offers.json"):
        values = {key: row.get(key) for key in OFFER_KEYS}
        for key in ("currency", "channels"):
            values[key] = values[key] or ""
        values["countries"] = values["countries"] or []
        values["stages"] = values["stages"] or []
        values["valid_from"] = _date(row.get("valid_from"))
        values["valid_until"] = _date(row.get("valid_until"))
        values["contact"] = Person.objects.get(slug=row["contact"]) if row.get("contact") else None
        related: dict[str, Any] = {
            "focus_areas": _focus_areas(row.get("focus_areas", [])),
            "shared_with": _organizations(row.get("shared_with", [])),
        }
        owner = Organization.objects.get(slug=row["owner"])
        offer = Offer.objects.filter(slug=row["slug"]).first()
        if offer is None:
            offer_services.offer_create(
                actor=actor, owner=owner, slug=row["slug"], **related, **values
            )
            report.count("offers", True)
        else:
            offer_services.offer_update(actor=actor, offer=offer, owner=owner, **related, **values)
            report.count("offers", False)


@transaction.atomic
def demo_load() -> DemoReport:
    report = DemoReport()
    load_registry(report)
    load_logins(report)
    load_portfolio(report)
    load_offers(report)
    load_pipeline(report)
    load_story(report)
    return report
