"""Registry endpoints: organizations, people, focus areas."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import field_validator

from parkbridge.core.api import ApiRequest
from parkbridge.core.i18n import CONTENT_LANGUAGE_CODES
from parkbridge.registry import selectors, services
from parkbridge.registry.models import Organization, OrganizationKind, Person

router = Router(tags=["registry"])


class FocusAreaOut(Schema):
    code: str
    parent: str | None = Field(None, alias="parent.code")
    level: int
    name_en: str
    name_ru: str
    name_zh: str


class OrganizationRef(Schema):
    slug: str
    name_en: str


class OrganizationOut(Schema):
    slug: str
    name: str
    name_language: str
    name_en: str
    name_ru: str
    name_zh: str
    short_name: str
    kind: str
    country: str
    city: str
    website: str
    email: str
    description: str
    description_language: str
    parent: OrganizationRef | None
    focus_areas: list[str]
    url: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_country(obj: Organization) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_focus_areas(obj: Organization) -> list[str]:
        return [area.code for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_url(obj: Organization) -> str:
        return obj.get_absolute_url()


def _check_language(value: str) -> str:
    if value and value not in CONTENT_LANGUAGE_CODES:
        raise ValueError(f"unknown language code {value!r}; use ISO 639-1 such as en, ru, zh")
    return value


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    name_language: str = "en"
    name_en: str = Field(..., min_length=1, max_length=300)
    name_ru: str = Field("", max_length=300)
    name_zh: str = Field("", max_length=300)
    short_name: str = Field("", max_length=60)
    kind: OrganizationKind
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    city: str = Field("", max_length=120)
    website: str = ""
    email: str = ""
    description: str = ""
    description_language: str = "en"
    parent: str | None = Field(None, description="slug of the parent organization")
    focus_areas: list[str] = Field(default_factory=list, description="FOS codes")

    _languages = field_validator("name_language", "description_language")(_check_language)


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    name_language: str | None = None
    name_en: str | None = Field(None, min_length=1, max_length=300)
    name_ru: str | None = Field(None, max_length=300)
    name_zh: str | None = Field(None, max_length=300)
    short_name: str | None = Field(None, max_length=60)
    kind: OrganizationKind | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    city: str | None = Field(None, max_length=120)
    website: str | None = None
    email: str | None = None
    description: str | None = None
    description_language: str | None = None
    parent: str | None = None
    focus_areas: list[str] | None = None

    @field_validator("name_language", "description_language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        return _check_language(value) if value else value


class OrganizationFilterParams(Schema):
    q: str = Field("", description="words to find in names, city and description")
    kind: OrganizationKind | None = None
    country: str = Field("", description="ISO 3166-1 alpha-2")
    focus_area: str = Field("", description="FOS code; includes its sub-areas")
    parent: str = Field("", description="slug of the parent organization")


class AffiliationOut(Schema):
    organization: OrganizationRef
    position: str
    position_en: str
    is_primary: bool


class ContactsOut(Schema):
    email: str
    phone: str
    messenger: str


class PersonOut(Schema):
    slug: str
    full_name: str
    full_name_latin: str
    name_language: str
    expertise: str
    expertise_language: str
    languages: list[str]
    focus_areas: list[str]
    affiliations: list[AffiliationOut]
    contacts: ContactsOut | None = Field(
        None, description="only for signed-in members of the network"
    )
    url: str

    @staticmethod
    def resolve_focus_areas(obj: Person) -> list[str]:
        return [area.code for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Any]:
        return list(obj.affiliations.all())

    @staticmethod
    def resolve_contacts(obj: Person, context: dict[str, Any]) -> dict[str, str] | None:
        request = context["request"]
        return selectors.person_contacts(viewer=request.auth, person=obj)

    @staticmethod
    def resolve_url(obj: Person) -> str:
        return obj.get_absolute_url()


class PersonFilterParams(Schema):
    q: str = ""
    organization: str = Field("", description="organization slug")
    country: str = Field("", description="country of an affiliation, ISO 3166-1 alpha-2")
    focus_area: str = ""
    language: str = Field("", description="a language spoken, ISO 639-1")


class AffiliationIn(Schema):
    organization: str = Field(..., description="organization slug")
    position: str = Field("", max_length=200)
    position_en: str = Field("", max_length=200)
    is_primary: bool = False


class PersonIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    full_name_latin: str = Field(..., min_length=1, max_length=200)
    name_language: str = "en"
    expertise: str = ""
    expertise_language: str = "en"
    languages: list[str] = Field(default_factory=list)
    focus_areas: list[str] = Field(default_factory=list)
    email: str = ""
    phone: str = Field("", max_length=40)
    messenger: str = Field("", max_length=120)
    affiliations: list[AffiliationIn] = Field(default_factory=list)

    _languages = field_validator("name_language", "expertise_language")(_check_language)


class PersonPatch(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=200)
    full_name_latin: str | None = Field(None, min_length=1, max_length=200)
    name_language: str | None = None
    expertise: str | None = None
    expertise_language: str | None = None
    languages: list[str] | None = None
    focus_areas: list[str] | None = None
    email: str | None = None
    phone: str | None = Field(None, max_length=40)
    messenger: str | None = Field(None, max_length=120)


def _organization_by_slug(slug: str, field: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({field: f"No organization with slug {slug!r}."})
    return organization


def _organization_values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = payload.dict(exclude_unset=partial)
    values.pop("focus_areas", None)
    if "parent" in values:
        values["parent"] = (
            _organization_by_slug(values["parent"], "parent") if values["parent"] else None
        )
    if values.get("country"):
        values["country"] = values["country"].upper()
    if partial:
        values = {
            key: value for key, value in values.items() if value is not None or key == "parent"
        }
    return values


@router.get("/focus-areas", response=list[FocusAreaOut], summary="The FOS 2007 focus-area tree")
def focus_area_list(request: ApiRequest) -> list[Any]:
    return list(selectors.focus_area_tree())


@router.get("/organizations", response=list[OrganizationOut], summary="List organizations")
@paginate(PageNumberPagination, page_size=20)
def organization_list(request: ApiRequest, filters: Query[OrganizationFilterParams]) -> Any:
    return selectors.organization_list(
        viewer=request.auth,
        filters=selectors.OrganizationFilters(
            query=filters.q,
            kind=filters.kind or "",
            country=filters.country,
            focus_area=filters.focus_area,
            parent=filters.parent,
        ),
    )


@router.get("/organizations/{slug}", response=OrganizationOut, summary="One organization")
def organization_detail(request: ApiRequest, slug: str) -> Any:
    return selectors.organization_get(viewer=request.auth, slug=slug)


@router.post("/organizations", response={201: OrganizationOut}, summary="Add an organization")
def organization_create(request: ApiRequest, payload: OrganizationIn) -> Any:
    organization = services.organization_create(
        actor=request.auth,
        focus_areas=services.focus_areas_by_codes(payload.focus_areas),
        **_organization_values(payload, partial=False),
    )
    return Status(201, organization)


@router.patch("/organizations/{slug}", response=OrganizationOut, summary="Change an organization")
def organization_update(request: ApiRequest, slug: str, payload: OrganizationPatch) -> Any:
    organization = selectors.organization_get(viewer=request.auth, slug=slug)
    focus_areas = (
        services.focus_areas_by_codes(payload.focus_areas)
        if payload.focus_areas is not None
        else None
    )
    return services.organization_update(
        actor=request.auth,
        organization=organization,
        focus_areas=focus_areas,
        **_organization_values(payload, partial=True),
    )


@router.get("/people", response=list[PersonOut], summary="List people")
@paginate(PageNumberPagination, page_size=20)
def person_list(request: ApiRequest, filters: Query[PersonFilterParams]) -> Any:
    return selectors.person_list(
        viewer=request.auth,
        filters=selectors.PersonFilters(
            query=filters.q,
            organization=filters.organization,
            country=filters.country,
            focus_area=filters.focus_area,
            language=filters.language,
        ),
    )


@router.get("/people/{slug}", response=PersonOut, summary="One person")
def person_detail(request: ApiRequest, slug: str) -> Any:
    return selectors.person_get(viewer=request.auth, slug=slug)


@router.post("/people", response={201: PersonOut}, summary="Add a person")
def person_create(request: ApiRequest, payload: PersonIn) -> Any:
    values = payload.dict()
    focus_codes = values.pop("focus_areas")
    affiliations = [
        {
            **affiliation,
            "organization": _organization_by_slug(affiliation["organization"], "affiliations"),
        }
        for affiliation in values.pop("affiliations")
    ]
    person = services.person_create(
        actor=request.auth,
        focus_areas=services.focus_areas_by_codes(focus_codes),
        affiliations=affiliations,
        **values,
    )
    return Status(201, selectors.person_get(viewer=request.auth, slug=person.slug))


@router.patch("/people/{slug}", response=PersonOut, summary="Change a person")
def person_update(request: ApiRequest, slug: str, payload: PersonPatch) -> Any:
    person = selectors.person_get(viewer=request.auth, slug=slug)
    values = {
        key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None
    }
    focus_codes = values.pop("focus_areas", None)
    services.person_update(
        actor=request.auth,
        person=person,
        focus_areas=services.focus_areas_by_codes(focus_codes) if focus_codes is not None else None,
        **values,
    )
    return selectors.person_get(viewer=request.auth, slug=slug)
