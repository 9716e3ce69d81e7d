"""Cooperation pipeline endpoints: the organizations of a cooperation (and staff) see it."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from parkbridge.core import permissions
from parkbridge.core.api import ApiRequest
from parkbridge.offers.models import Offer
from parkbridge.pipeline import selectors, services
from parkbridge.pipeline.models import Activity, Cooperation, Task
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

router = Router(tags=["pipeline"])


class CooperationOut(Schema):
    id: int
    title: str
    description: str
    stage: str
    stage_changed_at: datetime.datetime
    organizations: list[str]
    project: str | None
    offer: str | None
    value: Decimal | None
    currency: str
    owner: str | None
    next_step: str
    next_step_due: datetime.date | None
    lost_reason: str
    commercialisation: str
    source: str
    url: str

    @staticmethod
    def resolve_organizations(obj: Cooperation) -> list[str]:
        return [organization.slug for organization in obj.organizations.all()]

    @staticmethod
    def resolve_project(obj: Cooperation) -> str | None:
        return obj.project.slug if obj.project else None

    @staticmethod
    def resolve_offer(obj: Cooperation) -> str | None:
        return obj.offer.slug if obj.offer else None

    @staticmethod
    def resolve_owner(obj: Cooperation) -> str | None:
        return obj.owner.email if obj.owner else None

    @staticmethod
    def resolve_url(obj: Cooperation) -> str:
        return obj.get_absolute_url()


class CooperationIn(Schema):
    title: str
    organizations: list[str]
    description: str = ""
    project: str | None = None
    offer: str | None = None
    value: Decimal | None = None
    currency: str = ""
    owner: str | None = None
    next_step: str = ""
    next_step_due: datetime.date | None = None


class CooperationPatch(Schema):
    title: str | None = None
    organizations: list[str] | None = None
    description: str | None = None
    project: str | None = None
    offer: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    owner: str | None = None
    next_step: str | None = None
    next_step_due: datetime.date | None = None


class MoveIn(Schema):
    stage: str
    lost_reason: str = ""
    commercialisation: str = ""
    note: str = ""


class ActivityIn(Schema):
    kind: str
    text: str
    happened_at: datetime.datetime | None = None


class ActivityOut(Schema):
    id: int
    kind: str
    text: str
    happened_at: datetime.datetime
    actor: str | None
    from_stage: str
    to_stage: str

    @staticmethod
    def resolve_actor(obj: Activity) -> str | None:
        return obj.actor.email if obj.actor else None


class TaskIn(Schema):
    title: str
    details: str = ""
    cooperation: int | None = None
    organization: str | None = None  # defaults to your organization in the cooperation
    assignee: str | None = None
    due_on: datetime.date | None = None


class TaskOut(Schema):
    id: int
    title: str
    details: str
    organization: str
    cooperation: int | None
    assignee: str | None
    due_on: datetime.date | None
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_organization(obj: Task) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_cooperation(obj: Task) -> int | None:
        return obj.cooperation_id

    @staticmethod
    def resolve_assignee(obj: Task) -> str | None:
        return obj.assignee.email if obj.assignee else None


class CooperationFilterParams(Schema):
    q: str = ""
    stage: str = ""
    organization: str = ""
    owner: str = ""
    source: str = ""
    open_only: bool = False
    overdue_only: bool = False


def _organizations(slugs: list[str]) -> list[Organization]:
    found = {
        organization.slug: organization
        for organization in Organization.objects.filter(slug__in=slugs)
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValidationError({"organizations": f"No organization {', '.join(missing)}."})
    return [found[slug] for slug in slugs]


def _user_by_email(email: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise ValidationError({"owner": f"No user {email!r}."})
    return user


def _values(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Slugs and e-mails of the payload turned into the objects the services take."""
    if "project" in data:
        slug = data["project"]
        data["project"] = (
            permissions.visible(Project.objects.all(), request.auth).filter(slug=slug).first()
            if slug
            else None
        )
        if slug and data["project"] is None:
            raise ValidationError({"project": f"No project {slug!r}."})
    if "offer" in data:
        slug = data["offer"]
        data["offer"] = (
            permissions.visible(Offer.objects.all(), request.auth).filter(slug=slug).first()
            if slug
            else None
        )
        if slug and data["offer"] is None:
            raise ValidationError({"offer": f"No offer {slug!r}."})
    if "owner" in data:
        data["owner"] = _user_by_email(data["owner"]) if data["owner"] else None
    return data


def _require_member(request: ApiRequest) -> None:
    if not request.auth.is_authenticated:
        raise PermissionDenied("Sign in with a token to use the pipeline.")


@router.get(
    "/cooperations",
    response=list[CooperationOut],
    summary="Cooperations of your organizations",
)
@paginate(PageNumberPagination, page_size=50)
def cooperation_list(request: ApiRequest, filters: Query[CooperationFilterParams]) -> Any:
    _require_member(request)
    return selectors.cooperation_list(
        viewer=request.auth,
        filters=selectors.CooperationFilters(
            query=filters.q,
            stage=filters.stage,
            organization=filters.organization,
            owner=filters.owner,
            source=filters.source,
            open_only=filters.open_only,
            overdue_only=filters.overdue_only,
        ),
    )


@router.get("/cooperations/{pk}", response=CooperationOut, summary="One cooperation")
def cooperation_detail(request: ApiRequest, pk: int) -> Any:
    _require_member(request)
    return selectors.cooperation_get(viewer=request.auth, pk=pk)


@router.post("/cooperations", response={201: CooperationOut}, summary="Open a cooperation")
def cooperation_create(request: ApiRequest, payload: CooperationIn) -> Any:
    _require_member(request)
    data = _values(request, payload.dict())
    organizations = _organizations(data.pop("organizations"))
    cooperation = services.cooperation_create(
        actor=request.auth, organizations=organizations, **data
    )
    return Status(201, selectors.cooperation_get(viewer=request.auth, pk=cooperation.pk))


@router.patch("/cooperations/{pk}", response=CooperationOut, summary="Change a cooperation")
def cooperation_update(request: ApiRequest, pk: int, payload: CooperationPatch) -> Any:
    _require_member(request)
    cooperation = selectors.cooperation_get(viewer=request.auth, pk=pk)
    data = _values(request, payload.dict(exclude_unset=True))
    slugs = data.pop("organizations", None)
    services.cooperation_update(
        actor=request.auth,
        cooperation=cooperation,
        organizations=_organizations(slugs) if slugs is not None else None,
        **data,
    )
    return selectors.cooperation_get(viewer=request.auth, pk=pk)


@router.post("/cooperations/{pk}/move", response=CooperationOut, summary="Move to a stage")
def cooperation_move(request: ApiRequest, pk: int, payload: MoveIn) -> Any:
    _require_member(request)
    cooperation = selectors.cooperation_get(viewer=request.auth, pk=pk)
    services.cooperation_move(actor=request.auth, cooperation=cooperation, **payload.dict())
    return selectors.cooperation_get(viewer=request.auth, pk=pk)


@router.delete("/cooperations/{pk}", response={204: None}, summary="Delete a cooperation")
def cooperation_delete(request: ApiRequest, pk: int) -> Any:
    _require_member(request)
    cooperation = selectors.cooperation_get(viewer=request.auth, pk=pk)
    services.cooperation_delete(actor=request.auth, cooperation=cooperation)
    return Status(204, None)


@router.get(
    "/cooperations/{pk}/activities",
    response=list[ActivityOut],
    summary="The timeline of a cooperation, newest first",
)
def activity_list(request: ApiRequest, pk: int) -> Any:
    _require_member(request)
    return selectors.cooperation_get(viewer=request.auth, pk=pk).activities.select_related("actor")


@router.post(
    "/cooperations/{pk}/activities",
    response={201: ActivityOut},
    summary="Add a note, call, e-mail or meeting to the timeline",
)
def activity_add(request: ApiRequest, pk: int, payload: ActivityIn) -> Any:
    _require_member(request)
    cooperation = selectors.cooperation_get(viewer=request.auth, pk=pk)
    activity = services.activity_add(actor=request.auth, cooperation=cooperation, **payload.dict())
    return Status(201, activity)


@router.get("/tasks", response=list[TaskOut], summary="Tasks of your organizations")
@paginate(PageNumberPagination, page_size=50)
def task_list(request: ApiRequest, include_done: bool = False) -> Any:
    _require_member(request)
    return selectors.task_list(viewer=request.auth, include_done=include_done)


@router.post("/tasks", response={201: TaskOut}, summary="Add a task")
def task_create(request: ApiRequest, payload: TaskIn) -> Any:
    _require_member(request)
    data = payload.dict()
    cooperation = (
        selectors.cooperation_get(viewer=request.auth, pk=data.pop("cooperation"))
        if data.get("cooperation")
        else data.pop("cooperation")
    )
    slug = data.pop("organization")
    if slug:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise ValidationError({"organization": f"No organization {slug!r}."})
    else:
        mine = permissions.contributable_organization_ids(request.auth)
        candidates = cooperation.organizations.all() if cooperation else Organization.objects
        organization = candidates.filter(pk__in=mine).first()
        if organization is None:
            raise ValidationError({"organization": "Name the organization the task is for."})
    assignee = data.pop("assignee")
    task = services.task_create(
        actor=request.auth,
        organization=organization,
        cooperation=cooperation,
        assignee=_user_by_email(assignee) if assignee else None,
        **data,
    )
    return Status(201, task)


@router.post("/tasks/{pk}/done", response=TaskOut, summary="Mark a task done (or not done)")
def task_done(request: ApiRequest, pk: int, done: bool = True) -> Any:
    _require_member(request)
    task = selectors.task_get(viewer=request.auth, pk=pk)
    return services.task_complete(actor=request.auth, task=task, done=done)
