"""Agreement endpoints, with the same confidentiality rules as the pages."""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from parkbridge.agreements import selectors, services
from parkbridge.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatus,
)
from parkbridge.core.api import ApiRequest
from parkbridge.core.downloads import private_file_response
from parkbridge.core.models import Confidentiality
from parkbridge.pipeline.models import Cooperation
from parkbridge.portfolio.models import Project
from parkbridge.portfolio.spreadsheets import organization_by_slug

router = Router(tags=["agreements"])


class DocumentOut(Schema):
    id: int
    title: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_file_name(obj: AgreementDocument) -> str:
        return obj.download_name

    @staticmethod
    def resolve_download_url(obj: AgreementDocument) -> str:
        return reverse(
            "api:agreement_document_download",
            kwargs={"agreement_id": obj.agreement_id, "document_id": obj.pk},
        )


class AgreementOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    language: str
    owner: str = Field(..., description="slug of the registering organization")
    parties: list[str]
    status: str
    signed_on: datetime.date | None
    signed_place: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    remind_days_before: int
    is_in_force: bool
    days_until_expiry: int | None
    confidentiality: str
    cooperations: list[int] = Field(..., description="ids of the linked cooperations you see")
    projects: list[str] = Field(..., description="slugs of the linked projects you see")
    granted_projects: list[str] = Field(
        ..., description="NDA: slugs of the restricted projects it opens while in force"
    )
    documents: list[DocumentOut] | None = Field(None, description="only for members of the parties")
    url: str

    @staticmethod
    def resolve_owner(obj: Agreement) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[str]:
        return sorted(party.slug for party in obj.parties.all())

    @staticmethod
    def resolve_is_in_force(obj: Agreement) -> bool:
        return obj.is_in_force()

    @staticmethod
    def resolve_cooperations(obj: Agreement, context: dict[str, Any]) -> list[int]:
        viewer = context["request"].auth
        return [item.pk for item in selectors.agreement_cooperations(viewer=viewer, agreement=obj)]

    @staticmethod
    def resolve_projects(obj: Agreement, context: dict[str, Any]) -> list[str]:
        viewer = context["request"].auth
        return [item.slug for item in selectors.agreement_projects(viewer=viewer, agreement=obj)]

    @staticmethod
    def resolve_granted_projects(obj: Agreement, context: dict[str, Any]) -> list[str]:
        viewer = context["request"].auth
        projects = selectors.agreement_granted_projects(viewer=viewer, agreement=obj)
        return [item.slug for item in projects]

    @staticmethod
    def resolve_documents(
        obj: Agreement, context: dict[str, Any]
    ) -> list[AgreementDocument] | None:
        viewer = context["request"].auth
        if not services.can_download_documents(viewer, obj):
            return None
        return list(selectors.agreement_documents(viewer=viewer, agreement=obj))

    @staticmethod
    def resolve_url(obj: Agreement) -> str:
        return obj.get_absolute_url()


class AgreementIn(Schema):
    kind: AgreementKind
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = ""
    language: str = Field("", description="ISO 639-1; detected from the text when empty")
    owner: str = Field(..., description="slug of your organization; must be one of the parties")
    parties: list[str] = Field(..., min_length=2, description="organization slugs")
    status: AgreementStatus = AgreementStatus.DRAFT
    signed_on: datetime.date | None = None
    signed_place: str = Field("", max_length=200)
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    remind_days_before: int = Field(60, ge=0, le=3650)
    confidentiality: Confidentiality = Confidentiality.RESTRICTED
    cooperations: list[int] = Field(default_factory=list, description="cooperation ids")
    projects: list[str] = Field(default_factory=list, description="project slugs")
    granted_projects: list[str] = Field(
        default_factory=list, description="NDA only: restricted projects of your organization"
    )


class AgreementPatch(Schema):
    kind: AgreementKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = None
    language: str | None = None
    owner: str | None = None
    parties: list[str] | None = None
    status: AgreementStatus | None = None
    signed_on: datetime.date | None = None
    signed_place: str | None = Field(None, max_length=200)
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    remind_days_before: int | None = Field(None, ge=0, le=3650)
    confidentiality: Confidentiality | None = None
    cooperations: list[int] | None = None
    projects: list[str] | None = None
    granted_projects: list[str] | None = None


class AgreementFilterParams(Schema):
    q: str = ""
    kind: AgreementKind | None = None
    status: AgreementStatus | None = None
    party: str = Field("", description="organization slug")
    validity: Literal["", "in_force", "expiring", "expired"] = ""
    within_days: int = Field(
        selectors.DEFAULT_EXPIRING_DAYS, ge=0, le=3650, description="for validity=expiring"
    )


# Null is meaningless for these: "not given" is how a PATCH leaves them alone.
NOT_NULL = {"kind", "title", "summary", "owner", "status", "signed_place", "remind_days_before"}
NOT_NULL |= {"confidentiality", "language"}


def _projects(viewer: Any, slugs: list[str], field: str) -> list[Project]:
    visible = {
        project.slug: project
        for project in selectors.project_choices(viewer=viewer).filter(slug__in=slugs)
    }
    missing = [slug for slug in slugs if slug not in visible]
    if missing:
        # A project the caller may not see answers like one that does not exist.
        raise ValidationError({field: _("No project %(slug)s.") % {"slug": missing[0]}})
    return [visible[slug] for slug in slugs]


def _cooperations(viewer: Any, ids: list[int]) -> list[Cooperation]:
    visible = {
        item.pk: item for item in selectors.visible_cooperations(viewer=viewer).filter(pk__in=ids)
    }
    missing = [pk for pk in ids if pk not in visible]
    if missing:
        raise ValidationError({"cooperations": _("No cooperation %(id)s.") % {"id": missing[0]}})
    return [visible[pk] for pk in ids]


def _values(viewer: Any, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    for name in NOT_NULL:
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field may not be null.")})
    links: dict[str, Any] = {}
    if data.get("parties") is not None:
        links["parties"] = [organization_by_slug(slug, "parties") for slug in data["parties"]]
    if data.get("projects") is not None:
        links["projects"] = _projects(viewer, data["projects"], "projects")
    if data.get("granted_projects") is not None:
        links["granted_projects"] = _projects(viewer, data["granted_projects"], "granted_projects")
    if data.get("cooperations") is not None:
        links["cooperations"] = _cooperations(viewer, data["cooperations"])
    for name in ("parties", "projects", "granted_projects", "cooperations"):
        data.pop(name, None)
    if data.get("owner"):
        data["owner"] = organization_by_slug(data["owner"], "owner")
    for name in ("kind", "status", "confidentiality"):
        if data.get(name) is not None:
            data[name] = str(data[name])
    return data, links


def _filters(params: AgreementFilterParams) -> selectors.AgreementFilters:
    return selectors.AgreementFilters(
        query=params.q,
        kind=params.kind or "",
        status=params.status or "",
        party=params.party,
        validity=params.validity,
        within_days=params.within_days,
    )


@router.get("/agreements", response=list[AgreementOut], summary="List agreements you may see")
@paginate(PageNumberPagination, page_size=20)
def agreement_list(request: ApiRequest, filters: Query[AgreementFilterParams]) -> Any:
    return selectors.agreement_list(viewer=request.auth, filters=_filters(filters))


@router.get(
    "/agreements/expiring",
    response=list[AgreementOut],
    summary="Agreements of your organizations that expire soon or expired in the last 30 days",
)
def agreements_expiring(request: ApiRequest, within_days: int | None = None) -> Any:
    return selectors.agreements_expiring(viewer=request.auth, within_days=within_days)


@router.get("/agreements/{int:agreement_id}", response=AgreementOut, summary="One agreement")
def agreement_detail(request: ApiRequest, agreement_id: int) -> Any:
    return selectors.agreement_get(viewer=request.auth, pk=agreement_id)


@router.post("/agreements", response={201: AgreementOut}, summary="Register an agreement")
def agreement_create(request: ApiRequest, payload: AgreementIn) -> Any:
    data, links = _values(request.auth, payload.dict())
    agreement = services.agreement_create(actor=request.auth, **links, **data)
    return Status(201, selectors.agreement_get(viewer=request.auth, pk=agreement.pk))


@router.patch(
    "/agreements/{int:agreement_id}", response=AgreementOut, summary="Change an agreement"
)
def agreement_update(request: ApiRequest, agreement_id: int, payload: AgreementPatch) -> Any:
    agreement = selectors.agreement_get(viewer=request.auth, pk=agreement_id)
    data, links = _values(request.auth, payload.dict(exclude_unset=True))
    services.agreement_update(actor=request.auth, agreement=agreement, **links, **data)
    return selectors.agreement_get(viewer=request.auth, pk=agreement_id)


@router.delete(
    "/agreements/{int:agreement_id}", response={204: None}, summary="Delete an agreement"
)
def agreement_delete(request: ApiRequest, agreement_id: int) -> Any:
    agreement = selectors.agreement_get(viewer=request.auth, pk=agreement_id)
    services.agreement_delete(actor=request.auth, agreement=agreement)
    return Status(204, None)


@router.post(
    "/agreements/{int:agreement_id}/documents",
    response={201: DocumentOut},
    summary="Attach a document (PDF, DOCX, DOC, ODT, XLSX, PNG or JPEG)",
)
def document_upload(
    request: ApiRequest,
    agreement_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Any:
    agreement = selectors.agreement_get(viewer=request.auth, pk=agreement_id)
    document = services.document_upload(
        actor=request.auth, agreement=agreement, file=file, title=title
    )
    return Status(201, document)


@router.get(
    "/agreements/{int:agreement_id}/documents/{int:document_id}",
    summary="Download a document (members of the parties only)",
    url_name="agreement_document_download",
)
def document_download(request: ApiRequest, agreement_id: int, document_id: int) -> Any:
    document = selectors.agreement_document_get(
        viewer=request.auth, agreement_pk=agreement_id, pk=document_id
    )
    return private_file_response(
        document.file, filename=document.download_name, content_type=document.content_type
    )


@router.delete(
    "/agreements/{int:agreement_id}/documents/{int:document_id}",
    response={204: None},
    summary="Remove a document",
)
def document_delete(request: ApiRequest, agreement_id: int, document_id: int) -> Any:
    document = selectors.agreement_document_get(
        viewer=request.auth, agreement_pk=agreement_id, pk=document_id
    )
    services.document_delete(actor=request.auth, document=document)
    return Status(204, None)
