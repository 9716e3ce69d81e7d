"""Offer and request pages (thin views over selectors and services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.import_views import spreadsheet_import
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.core.spreadsheets import FORMATS, download
from parkbridge.offers import selectors, services, spreadsheets
from parkbridge.offers.forms import OfferFilterForm, OfferForm
from parkbridge.offers.models import Offer
from parkbridge.portfolio.forms import ImportForm
from parkbridge.portfolio.models import TRL_DEFINITIONS, ProjectStage
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.models import Organization, Person


def _offer_or_404(request: HttpRequest, slug: str) -> Offer:
    try:
        return selectors.offer_get(viewer=request.user, slug=slug)
    except Offer.DoesNotExist as error:
        # An offer the viewer may not see answers exactly like one that does not exist.
        raise Http404 from error


def offer_filters(form: OfferFilterForm) -> selectors.OfferFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.OfferFilters(
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        focus_area=data.get("focus_area", ""),
        country=data.get("country", ""),
        language=data.get("language", ""),
        trl=data.get("trl"),
        current_only=bool(data.get("current")),
        owner=data.get("owner", ""),
    )


def offer_list(request: HttpRequest) -> HttpResponse:
    form = OfferFilterForm(request.GET or None)
    offers = selectors.offer_list(viewer=request.user, filters=offer_filters(form))
    context = {
        "form": form,
        "page": paginate(request, offers),
        "query_string": query_without_page(request),
        "today": timezone.localdate(),
        "can_create": bool(permissions.contributable_organization_ids(request.user))
        or permissions.is_platform_staff(request.user),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "offers/_offer_results.html" if partial else "offers/offer_list.html"
    return render(request, template, context)


def offer_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    form = OfferFilterForm(request.GET or None)
    offers = selectors.offer_list(viewer=request.user, filters=offer_filters(form))
    content = spreadsheets.offers_export(offers=offers, file_format=file_format)
    return download(content, name="offers", file_format=file_format)


def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer_or_404(request, slug)
    return render(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_owned(request.user, offer),
            "can_delete": permissions.can_delete_owned(request.user, offer),
            "trl_min_definition": TRL_DEFINITIONS.get(offer.trl_min or 0),
            "trl_max_definition": TRL_DEFINITIONS.get(offer.trl_max or 0),
            "stage_labels": [
                label for value, label in ProjectStage.choices if value in (offer.stages or [])
            ],
        },
    )


def _contact_choices(owners: QuerySet[Organization]) -> QuerySet[Person]:
    return (
        Person.objects.filter(affiliations__organization__in=owners)
        .distinct()
        .order_by("full_name_latin")
    )


def _save_offer(request: HttpRequest, form: OfferForm, offer: Offer | None) -> Offer | None:
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    related = {name: values.pop(name) for name in ("focus_areas", "shared_with")}
    try:
        if offer is None:
            owner = values.pop("owner")
            return services.offer_create(actor=request.user, owner=owner, **related, **values)
        return services.offer_update(actor=request.user, offer=offer, **related, **values)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _offer_form_page(request: HttpRequest, offer: Offer | None) -> HttpResponse:
    owners = registry_selectors.contributable_organizations(user=request.user)
    if offer is None and not owners.exists():
        raise PermissionDenied
    initial = {}
    if offer is None and request.GET.get("owner"):
        initial["owner"] = owners.filter(slug=request.GET["owner"]).first()
    elif offer is None and len(owners[:2]) == 1:
        # Most members publish for their one organization; spare them the choice.
        initial["owner"] = owners.first()
    form = OfferForm(
        request.POST or None,
        instance=offer,
        owner_choices=owners,
        contact_choices=_contact_choices(owners),
        initial=initial,
    )
    if request.method == "POST":
        stored = Offer.objects.get(pk=offer.pk) if offer is not None else None
        saved = _save_offer(request, form, stored)
        if saved is not None:
            messages.success(request, _("Offer saved."))
            return redirect(saved)
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer})


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    return _offer_form_page(request, None)


@login_required
def offer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer_or_404(request, slug)
    if not permissions.can_edit_owned(request.user, offer):
        raise PermissionDenied
    return _offer_form_page(request, offer)


@login_required
@require_POST
def offer_delete(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer_or_404(request, slug)
    services.offer_delete(actor=request.user, offer=offer)
    messages.success(request, _("Offer deleted."))
    return redirect("offers:offer_list")


@login_required
def offer_import(request: HttpRequest) -> HttpResponse:
    if not registry_selectors.contributable_organizations(user=request.user).exists():
        raise PermissionDenied
    return spreadsheet_import(
        request,
        run=spreadsheets.offers_import,
        title=_("Import offers and requests"),
        columns=spreadsheets.OFFER_COLUMNS,
        required=spreadsheets.OFFER_REQUIRED,
        done_url=reverse("offers:offer_list"),
        form_class=ImportForm,
    )
