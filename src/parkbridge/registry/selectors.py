"""Reads of the registry. The registry is a public directory; contact details are not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from parkbridge.core import permissions
from parkbridge.registry.models import (
    Affiliation,
    FocusArea,
    Organization,
    OrganizationKind,
    Person,
)

EM_SPACE = "\u2003"


@dataclass(frozen=True)
class OrganizationFilters:
    query: str = ""
    kind: str = ""
    country: str = ""
    focus_area: str = ""  # a FocusArea code; matches its sub-areas too
    parent: str = ""  # a parent organization slug


@dataclass(frozen=True)
class PersonFilters:
    query: str = ""
    organization: str = ""  # slug
    country: str = ""  # country of any affiliation
    focus_area: str = ""
    language: str = ""  # ISO 639-1 code of a language spoken


def focus_area_tree() -> list[FocusArea]:
    return list(FocusArea.objects.all().order_by("position"))


def focus_area_choices(*, max_level: int = 3) -> list[tuple[str, str]]:
    """(code, indented label) pairs in taxonomy order, for filter drop-downs."""
    return [
        (area.code, f"{EM_SPACE * (area.level - 1)}{area.code} {area.name}")
        for area in FocusArea.objects.filter(level__lte=max_level).order_by("position")
    ]


def _focus_area_ids(code: str) -> set[int] | None:
    area = FocusArea.objects.filter(code=code).first()
    return area.descendant_ids() if area else None


def _words(query: str) -> list[str]:
    """Lower-cased search words (at most 8), to compare with the models' `search_text`."""
    return [word.lower() for word in query.split() if word][:8]


def organization_list(*, viewer: Any, filters: OrganizationFilters | None = None) -> QuerySet:
    filters = filters or OrganizationFilters()
    organizations = Organization.objects.select_related("parent").prefetch_related("focus_areas")
    for word in _words(filters.query):
        organizations = organizations.filter(search_text__contains=word)
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.country:
        organizations = organizations.filter(country=filters.country.upper())
    if filters.parent:
        organizations = organizations.filter(parent__slug=filters.parent)
    if filters.focus_area:
        area_ids = _focus_area_ids(filters.focus_area)
        if area_ids is None:
            return organizations.none()
        organizations = organizations.filter(focus_areas__in=area_ids).distinct()
    return organizations.order_by("name_en")


def organization_get(*, viewer: Any, slug: str) -> Organization:
    return Organization.objects.select_related("parent").get(slug=slug)


def organization_people(*, viewer: Any, organization: Organization) -> list[Affiliation]:
    return list(
        organization.affiliations.select_related("person").order_by(
            "-is_primary", "person__full_name_latin"
        )
    )


def organization_countries() -> list[str]:
    return sorted(
        {str(code) for code in Organization.objects.values_list("country", flat=True).distinct()}
    )


def person_list(*, viewer: Any, filters: PersonFilters | None = None) -> QuerySet:
    filters = filters or PersonFilters()
    people = Person.objects.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("organization"),
        ),
        "focus_areas",
    )
    for word in _words(filters.query):
        people = people.filter(search_text__contains=word)
    if filters.organization:
        people = people.filter(affiliations__organization__slug=filters.organization)
    if filters.country:
        people = people.filter(affiliations__organization__country=filters.country.upper())
    if filters.focus_area:
        area_ids = _focus_area_ids(filters.focus_area)
        if area_ids is None:
            return people.none()
        people = people.filter(focus_areas__in=area_ids)
    if filters.language:
        # JSON containment is not portable across SQLite and PostgreSQL; the quoted code is.
        people = people.filter(languages__icontains=f'"{filters.language.lower()}"')
    return people.distinct().order_by("full_name_latin")


def person_get(*, viewer: Any, slug: str) -> Person:
    return Person.objects.prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
        "focus_areas",
    ).get(slug=slug)


def person_contacts(*, viewer: Any, person: Person) -> dict[str, str] | None:
    """The person's contact details, or None when the viewer may not see them."""
    if not permissions.can_view_contacts(viewer):
        return None
    return {"email": person.email, "phone": person.phone, "messenger": person.messenger}


def registry_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "countries": Organization.objects.values("country").distinct().count(),
        "focus_areas": FocusArea.objects.filter(organizations__isnull=False).distinct().count(),
    }


def organizations_by_kind() -> list[dict[str, Any]]:
    """[{kind, label, total}] for the kinds present, most common first."""
    labels = dict(OrganizationKind.choices)
    rows = (
        Organization.objects.values("kind").annotate(total=Count("id")).order_by("-total", "kind")
    )
    return [{**row, "label": labels.get(row["kind"], row["kind"])} for row in rows]


def contributable_organizations(*, user: Any) -> QuerySet[Organization]:
    """Organizations whose portfolio the user may add to (all of them for platform staff)."""
    if permissions.is_platform_staff(user):
        return Organization.objects.order_by("name_en")
    return Organization.objects.filter(
        pk__in=permissions.contributable_organization_ids(user)
    ).order_by("name_en")
