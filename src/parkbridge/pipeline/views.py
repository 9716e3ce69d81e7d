"""Pipeline pages: the board, the list, a cooperation with its timeline, and tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.downloads import private_file_response
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.offers import selectors as offer_selectors
from parkbridge.pipeline import selectors, services
from parkbridge.pipeline.forms import (
    ActivityForm,
    BoardFilterForm,
    CooperationFilterForm,
    CooperationForm,
    MoveForm,
    TaskForm,
    owner_choices,
)
from parkbridge.pipeline.models import Cooperation, CooperationStage, Task
from parkbridge.portfolio import selectors as portfolio_selectors
from parkbridge.registry.models import Organization

# Moving into these stages needs more than a click: why it was lost, how it was commercialised.
STAGES_NEEDING_DETAILS = {CooperationStage.CLOSED_LOST, CooperationStage.COMMERCIALISED}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _cooperation_or_404(request: HttpRequest, pk: int) -> Cooperation:
    try:
        return selectors.cooperation_get(viewer=request.user, pk=pk)
    except Cooperation.DoesNotExist as error:
        raise Http404 from error


def _filters(form: CooperationFilterForm) -> selectors.CooperationFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.CooperationFilters(
        query=data.get("q", ""),
        stage=data.get("stage", ""),
        organization=data.get("organization", ""),
        owner=data.get("owner", ""),
        source=data.get("source", ""),
        open_only=bool(data.get("open_only")),
        overdue_only=bool(data.get("overdue_only")),
    )


def _can_record(request: HttpRequest) -> bool:
    return bool(permissions.contributable_organization_ids(request.user)) or (
        permissions.is_platform_staff(request.user)
    )


def _board_page(request: HttpRequest, filter_data: Any, *, partial: bool) -> HttpResponse:
    form = BoardFilterForm(filter_data or None)
    context = {
        "form": form,
        "columns": selectors.cooperation_board(viewer=request.user, filters=_filters(form)),
        "can_create": _can_record(request),
        "stages_needing_details": [str(stage) for stage in STAGES_NEEDING_DETAILS],
    }
    template = "pipeline/_board.html" if partial else "pipeline/board.html"
    return render(request, template, context)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    return _board_page(request, request.GET, partial=_is_htmx(request))


@login_required
def cooperation_list(request: HttpRequest) -> HttpResponse:
    form = CooperationFilterForm(request.GET or None)
    cooperations = selectors.cooperation_list(viewer=request.user, filters=_filters(form))
    context = {
        "form": form,
        "page": paginate(request, cooperations),
        "query_string": query_without_page(request),
        "can_create": _can_record(request),
    }
    template = "pipeline/_list_results.html" if _is_htmx(request) else "pipeline/list.html"
    return render(request, template, context)


@login_required
def cooperation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = _cooperation_or_404(request, pk)
    return render(request, "pipeline/detail.html", _detail_context(request, cooperation))


def _detail_context(request: HttpRequest, cooperation: Cooperation, **forms: Any) -> dict[str, Any]:
    members = owner_choices(set(cooperation.organizations.values_list("pk", flat=True)))
    return {
        "cooperation": cooperation,
        "activities": cooperation.activities.select_related("actor"),
        "tasks": cooperation.tasks.select_related("assignee", "organization"),
        "move_form": forms.get("move_form")
        or MoveForm(initial={"stage": _next_stage(cooperation.stage)}),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "task_form": forms.get("task_form") or TaskForm(assignee_choices=members),
        "stages": list(CooperationStage),
    }


def _next_stage(stage: str) -> str:
    order = list(CooperationStage)
    index = order.index(CooperationStage(stage))
    following = order[index + 1] if index + 1 < len(order) else order[index]
    return str(following if following != CooperationStage.CLOSED_LOST else stage)


def _form_choices(request: HttpRequest) -> dict[str, Any]:
    mine = permissions.contributable_organization_ids(request.user)
    return {
        "organization_choices": Organization.objects.order_by("name_en"),
        "project_choices": portfolio_selectors.project_list(viewer=request.user).order_by("title"),
        "offer_choices": offer_selectors.offer_list(viewer=request.user).order_by("title"),
        "owner_choices": owner_choices(mine)
        if not permissions.is_platform_staff(request.user)
        else owner_choices(set(Organization.objects.values_list("pk", flat=True))),
    }


def _initial_from_query(request: HttpRequest) -> dict[str, Any]:
    """A cooperation opened from a project, an offer or an organization page starts from it."""
    initial: dict[str, Any] = {}
    organizations = set(permissions.organization_ids(request.user))
    project = None
    if slug := request.GET.get("project"):
        project = portfolio_selectors.project_list(viewer=request.user).filter(slug=slug).first()
        if project is not None:
            initial["project"] = project
            organizations.add(project.owner_id)
    if slug := request.GET.get("offer"):
        offer = offer_selectors.offer_list(viewer=request.user).filter(slug=slug).first()
        if offer is not None:
            initial["offer"] = offer
            organizations.add(offer.owner_id)
            if project is not None:
                initial["title"] = f"{project.title} × {offer.title}"[:300]
    if slug := request.GET.get("organization"):
        organizations |= set(Organization.objects.filter(slug=slug).values_list("pk", flat=True))
    if organizations:
        initial["organizations"] = list(Organization.objects.filter(pk__in=organizations))
    initial["owner"] = request.user
    return initial


def _save(
    request: HttpRequest, form: CooperationForm, cooperation: Cooperation | None
) -> Cooperation | None:
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    organizations = list(values.pop("organizations"))
    try:
        if cooperation is None:
            return services.cooperation_create(
                actor=request.user, organizations=organizations, **values
            )
        return services.cooperation_update(
            actor=request.user, cooperation=cooperation, organizations=organizations, **values
        )
    except ValidationError as error:
        apply_validation_error(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _form_page(request: HttpRequest, cooperation: Cooperation | None) -> HttpResponse:
    if not _can_record(request):
        raise PermissionDenied
    form = CooperationForm(
        request.POST or None,
        instance=cooperation,
        initial=_initial_from_query(request) if cooperation is None else None,
        **_form_choices(request),
    )
    if request.method == "POST":
        stored = Cooperation.objects.get(pk=cooperation.pk) if cooperation is not None else None
        saved = _save(request, form, stored)
        if saved is not None:
            messages.success(request, _("Cooperation saved."))
            return redirect(saved)
    return render(request, "pipeline/form.html", {"form": form, "cooperation": cooperation})


@login_required
def cooperation_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
def cooperation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _cooperation_or_404(request, pk))


@login_required
@require_POST
def cooperation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = _cooperation_or_404(request, pk)
    services.cooperation_delete(actor=request.user, cooperation=cooperation)
    messages.success(request, _("Cooperation deleted."))
    return redirect("pipeline:board")


@login_required
def cooperation_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move to a stage: one click from the board, or a short form when details are needed."""
    cooperation = _cooperation_or_404(request, pk)
    form = MoveForm(request.POST or None, initial={"stage": request.GET.get("stage")})
    from_board = request.POST.get("from") == "board"
    if request.method == "POST" and form.is_valid():
        stage = form.cleaned_data["stage"]
        if from_board and stage in STAGES_NEEDING_DETAILS:
            target = reverse("pipeline:cooperation_move", args=[pk])
            return _redirect(request, f"{target}?{urlencode({'stage': stage})}")
        try:
            services.cooperation_move(
                actor=request.user,
                cooperation=cooperation,
                stage=stage,
                lost_reason=form.cleaned_data["lost_reason"],
                commercialisation=form.cleaned_data["commercialisation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if from_board and _is_htmx(request):
                # The board comes back with the filters it was showing (sent along the move).
                return _board_page(request, request.POST, partial=True)
            messages.success(
                request,
                _("Moved to %(stage)s.") % {"stage": CooperationStage(stage).label},
            )
            return redirect(cooperation)
    return render(request, "pipeline/move.html", {"cooperation": cooperation, "form": form})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = _cooperation_or_404(request, pk)
    form = ActivityForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.activity_add(actor=request.user, cooperation=cooperation, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Added to the timeline."))
            return redirect(cooperation)
    context = _detail_context(request, cooperation, activity_form=form)
    return render(request, "pipeline/detail.html", context, status=400)


@login_required
def activity_attachment(request: HttpRequest, pk: int, activity_pk: int) -> FileResponse:
    """A document on the timeline, for the cooperation's organizations only."""
    cooperation = _cooperation_or_404(request, pk)
    activity = cooperation.activities.filter(pk=activity_pk).exclude(attachment="").first()
    if activity is None:
        raise Http404
    return private_file_response(
        activity.attachment, filename=activity.attachment_name, content_type=None
    )


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = _cooperation_or_404(request, pk)
    members = owner_choices(set(cooperation.organizations.values_list("pk", flat=True)))
    form = TaskForm(request.POST, assignee_choices=members)
    if form.is_valid():
        organization = _task_organization(request, cooperation)
        try:
            services.task_create(
                actor=request.user,
                organization=organization,
                cooperation=cooperation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Task added."))
            return redirect(cooperation)
    context = _detail_context(request, cooperation, task_form=form)
    return render(request, "pipeline/detail.html", context, status=400)


def _task_organization(request: HttpRequest, cooperation: Cooperation) -> Organization:
    """The viewer's own organization among the cooperation's: tasks belong to one side."""
    mine = permissions.contributable_organization_ids(request.user)
    organizations = list(cooperation.organizations.all())
    return next((org for org in organizations if org.pk in mine), organizations[0])


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    include_done = request.GET.get("done") == "1"
    tasks = selectors.task_list(viewer=request.user, include_done=include_done)
    return render(
        request,
        "pipeline/tasks.html",
        {"page": paginate(request, tasks), "include_done": include_done},
    )


@login_required
@require_POST
def task_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = selectors.task_get(viewer=request.user, pk=pk)
    except Task.DoesNotExist as error:
        raise Http404 from error
    task = services.task_complete(actor=request.user, task=task, done=task.done_at is None)
    if _is_htmx(request):
        return render(request, "pipeline/_task.html", {"task": task})
    return redirect(request.POST.get("next") or reverse("pipeline:task_list"))
