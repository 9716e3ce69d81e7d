"""Event pages: list, detail with inline editing (HTMX), forms, and .ics downloads."""

from __future__ import annotations

import functools
import importlib
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.events import selectors, services
from parkbridge.events.calendar import calendar_response
from parkbridge.events.forms import (
    AgendaItemForm,
    EventFilterForm,
    EventForm,
    MinutesForm,
    OutcomeCooperationForm,
    OutcomeForm,
    OutcomeTaskForm,
    ParticipantForm,
)
from parkbridge.events.models import AgendaItem, Event, Outcome, Participant
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.models import Organization, Person

# The browser's IANA time zone, written by a script on the event pages (see _timezone.html).
TIMEZONE_COOKIE = "parkbridge_tz"
BROKERAGE_PANEL = "events/brokerage/_event_panel.html"
SECTIONS = ("participants", "agenda", "minutes", "outcomes")

View = Callable[..., HttpResponse]


def viewer_timezone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    name = request.COOKIES.get(TIMEZONE_COOKIE, "")
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def in_viewer_timezone(view: View) -> View:
    """Show and read dates in the viewer's time zone (the server's until the browser told)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = viewer_timezone(request)
        if zone is None:
            return view(request, *args, **kwargs)
        with timezone.override(zone):
            return view(request, *args, **kwargs)

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    try:
        return selectors.event_get(viewer=request.user, slug=slug)
    except Event.DoesNotExist as error:
        # An event the viewer may not see answers exactly like one that does not exist.
        raise Http404 from error


def _url_or_blank(name: str, *args: Any) -> str:
    """A link into another app that may not have the page yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _object_url(obj: Any) -> str:
    try:
        return str(obj.get_absolute_url())
    except (NoReverseMatch, AttributeError):
        return ""


def brokerage_panel_available() -> bool:
    """Whether the brokerage pages provide a panel for the event page (they may not yet)."""
    try:
        get_template(BROKERAGE_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


def brokerage_summary(request: HttpRequest, event: Event) -> Any:
    """What the brokerage panel shows, from `events.brokerage.brokerage_summary` when the
    brokerage module has it; None lets the panel load itself."""
    try:
        brokerage = importlib.import_module("parkbridge.events.brokerage")
    except ModuleNotFoundError as error:
        if error.name != "parkbridge.events.brokerage":
            raise
        return None
    summary = getattr(brokerage, "brokerage_summary", None)
    return summary(event=event, viewer=request.user) if summary is not None else None


# List ------------------------------------------------------------------------------------------


def _event_filters(form: EventFilterForm) -> selectors.EventFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.EventFilters(
        query=data.get("q", ""),
        kind=data.get("kind", ""),
        organization=data.get("organization", ""),
        when=data.get("when", ""),
        person=data.get("person", ""),
    )


def month_groups(events: Any) -> list[dict[str, Any]]:
    """Events of a page by upcoming/past, then by month in the viewer's time zone."""
    now = timezone.now()
    sections: list[dict[str, Any]] = []
    for event in events:
        is_past = event.ends_at < now
        start = timezone.localtime(event.starts_at)
        if not sections or sections[-1]["is_past"] != is_past:
            sections.append({"is_past": is_past, "months": []})
        months = sections[-1]["months"]
        key = (start.year, start.month)
        if not months or months[-1]["key"] != key:
            months.append({"key": key, "label": date_format(start, "F Y"), "events": []})
        months[-1]["events"].append(event)
    return sections


def _can_create(user: Any) -> bool:
    return permissions.is_platform_staff(user) or bool(
        permissions.contributable_organization_ids(user)
    )


@in_viewer_timezone
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(
        request.GET or None,
        organizations=selectors.event_organizations_for_filter(viewer=request.user),
    )
    events = selectors.event_list(viewer=request.user, filters=_event_filters(form))
    page = paginate(request, events)
    context = {
        "form": form,
        "page": page,
        "sections": month_groups(page.object_list),
        "query_string": query_without_page(request),
        "can_create": _can_create(request.user),
        "timezone_name": timezone.get_current_timezone_name(),
    }
    template = "events/_event_results.html" if _is_htmx(request) else "events/event_list.html"
    return render(request, template, context)


# Detail ----------------------------------------------------------------------------------------


def _event_organizations(event: Event) -> QuerySet[Organization]:
    ids = [organization.pk for organization in services.event_organizations(event)]
    return Organization.objects.filter(pk__in=ids).order_by("name_en")


def _task_form(request: HttpRequest, event: Event, outcome: Outcome, data: Any = None) -> Any:
    organizations = _event_organizations(event)
    if not permissions.is_platform_staff(request.user):
        organizations = organizations.filter(
            pk__in=permissions.contributable_organization_ids(request.user)
        )
    assignees = (
        get_user_model()
        .objects.filter(memberships__organization__in=organizations, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )
    return OutcomeTaskForm(
        data,
        prefix=f"task-{outcome.pk}",
        organizations=organizations,
        assignees=assignees,
    )


def _cooperation_form(
    request: HttpRequest, event: Event, outcome: Outcome, data: Any = None
) -> Any:
    organizations = _event_organizations(event)
    return OutcomeCooperationForm(
        data,
        prefix=f"cooperation-{outcome.pk}",
        organizations=organizations,
        projects=selectors.linkable_projects(viewer=request.user, event=event),
        offers=selectors.linkable_offers(viewer=request.user, event=event),
        initial={
            "organizations": list(organizations),
            "title": outcome.text.strip().splitlines()[0][:300] if outcome.text.strip() else "",
        },
    )


def _agenda_initial(event: Event) -> dict[str, Any]:
    """A new item starts where the last one ends, or when the event starts."""
    items = list(event.agenda.all())
    if not items:
        return {"starts_at": event.starts_at}
    last = items[-1]
    start = last.ends_at or last.starts_at
    return {"starts_at": start if start <= event.ends_at else event.starts_at}


def _detail_context(request: HttpRequest, event: Event, **overrides: Any) -> dict[str, Any]:
    can_edit = services.can_edit_event(request.user, event)
    outcome_rows = []
    for view in selectors.outcome_views(viewer=request.user, event=event):
        row: dict[str, Any] = {
            "view": view,
            "outcome": view.outcome,
            "task_url": _url_or_blank("pipeline:task_list") if view.task else "",
            "cooperation_url": _object_url(view.cooperation) if view.cooperation else "",
        }
        if can_edit:
            pk = view.outcome.pk
            row["task_form"] = overrides.get(f"task_form_{pk}") or _task_form(
                request, event, view.outcome
            )
            row["cooperation_form"] = overrides.get(f"cooperation_form_{pk}") or (
                _cooperation_form(request, event, view.outcome)
            )
            row["edit_form"] = overrides.get(f"outcome_edit_form_{pk}")
        outcome_rows.append(row)
    context: dict[str, Any] = {
        "event": event,
        "can_edit": can_edit,
        "outcome_rows": outcome_rows,
        "now": timezone.now(),
        "timezone_name": timezone.get_current_timezone_name(),
        "show_brokerage_panel": event.is_brokerage and brokerage_panel_available(),
        "agenda_edit": None,
    }
    if can_edit:
        context.update(
            participant_form=ParticipantForm(event=event, prefix="participant"),
            agenda_form=AgendaItemForm(
                event=event, prefix="agenda", initial=_agenda_initial(event)
            ),
            minutes_form=MinutesForm(
                prefix="minutes",
                initial={"text": event.minutes, "language": event.minutes_language},
            ),
            outcome_form=OutcomeForm(prefix="outcome"),
        )
    if context["show_brokerage_panel"]:
        context["brokerage_panel"] = brokerage_summary(request, event)
    context.update({key: value for key, value in overrides.items() if key in context})
    if "agenda_edit" in overrides:
        context["agenda_edit"] = overrides["agenda_edit"]
    return context


@in_viewer_timezone
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    return render(request, "events/event_detail.html", _detail_context(request, event))


def _section_response(
    request: HttpRequest, event: Event, section: str, *, saved: bool, **forms: Any
) -> HttpResponse:
    """After an inline form: the section alone for HTMX; else back to the page (on success) or
    the page with the form and its errors."""
    if saved:
        # Read again: what the page shows (participants, agenda) was prefetched before the change.
        event = _event_or_404(request, event.slug)
        forms = {}
    context = _detail_context(request, event, **forms)
    if _is_htmx(request):
        return render(request, f"events/_{section}.html", context)
    if saved:
        return redirect(f"{event.get_absolute_url()}#{section}")
    return render(request, "events/event_detail.html", context)


def _editable_event(request: HttpRequest, slug: str) -> Event:
    event = _event_or_404(request, slug)
    if not services.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


def _run(form: Any, write: Callable[[], Any]) -> bool:
    """Call the service; put its validation errors on the form."""
    try:
        write()
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True


@login_required
@require_POST
@in_viewer_timezone
def participant_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _editable_event(request, slug)
    form = ParticipantForm(request.POST, event=event, prefix="participant")
    saved = form.is_valid() and _run(
        form,
        lambda: services.participant_add(
            actor=request.user,
            event=event,
            person=form.cleaned_data["person"],
            organization=form.cleaned_data["organization"],
            role=form.cleaned_data["role"],
            position=form.cleaned_data["position"],
        ),
    )
    return _section_response(request, event, "participants", saved=saved, participant_form=form)


@login_required
@require_POST
@in_viewer_timezone
def participant_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _editable_event(request, slug)
    participant = get_object_or_404(Participant, pk=pk, event=event)
    services.participant_remove(actor=request.user, participant=participant)
    return _section_response(request, event, "participants", saved=True)


@login_required
@require_POST
@in_viewer_timezone
def agenda_item_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _editable_event(request, slug)
    form = AgendaItemForm(request.POST, event=event, prefix="agenda")
    saved = form.is_valid() and _run(
        form,
        lambda: services.agenda_item_add(actor=request.user, event=event, **form.cleaned_data),
    )
    return _section_response(request, event, "agenda", saved=saved, agenda_form=form)


@login_required
@in_viewer_timezone
def agenda_item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the agenda with this item's form in place; POST: save it."""
    event = _editable_event(request, slug)
    item = get_object_or_404(AgendaItem, pk=pk, event=event)
    prefix = f"agenda-{item.pk}"
    if request.method != "POST":
        form = AgendaItemForm(
            event=event,
            prefix=prefix,
            initial={
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "title": item.title,
                "details": item.details,
                "speaker": item.speaker_id,
            },
        )
        return _section_response(
            request, event, "agenda", saved=False, agenda_edit={"item": item, "form": form}
        )
    form = AgendaItemForm(request.POST, event=event, prefix=prefix)
    saved = form.is_valid() and _run(
        form,
        lambda: services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data),
    )
    return _section_response(
        request, event, "agenda", saved=saved, agenda_edit={"item": item, "form": form}
    )


@login_required
@require_POST
@in_viewer_timezone
def agenda_item_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _editable_event(request, slug)
    item = get_object_or_404(AgendaItem, pk=pk, event=event)
    services.agenda_item_delete(actor=request.user, item=item)
    return _section_response(request, event, "agenda", saved=True)


@login_required
@require_POST
@in_viewer_timezone
def minutes_save(request: HttpRequest, slug: str) -> HttpResponse:
    event = _editable_event(request, slug)
    form = MinutesForm(request.POST, prefix="minutes")
    saved = form.is_valid() and _run(
        form,
        lambda: services.minutes_save(
            actor=request.user,
            event=event,
            text=form.cleaned_data["text"],
            language=form.cleaned_data["language"],
        ),
    )
    return _section_response(request, event, "minutes", saved=saved, minutes_form=form)


@login_required
@require_POST
@in_viewer_timezone
def outcome_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _editable_event(request, slug)
    form = OutcomeForm(request.POST, prefix="outcome")
    saved = form.is_valid() and _run(
        form,
        lambda: services.outcome_add(
            actor=request.user, event=event, text=form.cleaned_data["text"]
        ),
    )
    return _section_response(request, event, "outcomes", saved=saved, outcome_form=form)


@login_required
@in_viewer_timezone
def outcome_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the outcomes with this one's form in place; POST: save it."""
    event = _editable_event(request, slug)
    outcome = get_object_or_404(Outcome, pk=pk, event=event)
    prefix = f"outcome-{outcome.pk}"
    key = f"outcome_edit_form_{outcome.pk}"
    if request.method != "POST":
        form = OutcomeForm(prefix=prefix, initial={"text": outcome.text})
        return _section_response(request, event, "outcomes", saved=False, **{key: form})
    form = OutcomeForm(request.POST, prefix=prefix)
    saved = form.is_valid() and _run(
        form,
        lambda: services.outcome_update(
            actor=request.user, outcome=outcome, text=form.cleaned_data["text"]
        ),
    )
    return _section_response(request, event, "outcomes", saved=saved, **{key: form})


@login_required
@require_POST
@in_viewer_timezone
def outcome_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _editable_event(request, slug)
    outcome = get_object_or_404(Outcome, pk=pk, event=event)
    services.outcome_delete(actor=request.user, outcome=outcome)
    return _section_response(request, event, "outcomes", saved=True)


@login_required
@require_POST
@in_viewer_timezone
def outcome_to_task(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _editable_event(request, slug)
    outcome = get_object_or_404(Outcome, pk=pk, event=event)
    form = _task_form(request, event, outcome, request.POST)
    saved = form.is_valid() and _run(
        form,
        lambda: services.outcome_to_task(
            actor=request.user,
            outcome=outcome,
            organization=form.cleaned_data["organization"],
            assignee=form.cleaned_data["assignee"],
            due_on=form.cleaned_data["due_on"],
        ),
    )
    if saved and not _is_htmx(request):
        messages.success(request, _("Task created."))
    return _section_response(
        request, event, "outcomes", saved=saved, **{f"task_form_{outcome.pk}": form}
    )


@login_required
@require_POST
@in_viewer_timezone
def outcome_to_cooperation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _editable_event(request, slug)
    outcome = get_object_or_404(Outcome, pk=pk, event=event)
    form = _cooperation_form(request, event, outcome, request.POST)
    saved = form.is_valid() and _run(
        form,
        lambda: services.outcome_to_cooperation(
            actor=request.user,
            outcome=outcome,
            organizations=list(form.cleaned_data["organizations"]) or None,
            title=form.cleaned_data["title"],
            project=form.cleaned_data["project"],
            offer=form.cleaned_data["offer"],
        ),
    )
    if saved and not _is_htmx(request):
        messages.success(request, _("Cooperation opened."))
    return _section_response(
        request, event, "outcomes", saved=saved, **{f"cooperation_form_{outcome.pk}": form}
    )


# Create, edit, delete --------------------------------------------------------------------------


def _save_event(request: HttpRequest, form: EventForm, event: Event | None) -> Event | None:
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    visitors = list(values.pop("visiting_organizations"))
    try:
        if event is None:
            host = values.pop("host")
            return services.event_create(
                actor=request.user, host=host, visiting_organizations=visitors, **values
            )
        return services.event_update(
            actor=request.user, event=event, visiting_organizations=visitors, **values
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    # Editors of an event belong to its host, so the host is always among the choices.
    hosts = registry_selectors.contributable_organizations(user=request.user)
    if event is None and not hosts.exists():
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if event is None and len(hosts[:2]) == 1:
        initial["host"] = hosts.first()
    form = EventForm(request.POST or None, instance=event, host_choices=hosts, initial=initial)
    if request.method == "POST":
        stored = Event.objects.get(pk=event.pk) if event is not None else None
        saved = _save_event(request, form, stored)
        if saved is not None:
            messages.success(request, _("Event saved."))
            return redirect(saved)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event, "timezone_name": timezone.get_current_timezone_name()},
    )


@login_required
@in_viewer_timezone
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form_page(request, None)


@login_required
@in_viewer_timezone
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _event_form_page(request, _editable_event(request, slug))


@login_required
@require_POST
def event_delete(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    services.event_delete(actor=request.user, event=event)
    messages.success(request, _("Event deleted."))
    return redirect("events:event_list")


# Calendars -------------------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    entries = selectors.event_calendar_entries(event, base_url=_base_url(request))
    return calendar_response(entries, name=event.title, filename=f"{event.slug}.ics")


def person_schedule_ics(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    entries = selectors.person_schedule(person, request.user, base_url=_base_url(request))
    return calendar_response(
        entries,
        name=_("Schedule of %(person)s") % {"person": person},
        filename=f"{person.slug}-schedule.ics",
    )


@in_viewer_timezone
def person_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    entries = selectors.person_schedule(person, request.user, base_url=_base_url(request))
    now = timezone.now()
    upcoming = [entry for entry in entries if entry.ends_at >= now]
    past = [entry for entry in reversed(entries) if entry.ends_at < now]
    sections = [(_("Upcoming"), upcoming), (_("Past"), past)]
    return render(
        request,
        "events/person_schedule.html",
        {
            "person": person,
            "sections": [(title, entries) for title, entries in sections if entries],
            "timezone_name": timezone.get_current_timezone_name(),
        },
    )
