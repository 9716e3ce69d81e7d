"""Brokerage pages: the panel on the event page, registration, the participants directory,
my meetings, my agenda (and its .ics), and the organizers' page. Thin: they parse the
request, call events.brokerage, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.events import brokerage
from parkbridge.events.brokerage_forms import (
    AvailabilityForm,
    BrokerageSettingsForm,
    MeetingRequestForm,
    ParticipantFilterForm,
    ParticipantForm,
    ScheduleRunForm,
    SlotsForm,
)
from parkbridge.events.calendar import calendar_response
from parkbridge.events.models import Event, MeetingRequest, MeetingSlot, Participant
from parkbridge.registry.models import Organization


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    try:
        return brokerage.brokerage_event_get(viewer=request.user, slug=slug)
    except Event.DoesNotExist as error:
        # An event the viewer may not see answers exactly like one that does not exist.
        raise Http404 from error


def _event_url(event: Event) -> str | None:
    try:
        return event.get_absolute_url()
    except NoReverseMatch:  # the events pages are not mounted (a trimmed configuration)
        return None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _context(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    """What every brokerage page shows in its header and tabs."""
    return {
        "event": event,
        "event_url": _event_url(event),
        "me": brokerage.participant_of(event=event, user=request.user),
        "is_organizer": brokerage.is_organizer(request.user, event),
        **extra,
    }


def _organization_choices(request: HttpRequest, event: Event) -> QuerySet[Organization]:
    ids = permissions.contributable_organization_ids(request.user)
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is not None:
        ids |= set(person.affiliations.values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=ids).order_by("name_en")


# --- The panel on the event page ---------------------------------------------------------


def panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The panel's body, for the event page to load (or include through `brokerage_summary`)."""
    event = _event_or_404(request, slug)
    summary = brokerage.brokerage_summary(event=event, viewer=request.user)
    return render(
        request,
        "events/brokerage/_panel_body.html",
        {"event": event, "brokerage_panel": summary},
    )


# --- Registration and profile ------------------------------------------------------------


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Register for the event, or edit one's registration."""
    event = _event_or_404(request, slug)
    me = brokerage.participant_of(event=event, user=request.user)
    organizer = brokerage.is_organizer(request.user, event)
    closed = me is None and not event.registration_open and not organizer
    initial: dict[str, Any] = {}
    if me is not None:
        initial = {
            "organization": me.organization,
            "position": me.position,
            "offering": me.offering,
            "seeking": me.seeking,
            "profile_language": me.profile_language,
            "available_slots": list(me.available_slots.all()),
            "meeting_limit": me.meeting_limit,
        }
    else:
        initial = {"available_slots": list(brokerage.slot_list(event=event))}
    form = ParticipantForm(
        request.POST or None,
        event=event,
        organization_choices=_organization_choices(request, event),
        initial=initial,
    )
    if request.method == "POST" and not closed and form.is_valid():
        values = dict(form.cleaned_data)
        if "available_slots" not in values:
            values["available_slots"] = None if me is None else list(me.available_slots.all())
        try:
            if me is None:
                brokerage.participant_register(actor=request.user, event=event, **values)
                messages.success(request, _("You are registered. Now find whom to meet."))
            else:
                brokerage.participant_update(actor=request.user, participant=me, **values)
                messages.success(request, _("Your registration is saved."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("brokerage:my_meetings", slug=event.slug)
    return render(
        request,
        "events/brokerage/register.html",
        _context(request, event, form=form, closed=closed),
    )


# --- The directory -----------------------------------------------------------------------


@login_required
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    form = ParticipantFilterForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    context = _context(request, event, form=form, query=query)
    states = brokerage.request_states(participant=context["me"])
    context["rows"] = [
        (participant, states.get(participant.pk))
        for participant in brokerage.participant_list(viewer=request.user, event=event, query=query)
    ]
    context["request_form"] = MeetingRequestForm()
    template = (
        "events/brokerage/_participant_results.html"
        if _is_htmx(request) and request.headers.get("HX-Target") == "participant-results"
        else "events/brokerage/participants.html"
    )
    return render(request, template, context)


def _participant_actions(
    request: HttpRequest, event: Event, me: Participant | None, other: Participant, error: str = ""
) -> HttpResponse:
    states = brokerage.request_states(participant=me)
    return render(
        request,
        "events/brokerage/_participant_actions.html",
        {
            "event": event,
            "me": me,
            "other": other,
            "state": states.get(other.pk),
            "request_form": MeetingRequestForm(),
            "error": error,
            "is_organizer": brokerage.is_organizer(request.user, event),
            "next_url": reverse("brokerage:participants", kwargs={"slug": event.slug}),
        },
    )


@login_required
@require_POST
def request_send(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    me = brokerage.participant_of(event=event, user=request.user)
    try:
        invitee = brokerage.participant_get(
            viewer=request.user, event=event, pk=int(request.POST.get("invitee", "0"))
        )
    except (Participant.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    form = MeetingRequestForm(request.POST)
    error = ""
    if me is None:
        error = _("Register for the event first.")
    elif not form.is_valid():
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    else:
        try:
            brokerage.meeting_request_send(
                actor=request.user,
                requester=me,
                invitee=invitee,
                message=form.cleaned_data["message"],
                priority=form.cleaned_data["priority"],
            )
        except ValidationError as validation_error:
            error = _error_text(validation_error)
    if _is_htmx(request):
        return _participant_actions(request, event, me, invitee, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Request sent to %(name)s.") % {"name": invitee})
    return _back(request, reverse("brokerage:participants", kwargs={"slug": event.slug}))


def _request_or_404(request: HttpRequest, event: Event, pk: int) -> MeetingRequest:
    try:
        return brokerage.meeting_request_get(viewer=request.user, event=event, pk=pk)
    except MeetingRequest.DoesNotExist as error:
        raise Http404 from error


def _request_row(
    request: HttpRequest, event: Event, meeting_request: MeetingRequest, error: str = ""
) -> HttpResponse:
    meeting_request = MeetingRequest.objects.select_related(
        "requester__person",
        "requester__organization",
        "invitee__person",
        "invitee__organization",
        "meeting__slot",
    ).get(pk=meeting_request.pk)
    me = brokerage.participant_of(event=event, user=request.user)
    return render(
        request,
        "events/brokerage/_request_row.html",
        {
            "event": event,
            "me": me,
            "item": meeting_request,
            "received": me is not None and meeting_request.invitee_id == me.pk,
            "error": error,
        },
    )


def _request_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    meeting_request = _request_or_404(request, event, pk)
    error = ""
    try:
        if action == "answer":
            accept = request.POST.get("accept") == "1"
            brokerage.meeting_request_answer(
                actor=request.user, request=meeting_request, accept=accept
            )
            done = _("Request accepted.") if accept else _("Request declined.")
        else:
            brokerage.meeting_request_cancel(actor=request.user, request=meeting_request)
            done = _("Request cancelled.")
    except ValidationError as validation_error:
        error = _error_text(validation_error)
    if _is_htmx(request):
        return _request_row(request, event, meeting_request, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _back(request, reverse("brokerage:my_meetings", kwargs={"slug": event.slug}))


@login_required
@require_POST
def request_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _request_action(request, slug, pk, "answer")


@login_required
@require_POST
def request_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _request_action(request, slug, pk, "cancel")


# --- My meetings -------------------------------------------------------------------------


@login_required
def my_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    context = _context(request, event)
    me = context["me"]
    if me is not None:
        context["requests"] = brokerage.meeting_requests_of(participant=me)
        context["availability_form"] = AvailabilityForm(
            event=event,
            initial={
                "available_slots": list(me.available_slots.all()),
                "meeting_limit": me.meeting_limit,
            },
        )
        context["meetings"] = brokerage.agenda(viewer=request.user, participant=me)
    return render(request, "events/brokerage/my_meetings.html", context)


@login_required
@require_POST
def availability(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    me = brokerage.participant_of(event=event, user=request.user)
    if me is None:
        raise Http404
    form = AvailabilityForm(request.POST, event=event)
    if form.is_valid():
        try:
            brokerage.participant_update(
                actor=request.user,
                participant=me,
                available_slots=form.cleaned_data["available_slots"],
                meeting_limit=form.cleaned_data["meeting_limit"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your availability is saved."))
    else:
        messages.error(request, _("Please correct the availability form."))
    return redirect("brokerage:my_meetings", slug=event.slug)


@login_required
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Whom to meet (loaded after the page, since the first call may embed profiles)."""
    event = _event_or_404(request, slug)
    me = brokerage.participant_of(event=event, user=request.user)
    found = brokerage.suggestions_for(viewer=request.user, participant=me) if me is not None else []
    return render(
        request,
        "events/brokerage/_suggestions.html",
        {
            "event": event,
            "me": me,
            "suggestions": found,
            "request_form": MeetingRequestForm(),
            "is_organizer": brokerage.is_organizer(request.user, event),
            "next_url": reverse("brokerage:my_meetings", kwargs={"slug": event.slug}),
        },
    )


# --- Agenda ------------------------------------------------------------------------------


def _agenda_participant(request: HttpRequest, event: Event) -> Participant | None:
    """The viewer's own participation, or (for organizers) the one named by ?participant=."""
    wanted = request.GET.get("participant", "")
    if wanted:
        if not brokerage.is_organizer(request.user, event):
            raise PermissionDenied
        try:
            return brokerage.participant_get(viewer=request.user, event=event, pk=int(wanted))
        except (Participant.DoesNotExist, ValueError) as error:
            raise Http404 from error
    return brokerage.participant_of(event=event, user=request.user)


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    participant = _agenda_participant(request, event)
    items = brokerage.agenda(viewer=request.user, participant=participant) if participant else []
    return render(
        request,
        "events/brokerage/agenda.html",
        _context(request, event, participant=participant, items=items),
    )


@login_required
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    participant = _agenda_participant(request, event)
    items = brokerage.agenda(viewer=request.user, participant=participant) if participant else []
    name = _("%(event)s: my meetings") % {"event": event.title}
    return calendar_response(
        brokerage.agenda_entries(items, event),
        name=name,
        filename=f"{event.slug}-meetings.ics",
    )


# --- Organizers --------------------------------------------------------------------------


def _organizer_event(request: HttpRequest, slug: str) -> Event:
    event = _event_or_404(request, slug)
    if not brokerage.is_organizer(request.user, event):
        raise PermissionDenied
    return event


@login_required
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organizer_event(request, slug)
    slots = list(brokerage.slot_list(event=event))
    first_day = timezone.localtime(slots[-1].starts_at if slots else event.starts_at)
    context = _context(
        request,
        event,
        summary=brokerage.brokerage_summary(event=event, viewer=request.user),
        settings_form=BrokerageSettingsForm(instance=event),
        slots_form=SlotsForm(initial={"day": first_day.date()}),
        run_form=ScheduleRunForm(),
        runs=list(brokerage.schedule_run_list(viewer=request.user, event=event)[:5]),
        grid=brokerage.schedule_grid(viewer=request.user, event=event),
        slots=slots,
    )
    return render(request, "events/brokerage/organize.html", context)


def _organize_url(event: Event) -> str:
    return reverse("brokerage:organize", kwargs={"slug": event.slug})


@login_required
@require_POST
def settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organizer_event(request, slug)
    form = BrokerageSettingsForm(request.POST, instance=Event.objects.get(pk=event.pk))
    if form.is_valid():
        try:
            brokerage.brokerage_settings_update(
                actor=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Settings saved."))
    else:
        messages.error(request, _("Please correct the settings."))
    return redirect(_organize_url(event))


@login_required
@require_POST
def slots_generate(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organizer_event(request, slug)
    form = SlotsForm(request.POST)
    if form.is_valid():
        try:
            created = brokerage.slots_generate(
                actor=request.user,
                event=event,
                day=form.cleaned_data["day"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                breaks=form.breaks(),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                ngettext("%(count)d slot added.", "%(count)d slots added.", len(created))
                % {"count": len(created)},
            )
    else:
        messages.error(
            request,
            " ".join(str(message) for errors in form.errors.values() for message in errors),
        )
    return redirect(_organize_url(event))


@login_required
@require_POST
def slot_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _organizer_event(request, slug)
    try:
        slot = MeetingSlot.objects.select_related("event").get(event=event, pk=pk)
    except MeetingSlot.DoesNotExist as error:
        raise Http404 from error
    try:
        brokerage.slot_delete(actor=request.user, slot=slot)
    except ValidationError as validation_error:
        messages.error(request, _error_text(validation_error))
    else:
        messages.success(request, _("Slot removed."))
    return redirect(_organize_url(event))


@login_required
@require_POST
def schedule_run(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organizer_event(request, slug)
    form = ScheduleRunForm(request.POST)
    time_limit = form.cleaned_data["time_limit_s"] if form.is_valid() else None
    announced_before = brokerage.brokerage_summary(event=event, viewer=request.user).announced
    try:
        run = brokerage.schedule_run(
            actor=request.user,
            event=event,
            time_limit_s=float(time_limit or brokerage.DEFAULT_TIME_LIMIT_S),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "The scheduler placed %(scheduled)d of %(requests)d accepted meeting.",
                "The scheduler placed %(scheduled)d of %(requests)d accepted meetings.",
                run.requests,
            )
            % {"scheduled": run.scheduled, "requests": run.requests},
        )
        if announced_before > run.kept:
            # The scheduler moves or drops an announced meeting only to fit more meetings in.
            messages.warning(
                request,
                ngettext(
                    "%(changed)d announced meeting was moved or dropped to fit more meetings "
                    "in: announce the schedule again so that participants see it.",
                    "%(changed)d announced meetings were moved or dropped to fit more "
                    "meetings in: announce the schedule again so that participants see it.",
                    announced_before - run.kept,
                )
                % {"changed": announced_before - run.kept},
            )
    return redirect(_organize_url(event))


@login_required
@require_POST
def schedule_announce(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organizer_event(request, slug)
    count = brokerage.schedule_announce(actor=request.user, event=event)
    messages.success(
        request,
        ngettext("%(count)d meeting announced.", "%(count)d meetings announced.", count)
        % {"count": count},
    )
    return redirect(_organize_url(event))
