"""Agreement pages (thin views over selectors and services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.agreements import selectors, services
from parkbridge.agreements.forms import AgreementFilterForm, AgreementForm, DocumentForm
from parkbridge.agreements.models import Agreement, AgreementDocument
from parkbridge.core import permissions
from parkbridge.core.downloads import private_file_response
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.models import Organization

LINK_FIELDS = ("parties", "cooperations", "projects", "granted_projects")


def _agreement_or_404(request: HttpRequest, pk: int) -> Agreement:
    try:
        return selectors.agreement_get(viewer=request.user, pk=pk)
    except Agreement.DoesNotExist as error:
        # An agreement the viewer may not see answers exactly like one that does not exist.
        raise Http404 from error


def agreement_filters(form: AgreementFilterForm) -> selectors.AgreementFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.AgreementFilters(
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        party=data.get("party", ""),
        validity=data.get("validity", ""),
    )


def _can_register(user: Any) -> bool:
    return permissions.is_platform_staff(user) or bool(
        permissions.contributable_organization_ids(user)
    )


def agreement_list(request: HttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    agreements = selectors.agreement_list(viewer=request.user, filters=agreement_filters(form))
    context = {
        "form": form,
        "page": paginate(request, agreements),
        "query_string": query_without_page(request),
        "today": timezone.localdate(),
        "can_create": _can_register(request.user),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "agreements/_agreement_results.html" if partial else "agreements/agreement_list.html"
    return render(request, template, context)


def _detail_page(
    request: HttpRequest, agreement: Agreement, document_form: DocumentForm | None = None
) -> HttpResponse:
    viewer = request.user
    can_edit = services.can_edit_agreement(viewer, agreement)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "today": timezone.localdate(),
            "can_edit": can_edit,
            "can_delete": services.can_delete_agreement(viewer, agreement),
            "can_download": services.can_download_documents(viewer, agreement),
            "documents": selectors.agreement_documents(viewer=viewer, agreement=agreement),
            "document_count": agreement.documents.count(),
            "document_form": (document_form or DocumentForm()) if can_edit else None,
            "projects": selectors.agreement_projects(viewer=viewer, agreement=agreement),
            "granted_projects": selectors.agreement_granted_projects(
                viewer=viewer, agreement=agreement
            ),
            "cooperations": selectors.agreement_cooperations(viewer=viewer, agreement=agreement),
        },
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _agreement_or_404(request, pk))


def _save_agreement(
    request: HttpRequest, form: AgreementForm, agreement: Agreement | None
) -> Agreement | None:
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    links = {name: list(values.pop(name) or []) for name in LINK_FIELDS}
    try:
        if agreement is None:
            owner = values.pop("owner")
            return services.agreement_create(actor=request.user, owner=owner, **links, **values)
        return services.agreement_update(actor=request.user, agreement=agreement, **links, **values)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _agreement_form_page(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    viewer = request.user
    owners = registry_selectors.contributable_organizations(user=viewer)
    if agreement is None and not owners.exists():
        raise PermissionDenied
    if agreement is not None:
        # A member of another party edits the record without taking it over.
        owners = Organization.objects.filter(
            Q(pk__in=owners.values("pk")) | Q(pk=agreement.owner_id)
        ).order_by("name_en")
    initial: dict[str, Any] = {}
    if agreement is None:
        owner = None
        if request.GET.get("owner"):
            owner = owners.filter(slug=request.GET["owner"]).first()
        elif len(owners[:2]) == 1:
            # Most members register for their one organization; spare them the choice.
            owner = owners.first()
        if owner is not None:
            initial = {"owner": owner, "parties": [owner]}
    form = AgreementForm(
        request.POST or None,
        instance=agreement,
        initial=initial,
        owner_choices=owners,
        project_choices=selectors.project_choices(viewer=viewer),
        grantable_choices=selectors.grantable_project_choices(viewer=viewer),
        cooperation_choices=selectors.cooperation_choices(viewer=viewer),
    )
    if request.method == "POST":
        stored = Agreement.objects.get(pk=agreement.pk) if agreement is not None else None
        saved = _save_agreement(request, form, stored)
        if saved is not None:
            messages.success(request, _("Agreement saved."))
            return redirect(saved)
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _agreement_form_page(request, None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    if not services.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    return _agreement_form_page(request, agreement)


@login_required
@require_POST
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    services.agreement_delete(actor=request.user, agreement=agreement)
    messages.success(request, _("Agreement deleted."))
    return redirect("agreements:agreement_list")


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement_or_404(request, pk)
    if not services.can_edit_agreement(request.user, agreement):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                agreement=agreement,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect(agreement)
    response = _detail_page(request, agreement, document_form=form)
    response.status_code = 400
    return response


def _document_or_404(request: HttpRequest, pk: int, document_pk: int) -> AgreementDocument:
    try:
        return selectors.agreement_document_get(
            viewer=request.user, agreement_pk=pk, pk=document_pk
        )
    except (Agreement.DoesNotExist, AgreementDocument.DoesNotExist) as error:
        raise Http404 from error


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = _document_or_404(request, pk, document_pk)
    return private_file_response(
        document.file, filename=document.download_name, content_type=document.content_type
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = _document_or_404(request, pk, document_pk)
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("Document removed."))
    return redirect(document.agreement)
