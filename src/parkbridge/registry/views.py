"""Registry pages: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.accounts import selectors as account_selectors
from parkbridge.accounts import services as account_services
from parkbridge.accounts.forms import MemberAddForm
from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.registry import selectors, services
from parkbridge.registry.forms import (
    AffiliationForm,
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
)
from parkbridge.registry.models import Organization, Person


def _list_template(request: HttpRequest, full: str, partial: str) -> str:
    # HTMX filter changes swap only the results; a direct visit renders the whole page.
    return partial if request.headers.get("HX-Request") == "true" else full


def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    organizations = selectors.organization_list(viewer=request.user, filters=form.to_filters())
    context = {
        "form": form,
        "page": paginate(request, organizations),
        "query_string": query_without_page(request),
        "can_create": permissions.can_create_organization(request.user),
    }
    template = _list_template(
        request, "registry/organization_list.html", "registry/_organization_results.html"
    )
    return render(request, template, context)


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("parent"), slug=slug)
    return render(
        request,
        "registry/organization_detail.html",
        {
            "organization": organization,
            "affiliations": selectors.organization_people(
                viewer=request.user, organization=organization
            ),
            "branches": organization.branches.order_by("name_en"),
            "focus_areas": organization.focus_areas.order_by("position"),
            "can_edit": permissions.can_edit_organization(request.user, organization),
            "members": account_selectors.membership_list_for_organization(
                viewer=request.user, organization=organization
            ),
        },
    )


def _parent_choices(user: Any) -> Any:
    if permissions.is_platform_staff(user):
        return Organization.objects.order_by("name_en")
    return Organization.objects.filter(
        pk__in=permissions.administered_organization_ids(user)
    ).order_by("name_en")


def _save_organization(
    request: HttpRequest, form: OrganizationForm, organization: Organization | None
) -> Organization | None:
    values = {name: value for name, value in form.cleaned_data.items() if name != "focus_areas"}
    if not values.get("logo"):
        values.pop("logo", None)
    try:
        if organization is None:
            return services.organization_create(
                actor=request.user, focus_areas=form.cleaned_data["focus_areas"], **values
            )
        return services.organization_update(
            actor=request.user,
            organization=organization,
            focus_areas=form.cleaned_data["focus_areas"],
            **values,
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_organization(request.user):
        raise PermissionDenied
    form = OrganizationForm(
        request.POST or None, request.FILES or None, parent_choices=_parent_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        organization = _save_organization(request, form, None)
        if organization is not None:
            messages.success(request, _("Organization added."))
            return redirect(organization)
    return render(request, "registry/organization_form.html", {"form": form, "organization": None})


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form = OrganizationForm(
        request.POST or None,
        request.FILES or None,
        instance=organization,
        parent_choices=_parent_choices(request.user).exclude(pk=organization.pk),
    )
    if request.method == "POST":
        # Bind a fresh copy so a failed save leaves the stored organization untouched.
        organization = Organization.objects.get(pk=organization.pk)
        if form.is_valid() and _save_organization(request, form, organization) is not None:
            messages.success(request, _("Changes saved."))
            return redirect(organization)
    return render(
        request, "registry/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    if not permissions.can_manage_members(request.user, organization):
        raise PermissionDenied
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.membership_add(
                actor=request.user,
                organization=organization,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is now a member. New accounts receive an invitation e-mail.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("registry:organization_members", slug=organization.slug)
    return render(
        request,
        "registry/organization_members.html",
        {
            "organization": organization,
            "form": form,
            "members": account_selectors.membership_list_for_organization(
                viewer=request.user, organization=organization
            ),
        },
    )


@login_required
@require_POST
def organization_member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    membership = get_object_or_404(organization.memberships, pk=membership_id)
    try:
        account_services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect("registry:organization_members", slug=organization.slug)


def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = selectors.person_list(viewer=request.user, filters=form.to_filters())
    context = {
        "form": form,
        "page": paginate(request, people),
        "query_string": query_without_page(request),
        "can_create": permissions.can_create_person(request.user),
    }
    template = _list_template(request, "registry/person_list.html", "registry/_person_results.html")
    return render(request, template, context)


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        person = selectors.person_get(viewer=request.user, slug=slug)
    except Person.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "contacts": selectors.person_contacts(viewer=request.user, person=person),
            "can_edit": permissions.can_edit_person(request.user, person),
        },
    )


def _person_values(form: PersonForm) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "focus_areas"}


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_person(request.user):
        raise PermissionDenied
    organizations = _parent_choices(request.user)
    form = PersonForm(request.POST or None, prefix="person")
    affiliation_form = AffiliationForm(
        request.POST or None, prefix="affiliation", organizations=organizations
    )
    if request.method == "POST" and form.is_valid() and affiliation_form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                focus_areas=form.cleaned_data["focus_areas"],
                affiliations=[affiliation_form.cleaned_data],
                **_person_values(form),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Person added."))
            return redirect(person)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "affiliation_form": affiliation_form, "person": None},
    )


@login_required
def person_edit(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, prefix="person")
    if request.method == "POST":
        person = Person.objects.get(pk=person.pk)
        if form.is_valid():
            try:
                services.person_update(
                    actor=request.user,
                    person=person,
                    focus_areas=form.cleaned_data["focus_areas"],
                    **_person_values(form),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(person)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "affiliation_form": None, "person": person},
    )
