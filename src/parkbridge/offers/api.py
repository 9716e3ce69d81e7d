"""Offer and request endpoints, with the same confidentiality rules as the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from parkbridge.core.api import ApiRequest, ImportOut, import_answer
from parkbridge.core.models import Confidentiality
from parkbridge.core.permissions import can_edit_owned
from parkbridge.core.spreadsheets import FORMATS, download
from parkbridge.offers import selectors, services, spreadsheets
from parkbridge.offers.models import Offer, OfferKind
from parkbridge.portfolio.models import ProjectStage
from parkbridge.portfolio.spreadsheets import organization_by_slug
from parkbridge.registry.models import Person
from parkbridge.registry.services import focus_areas_by_codes

router = Router(tags=["offers"])


class OfferOut(Schema):
    slug: str
    kind: str
    is_request: bool
    title: str
    description: str
    language: str
    owner: str
    contact: str | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    is_current: bool
    confidentiality: str
    shared_with: list[str] | None = Field(None, description="only for those who may edit it")
    focus_areas: list[str]
    countries: list[str]
    ticket_min: Decimal | None
    ticket_max: Decimal | None
    currency: str
    stages: list[str]
    trl_min: int | None
    trl_max: int | None
    channels: str
    url: str

    @staticmethod
    def resolve_owner(obj: Offer) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_contact(obj: Offer) -> str | None:
        return obj.contact.slug if obj.contact else None

    @staticmethod
    def resolve_shared_with(obj: Offer, context: dict[str, Any]) -> list[str] | None:
        if not can_edit_owned(context["request"].auth, obj):
            return None
        return [organization.slug for organization in obj.shared_with.all()]

    @staticmethod
    def resolve_focus_areas(obj: Offer) -> list[str]:
        return [area.code for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_countries(obj: Offer) -> list[str]:
        return [str(code) for code in obj.countries]

    @staticmethod
    def resolve_url(obj: Offer) -> str:
        return obj.get_absolute_url()


class OfferIn(Schema):
    kind: OfferKind
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field(..., min_length=1)
    language: str = Field("", description="ISO 639-1; detected from the text when empty")
    owner: str = Field(..., description="organization slug")
    contact: str | None = Field(None, description="person slug, affiliated with the owner")
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    confidentiality: Confidentiality = Confidentiality.NETWORK
    shared_with: list[str] = Field(default_factory=list)
    focus_areas: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2")
    ticket_min: Decimal | None = Field(None, ge=0)
    ticket_max: Decimal | None = Field(None, ge=0)
    currency: str = ""
    stages: list[ProjectStage] = Field(default_factory=list)
    trl_min: int | None = Field(None, ge=1, le=9)
    trl_max: int | None = Field(None, ge=1, le=9)
    channels: str = ""


class OfferPatch(Schema):
    kind: OfferKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, min_length=1)
    language: str | None = None
    contact: str | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    confidentiality: Confidentiality | None = None
    shared_with: list[str] | None = None
    focus_areas: list[str] | None = None
    countries: list[str] | None = None
    ticket_min: Decimal | None = Field(None, ge=0)
    ticket_max: Decimal | None = Field(None, ge=0)
    currency: str | None = None
    stages: list[ProjectStage] | None = None
    trl_min: int | None = Field(None, ge=1, le=9)
    trl_max: int | None = Field(None, ge=1, le=9)
    channels: str | None = None


class OfferFilterParams(Schema):
    q: str = ""
    kind: OfferKind | None = None
    focus_area: str = ""
    country: str = Field("", description="a country the offer applies to, or the owner's")
    language: str = ""
    trl: int | None = Field(None, ge=1, le=9, description="offers whose TRL range includes it")
    owner: str = ""
    current_only: bool = False


def _filters(params: OfferFilterParams) -> selectors.OfferFilters:
    return selectors.OfferFilters(
        query=params.q,
        kind=params.kind or "",
        focus_area=params.focus_area,
        country=params.country,
        language=params.language,
        trl=params.trl,
        owner=params.owner,
        current_only=params.current_only,
    )


def _values(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    related: dict[str, Any] = {}
    if data.get("focus_areas") is not None:
        related["focus_areas"] = focus_areas_by_codes(data.pop("focus_areas"))
    data.pop("focus_areas", None)
    if data.get("shared_with") is not None:
        related["shared_with"] = [
            organization_by_slug(slug, "shared_with") for slug in data.pop("shared_with")
        ]
    data.pop("shared_with", None)
    if "contact" in data:
        slug = data.pop("contact")
        data["contact"] = Person.objects.filter(slug=slug).first() if slug else None
        if slug and data["contact"] is None:
            raise ValidationError({"contact": f"No person {slug!r}."})
    if data.get("owner"):
        data["owner"] = organization_by_slug(data["owner"], "owner")
    if data.get("countries") is not None:
        data["countries"] = [code.upper() for code in data["countries"]]
    if data.get("stages") is not None:
        data["stages"] = [str(stage) for stage in data["stages"]]
    return data, related


@router.get("/offers", response=list[OfferOut], summary="List offers and requests you may see")
@paginate(PageNumberPagination, page_size=20)
def offer_list(request: ApiRequest, filters: Query[OfferFilterParams]) -> Any:
    return selectors.offer_list(viewer=request.auth, filters=_filters(filters))


@router.get("/offers/export.{file_format}", summary="Export visible offers (csv or xlsx)")
def offer_export(
    request: ApiRequest, file_format: str, filters: Query[OfferFilterParams]
) -> HttpResponse:
    if file_format not in FORMATS:
        raise ValidationError({"file_format": "Use csv or xlsx."})
    offers = selectors.offer_list(viewer=request.auth, filters=_filters(filters))
    content = spreadsheets.offers_export(offers=offers, file_format=file_format)
    return download(content, name="offers", file_format=file_format)


@router.post(
    "/offers/import",
    response={200: ImportOut, 400: ImportOut},
    summary="Import offers: all rows or none",
)
def offer_import(request: ApiRequest, file: File[UploadedFile], dry_run: bool = False) -> Any:
    report = spreadsheets.offers_import(
        actor=request.auth, content=file.read(), filename=file.name or "", commit=not dry_run
    )
    return import_answer(report, dry_run=dry_run)


@router.get("/offers/{slug}", response=OfferOut, summary="One offer or request")
def offer_detail(request: ApiRequest, slug: str) -> Any:
    return selectors.offer_get(viewer=request.auth, slug=slug)


@router.post("/offers", response={201: OfferOut}, summary="Publish an offer or request")
def offer_create(request: ApiRequest, payload: OfferIn) -> Any:
    data, related = _values(payload.dict())
    offer = services.offer_create(actor=request.auth, **related, **data)
    return Status(201, selectors.offer_get(viewer=request.auth, slug=offer.slug))


@router.patch("/offers/{slug}", response=OfferOut, summary="Change an offer or request")
def offer_update(request: ApiRequest, slug: str, payload: OfferPatch) -> Any:
    offer = selectors.offer_get(viewer=request.auth, slug=slug)
    data, related = _values(payload.dict(exclude_unset=True))
    services.offer_update(actor=request.auth, offer=offer, **related, **data)
    return selectors.offer_get(viewer=request.auth, slug=slug)


@router.delete("/offers/{slug}", response={204: None}, summary="Delete an offer or request")
def offer_delete(request: ApiRequest, slug: str) -> Any:
    offer = selectors.offer_get(viewer=request.auth, slug=slug)
    services.offer_delete(actor=request.auth, offer=offer)
    return Status(204, None)
