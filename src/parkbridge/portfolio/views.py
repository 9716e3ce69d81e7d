"""Portfolio pages: projects and IP assets (thin views over selectors and services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.import_views import spreadsheet_import
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.core.spreadsheets import FORMATS, download
from parkbridge.portfolio import selectors, services, spreadsheets
from parkbridge.portfolio.forms import (
    ImportForm,
    IPAssetForm,
    NeedFormSet,
    ParticipantFormSet,
    ProjectFilterForm,
    ProjectForm,
    TeamFormSet,
    TranslationFormSet,
    filled_rows,
)
from parkbridge.portfolio.models import TRL_DEFINITIONS, IPAsset, Project
from parkbridge.registry import selectors as registry_selectors


def _project_or_404(request: HttpRequest, slug: str) -> Project:
    try:
        return selectors.project_get(viewer=request.user, slug=slug)
    except Project.DoesNotExist as error:
        # A project the viewer may not see answers exactly like one that does not exist.
        raise Http404 from error


def project_filters(form: ProjectFilterForm) -> selectors.ProjectFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.ProjectFilters(
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        focus_area=data.get("focus_area", ""),
        trl_min=data.get("trl_min"),
        trl_max=data.get("trl_max"),
        stage=data.get("stage", ""),
        country=data.get("country", ""),
        need=data.get("need", ""),
        language=data.get("language", ""),
        owner=data.get("owner", ""),
    )


def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    projects = selectors.project_list(viewer=request.user, filters=project_filters(form))
    context = {
        "form": form,
        "page": paginate(request, projects),
        "query_string": query_without_page(request),
        "can_create": bool(permissions.contributable_organization_ids(request.user))
        or permissions.is_platform_staff(request.user),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "portfolio/_project_results.html" if partial else "portfolio/project_list.html"
    return render(request, template, context)


def project_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    form = ProjectFilterForm(request.GET or None)
    projects = selectors.project_list(viewer=request.user, filters=project_filters(form))
    content = spreadsheets.projects_export(projects=projects, file_format=file_format)
    return download(content, name="projects", file_format=file_format)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    translation = project.translation_for()
    show_original = request.GET.get("original") == "1"
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "translation": None if show_original else translation,
            "has_translation": translation is not None,
            "ip_assets": selectors.project_ip_assets(viewer=request.user, project=project),
            "can_edit": permissions.can_edit_owned(request.user, project),
            "can_delete": permissions.can_delete_owned(request.user, project),
            "trl_definition": TRL_DEFINITIONS.get(project.trl or 0),
        },
    )


def _formsets(request: HttpRequest, project: Project | None) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    initial: dict[str, list[dict[str, Any]]] = {
        "needs": [],
        "participants": [],
        "team": [],
        "translations": [],
    }
    if project is not None:
        initial["needs"] = [
            {
                "kind": need.kind,
                "description": need.description,
                "amount_min": need.amount_min,
                "amount_max": need.amount_max,
                "currency": need.currency,
                "countries": list(need.countries),
            }
            for need in project.needs.all()
        ]
        initial["participants"] = [
            {"organization": p.organization, "role": p.role} for p in project.participants.all()
        ]
        initial["team"] = [{"person": m.person, "role": m.role} for m in project.team.all()]
        initial["translations"] = [
            {"language": t.language, "title": t.title, "summary": t.summary}
            for t in project.translations.all()
        ]
    return {
        "needs": NeedFormSet(data, prefix="needs", initial=initial["needs"] or None),
        "participants": ParticipantFormSet(
            data, prefix="participants", initial=initial["participants"] or None
        ),
        "team": TeamFormSet(data, prefix="team", initial=initial["team"] or None),
        "translations": TranslationFormSet(
            data, prefix="translations", initial=initial["translations"] or None
        ),
    }


def _save_project(
    request: HttpRequest, form: ProjectForm, formsets: dict[str, Any], project: Project | None
) -> Project | None:
    if not form.is_valid() or not all(formset.is_valid() for formset in formsets.values()):
        return None
    values = dict(form.cleaned_data)
    related = {
        "focus_areas": values.pop("focus_areas"),
        "shared_with": values.pop("shared_with"),
        "needs": filled_rows(formsets["needs"], "kind"),
        "participants": filled_rows(formsets["participants"], "organization"),
        "team": filled_rows(formsets["team"], "person"),
        "translations": filled_rows(formsets["translations"], "language"),
    }
    for need in related["needs"]:
        need["countries"] = need.get("countries") or []
    try:
        if project is None:
            return services.project_create(actor=request.user, **related, **values)
        return services.project_update(actor=request.user, project=project, **related, **values)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _project_form_page(request: HttpRequest, project: Project | None) -> HttpResponse:
    owners = registry_selectors.contributable_organizations(user=request.user)
    if project is None and not owners.exists():
        raise PermissionDenied
    initial = {}
    if project is None and request.GET.get("owner"):
        initial["owner"] = owners.filter(slug=request.GET["owner"]).first()
    form = ProjectForm(
        request.POST or None, instance=project, owner_choices=owners, initial=initial
    )
    formsets = _formsets(request, project)
    if request.method == "POST":
        stored = Project.objects.get(pk=project.pk) if project is not None else None
        saved = _save_project(request, form, formsets, stored)
        if saved is not None:
            messages.success(request, _("Project saved."))
            return redirect(saved)
    return render(
        request,
        "portfolio/project_form.html",
        {"form": form, "formsets": formsets, "project": project},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    return _project_form_page(request, None)


@login_required
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    if not permissions.can_edit_owned(request.user, project):
        raise PermissionDenied
    return _project_form_page(request, project)


@login_required
@require_POST
def project_delete(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    services.project_delete(actor=request.user, project=project)
    messages.success(request, _("Project deleted."))
    return redirect("portfolio:project_list")


@login_required
def project_import(request: HttpRequest) -> HttpResponse:
    if not registry_selectors.contributable_organizations(user=request.user).exists():
        raise PermissionDenied
    return spreadsheet_import(
        request,
        run=spreadsheets.projects_import,
        title=_("Import projects"),
        columns=spreadsheets.PROJECT_COLUMNS,
        required=spreadsheets.PROJECT_REQUIRED,
        done_url=reverse("portfolio:project_list"),
        form_class=ImportForm,
    )


def _ip_asset_or_404(request: HttpRequest, slug: str) -> IPAsset:
    try:
        return selectors.ip_asset_get(viewer=request.user, slug=slug)
    except IPAsset.DoesNotExist as error:
        raise Http404 from error


def ip_asset_list(request: HttpRequest) -> HttpResponse:
    assets = selectors.ip_asset_list(
        viewer=request.user,
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        owner=request.GET.get("owner", ""),
    )
    return render(
        request,
        "portfolio/ip_asset_list.html",
        {
            "page": paginate(request, assets),
            "query_string": query_without_page(request),
            "q": request.GET.get("q", ""),
            "can_create": registry_selectors.contributable_organizations(
                user=request.user
            ).exists(),
        },
    )


def ip_asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    asset = _ip_asset_or_404(request, slug)
    return render(
        request,
        "portfolio/ip_asset_detail.html",
        {
            "asset": asset,
            "projects": selectors.ip_asset_projects(viewer=request.user, asset=asset),
            "can_edit": permissions.can_edit_owned(request.user, asset),
        },
    )


def _ip_asset_form_page(request: HttpRequest, asset: IPAsset | None) -> HttpResponse:
    owners = registry_selectors.contributable_organizations(user=request.user)
    if not owners.exists():
        raise PermissionDenied
    editable_projects = Project.objects.filter(owner__in=owners).order_by("title")
    form = IPAssetForm(
        request.POST or None,
        instance=asset,
        owner_choices=owners,
        project_choices=editable_projects,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        related = {name: values.pop(name) for name in ("co_owners", "projects", "shared_with")}
        try:
            if asset is None:
                saved = services.ip_asset_create(actor=request.user, **related, **values)
            else:
                stored = IPAsset.objects.get(pk=asset.pk)
                saved = services.ip_asset_update(
                    actor=request.user, asset=stored, **related, **values
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("IP asset saved."))
            return redirect(saved)
    return render(request, "portfolio/ip_asset_form.html", {"form": form, "asset": asset})


@login_required
def ip_asset_create(request: HttpRequest) -> HttpResponse:
    return _ip_asset_form_page(request, None)


@login_required
def ip_asset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    asset = _ip_asset_or_404(request, slug)
    if not permissions.can_edit_owned(request.user, asset):
        raise PermissionDenied
    return _ip_asset_form_page(request, asset)
