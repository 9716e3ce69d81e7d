"""Portfolio endpoints: projects (with needs, partners, team, translations) and IP assets.

The same services, selectors and permission policy as the web pages: a project the caller
may not see answers 404, exactly like one that does not exist.
"""

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
from parkbridge.core.spreadsheets import FORMATS, download
from parkbridge.portfolio import selectors, services, spreadsheets
from parkbridge.portfolio.models import (
    IPAsset,
    IPKind,
    IPStatus,
    Jurisdiction,
    NeedKind,
    ParticipantRole,
    Project,
    ProjectKind,
    ProjectStage,
    RevenueBand,
)
from parkbridge.registry.models import Person
from parkbridge.registry.services import focus_areas_by_codes

router = Router(tags=["portfolio"])


class NeedSchema(Schema):
    kind: NeedKind
    description: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    currency: str = ""
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2")

    @staticmethod
    def resolve_countries(obj: Any) -> list[str]:
        return (
            [str(code) for code in obj.countries]
            if not isinstance(obj, dict)
            else obj.get("countries", [])
        )


class ParticipantSchema(Schema):
    organization: str = Field(..., description="organization slug")
    role: ParticipantRole

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return obj.organization.slug if not isinstance(obj, dict) else obj["organization"]


class TeamMemberSchema(Schema):
    person: str = Field(..., description="person slug")
    role: str = ""

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return obj.person.slug if not isinstance(obj, dict) else obj["person"]


class TranslationSchema(Schema):
    language: str
    title: str
    summary: str


class ProjectOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    language: str
    owner: str
    confidentiality: str
    shared_with: list[str] | None = Field(
        None, description="only shown to those who may edit the project"
    )
    focus_areas: list[str]
    keywords: list[str]
    trl: int | None
    stage: str
    founded_on: datetime.date | None
    legal_form: str
    team_size: int | None
    revenue_band: str
    website: str
    needs: list[NeedSchema]
    participants: list[ParticipantSchema]
    team: list[TeamMemberSchema]
    translations: list[TranslationSchema]
    url: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner(obj: Project) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_shared_with(obj: Project, context: dict[str, Any]) -> list[str] | None:
        from parkbridge.core.permissions import can_edit_owned

        if not can_edit_owned(context["request"].auth, obj):
            return None
        return [organization.slug for organization in obj.shared_with.all()]

    @staticmethod
    def resolve_focus_areas(obj: Project) -> list[str]:
        return [area.code for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_needs(obj: Project) -> list[Any]:
        return list(obj.needs.all())

    @staticmethod
    def resolve_participants(obj: Project) -> list[Any]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_team(obj: Project) -> list[Any]:
        return list(obj.team.all())

    @staticmethod
    def resolve_translations(obj: Project) -> list[Any]:
        return list(obj.translations.all())

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return obj.get_absolute_url()


class ProjectIn(Schema):
    kind: ProjectKind
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field(..., min_length=1)
    language: str = Field("", description="ISO 639-1; detected from the text when empty")
    owner: str = Field(..., description="organization slug")
    confidentiality: Confidentiality = Confidentiality.NETWORK
    shared_with: list[str] = Field(default_factory=list, description="organization slugs")
    focus_areas: list[str] = Field(default_factory=list, description="FOS codes")
    keywords: list[str] = Field(default_factory=list)
    trl: int | None = Field(None, ge=1, le=9)
    stage: ProjectStage = ProjectStage.IDEA
    founded_on: datetime.date | None = None
    legal_form: str = ""
    team_size: int | None = Field(None, ge=1)
    revenue_band: RevenueBand | None = None
    website: str = ""
    needs: list[NeedSchema] = Field(default_factory=list)
    participants: list[ParticipantSchema] = Field(default_factory=list)
    team: list[TeamMemberSchema] = Field(default_factory=list)
    translations: list[TranslationSchema] = Field(default_factory=list)


class ProjectPatch(Schema):
    kind: ProjectKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, min_length=1)
    language: str | None = None
    owner: str | None = None
    confidentiality: Confidentiality | None = None
    shared_with: list[str] | None = None
    focus_areas: list[str] | None = None
    keywords: list[str] | None = None
    trl: int | None = Field(None, ge=1, le=9)
    stage: ProjectStage | None = None
    founded_on: datetime.date | None = None
    legal_form: str | None = None
    team_size: int | None = Field(None, ge=1)
    revenue_band: RevenueBand | None = None
    website: str | None = None
    needs: list[NeedSchema] | None = None
    participants: list[ParticipantSchema] | None = None
    team: list[TeamMemberSchema] | None = None
    translations: list[TranslationSchema] | None = None


class ProjectFilterParams(Schema):
    q: str = Field("", description="words to find in title, summary, keywords, needs")
    kind: ProjectKind | None = None
    focus_area: str = Field("", description="FOS code; includes its sub-areas")
    trl_min: int | None = Field(None, ge=1, le=9)
    trl_max: int | None = Field(None, ge=1, le=9)
    stage: ProjectStage | None = None
    country: str = Field("", description="owner's country, ISO 3166-1 alpha-2")
    need: NeedKind | None = None
    language: str = ""
    owner: str = Field("", description="owner organization slug")


def _organization(slug: str, field: str) -> Any:
    return spreadsheets.organization_by_slug(slug, field)


def _person(slug: str) -> Person:
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        raise ValidationError({"team": f"No person {slug!r}."})
    return person


def _related_values(data: dict[str, Any]) -> dict[str, Any]:
    """Turn slugs and codes of a payload into the objects the services take."""
    related: dict[str, Any] = {}
    if data.get("focus_areas") is not None:
        related["focus_areas"] = focus_areas_by_codes(data.pop("focus_areas"))
    else:
        data.pop("focus_areas", None)
    if data.get("shared_with") is not None:
        related["shared_with"] = [_organization(s, "shared_with") for s in data.pop("shared_with")]
    else:
        data.pop("shared_with", None)
    for name in ("needs", "participants", "team", "translations"):
        items = data.pop(name, None)
        if items is None:
            continue
        if name == "needs":
            items = [
                {**need, "countries": [code.upper() for code in need["countries"]]}
                for need in items
            ]
        if name == "participants":
            items = [
                {**item, "organization": _organization(item["organization"], "participants")}
                for item in items
            ]
        if name == "team":
            items = [{**item, "person": _person(item["person"])} for item in items]
        related[name] = items
    if data.get("owner"):
        data["owner"] = _organization(data["owner"], "owner")
    if "revenue_band" in data and data["revenue_band"] is None:
        data["revenue_band"] = ""
    return related


def _filters(params: ProjectFilterParams) -> selectors.ProjectFilters:
    return selectors.ProjectFilters(
        query=params.q,
        kind=params.kind or "",
        focus_area=params.focus_area,
        trl_min=params.trl_min,
        trl_max=params.trl_max,
        stage=params.stage or "",
        country=params.country,
        need=params.need or "",
        language=params.language,
        owner=params.owner,
    )


@router.get("/projects", response=list[ProjectOut], summary="List projects you may see")
@paginate(PageNumberPagination, page_size=20)
def project_list(request: ApiRequest, filters: Query[ProjectFilterParams]) -> Any:
    return selectors.project_list(viewer=request.auth, filters=_filters(filters))


@router.get("/projects/export.{file_format}", summary="Export visible projects (csv or xlsx)")
def project_export(
    request: ApiRequest, file_format: str, filters: Query[ProjectFilterParams]
) -> HttpResponse:
    if file_format not in FORMATS:
        raise ValidationError({"file_format": "Use csv or xlsx."})
    projects = selectors.project_list(viewer=request.auth, filters=_filters(filters))
    content = spreadsheets.projects_export(projects=projects, file_format=file_format)
    return download(content, name="projects", file_format=file_format)


@router.post(
    "/projects/import",
    response={200: ImportOut, 400: ImportOut},
    summary="Import projects from CSV or XLSX: all rows or none",
)
def project_import(request: ApiRequest, file: File[UploadedFile], dry_run: bool = False) -> Any:
    report = spreadsheets.projects_import(
        actor=request.auth, content=file.read(), filename=file.name or "", commit=not dry_run
    )
    return import_answer(report, dry_run=dry_run)


@router.get("/projects/{slug}", response=ProjectOut, summary="One project")
def project_detail(request: ApiRequest, slug: str) -> Any:
    return selectors.project_get(viewer=request.auth, slug=slug)


@router.post("/projects", response={201: ProjectOut}, summary="Add a project")
def project_create(request: ApiRequest, payload: ProjectIn) -> Any:
    data = payload.dict()
    related = _related_values(data)
    project = services.project_create(actor=request.auth, **related, **data)
    return Status(201, selectors.project_get(viewer=request.auth, slug=project.slug))


@router.patch("/projects/{slug}", response=ProjectOut, summary="Change a project")
def project_update(request: ApiRequest, slug: str, payload: ProjectPatch) -> Any:
    project = selectors.project_get(viewer=request.auth, slug=slug)
    data = payload.dict(exclude_unset=True)
    related = _related_values(data)
    data = {
        key: value
        for key, value in data.items()
        if value is not None or key in {"trl", "founded_on", "team_size"}
    }
    services.project_update(actor=request.auth, project=project, **related, **data)
    return selectors.project_get(viewer=request.auth, slug=slug)


@router.delete("/projects/{slug}", response={204: None}, summary="Delete a project")
def project_delete(request: ApiRequest, slug: str) -> Any:
    project = selectors.project_get(viewer=request.auth, slug=slug)
    services.project_delete(actor=request.auth, project=project)
    return Status(204, None)


class IPAssetOut(Schema):
    slug: str
    kind: str
    title: str
    number: str
    jurisdiction: str
    filing_date: datetime.date | None
    grant_date: datetime.date | None
    status: str
    owner: str
    co_owners: list[str]
    projects: list[str]
    confidentiality: str
    url: str

    @staticmethod
    def resolve_owner(obj: IPAsset) -> str:
        return obj.owner.slug

    @staticmethod
    def resolve_co_owners(obj: IPAsset) -> list[str]:
        return [organization.slug for organization in obj.co_owners.all()]

    @staticmethod
    def resolve_projects(obj: IPAsset, context: dict[str, Any]) -> list[str]:
        visible = selectors.ip_asset_projects(viewer=context["request"].auth, asset=obj)
        return [project.slug for project in visible]

    @staticmethod
    def resolve_url(obj: IPAsset) -> str:
        return obj.get_absolute_url()


class IPAssetIn(Schema):
    kind: IPKind
    title: str = Field(..., min_length=1, max_length=300)
    number: str = ""
    jurisdiction: Jurisdiction | None = None
    filing_date: datetime.date | None = None
    grant_date: datetime.date | None = None
    status: IPStatus
    owner: str
    co_owners: list[str] = Field(default_factory=list)
    projects: list[str] = Field(default_factory=list, description="project slugs")
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    shared_with: list[str] = Field(default_factory=list)


@router.get("/ip-assets", response=list[IPAssetOut], summary="List IP assets you may see")
@paginate(PageNumberPagination, page_size=20)
def ip_asset_list(request: ApiRequest, q: str = "", owner: str = "", kind: str = "") -> Any:
    return selectors.ip_asset_list(viewer=request.auth, query=q, owner=owner, kind=kind)


@router.get("/ip-assets/{slug}", response=IPAssetOut, summary="One IP asset")
def ip_asset_detail(request: ApiRequest, slug: str) -> Any:
    return selectors.ip_asset_get(viewer=request.auth, slug=slug)


@router.post("/ip-assets", response={201: IPAssetOut}, summary="Add an IP asset")
def ip_asset_create(request: ApiRequest, payload: IPAssetIn) -> Any:
    data = payload.dict()
    projects = _visible_projects(request, data.pop("projects"))
    asset = services.ip_asset_create(
        actor=request.auth,
        owner=_organization(data.pop("owner"), "owner"),
        co_owners=[_organization(s, "co_owners") for s in data.pop("co_owners")],
        shared_with=[_organization(s, "shared_with") for s in data.pop("shared_with")],
        projects=projects,
        **{**data, "jurisdiction": data["jurisdiction"] or ""},
    )
    return Status(201, asset)


class IPAssetPatch(Schema):
    kind: IPKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    number: str | None = None
    jurisdiction: Jurisdiction | None = None
    filing_date: datetime.date | None = None
    grant_date: datetime.date | None = None
    status: IPStatus | None = None
    co_owners: list[str] | None = None
    projects: list[str] | None = None
    confidentiality: Confidentiality | None = None
    shared_with: list[str] | None = None


def _visible_projects(request: ApiRequest, slugs: list[str]) -> list[Project]:
    projects = []
    for slug in slugs:
        try:
            projects.append(selectors.project_get(viewer=request.auth, slug=slug))
        except Project.DoesNotExist as error:
            raise ValidationError({"projects": f"No project {slug!r}."}) from error
    return projects


@router.patch("/ip-assets/{slug}", response=IPAssetOut, summary="Change an IP asset")
def ip_asset_update(request: ApiRequest, slug: str, payload: IPAssetPatch) -> Any:
    asset = selectors.ip_asset_get(viewer=request.auth, slug=slug)
    data = payload.dict(exclude_unset=True)
    related: dict[str, Any] = {}
    if data.get("co_owners") is not None:
        related["co_owners"] = [_organization(s, "co_owners") for s in data.pop("co_owners")]
    if data.get("shared_with") is not None:
        related["shared_with"] = [_organization(s, "shared_with") for s in data.pop("shared_with")]
    if data.get("projects") is not None:
        related["projects"] = _visible_projects(request, data.pop("projects"))
    if "jurisdiction" in data:
        data["jurisdiction"] = data["jurisdiction"] or ""
    data = {key: value for key, value in data.items() if value is not None or key.endswith("_date")}
    services.ip_asset_update(actor=request.auth, asset=asset, **related, **data)
    return selectors.ip_asset_get(viewer=request.auth, slug=slug)


@router.delete("/ip-assets/{slug}", response={204: None}, summary="Delete an IP asset")
def ip_asset_delete(request: ApiRequest, slug: str) -> Any:
    asset = selectors.ip_asset_get(viewer=request.auth, slug=slug)
    services.ip_asset_delete(actor=request.auth, asset=asset)
    return Status(204, None)
