"""Loading the demo dataset: the story of a Russian polytechnic and Chinese technology parks.

Loading is idempotent: records are matched by their slugs (or e-mail for users) and brought
up to date, so `parkbridge demo` can run again after the data files change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from parkbridge.accounts.models import Membership, MembershipRole, User
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record
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


@transaction.atomic
def demo_load() -> DemoReport:
    report = DemoReport()
    load_registry(report)
    load_logins(report)
    return report
