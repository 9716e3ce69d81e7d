"""Delegation visits, meetings, conferences and brokerage events with their 1:1 meetings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.core.models import Confidentiality, TimeStampedModel, WordSearchable, user_reference
from parkbridge.pipeline.models import Cooperation, Task
from parkbridge.registry.models import Organization, Person


class EventKind(models.TextChoices):
    DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
    MEETING = "meeting", _("Meeting")
    CONFERENCE = "conference", _("Conference")
    BROKERAGE = "brokerage", _("Brokerage event")


class Event(WordSearchable, TimeStampedModel):
    # The confidentiality policy reads these: restricted events are for host and visitors.
    visibility_owner_field = "host"
    visibility_shared_field = "visiting_organizations"

    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    visiting_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("visiting organizations"),
        blank=True,
        related_name="visited_events",
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.NETWORK,
        help_text=_("Restricted: only the host and the visiting organizations see it."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_language = models.CharField(
        _("language of the minutes"), max_length=8, choices=CONTENT_LANGUAGES, blank=True
    )
    # Brokerage events only.
    meeting_minutes = models.PositiveSmallIntegerField(
        _("length of a 1:1 meeting (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=20, validators=[MinValueValidator(1)]
    )
    default_meeting_limit = models.PositiveSmallIntegerField(
        _("meetings per participant"), default=8, validators=[MinValueValidator(1)]
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    requests_open = models.BooleanField(_("meeting requests open"), default=True)
    created_by = user_reference(_("created by"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event ends before it starts.")})

    @property
    def is_brokerage(self) -> bool:
        return self.kind == EventKind.BROKERAGE

    def search_parts(self) -> list[str]:
        return [self.title, self.description, self.place, self.city]


class ParticipantRole(models.TextChoices):
    HOST = "host", _("Host")
    GUEST = "guest", _("Guest")
    SPEAKER = "speaker", _("Speaker")
    ATTENDEE = "attendee", _("Attendee")


class Participant(models.Model):
    """A person at an event; at a brokerage event also their profile, availability and limit."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_participations",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.ATTENDEE
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    offering = models.TextField(_("what I offer"), blank=True)
    seeking = models.TextField(_("what I am looking for"), blank=True)
    profile_language = models.CharField(
        _("profile language"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    available_slots: models.ManyToManyField[MeetingSlot, Any] = models.ManyToManyField(
        "MeetingSlot", verbose_name=_("available in"), blank=True, related_name="available"
    )
    meeting_limit = models.PositiveSmallIntegerField(
        _("most meetings"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["person__full_name_latin", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_participation_per_event")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def effective_meeting_limit(self) -> int:
        return self.meeting_limit or self.event.default_meeting_limit


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """What a meeting decided: a direction for cooperation, a decision, a follow-up."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(_("outcome"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_outcomes",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_outcomes",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.text[:80]


class MeetingSlot(models.Model):
    """A time slot for 1:1 meetings at a brokerage event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="one_slot_per_start")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingRequest(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_sent"
    )
    invitee = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("0 low, 1 normal, 2 high.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "invitee"], name="one_request_per_direction"
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("invitee")), name="no_meeting_with_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.invitee}"


class Meeting(models.Model):
    """A scheduled 1:1 meeting: an accepted request in a slot at a table."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="one_meeting_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} #{self.table}"


class ScheduleRun(models.Model):
    """One run of the meeting scheduler, kept so organizers see what it achieved."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    method = models.CharField(_("method"), max_length=16)
    status = models.CharField(_("solver status"), max_length=32)
    requests = models.PositiveIntegerField(_("accepted requests"))
    scheduled = models.PositiveIntegerField(_("meetings scheduled"))
    upper_bound = models.PositiveIntegerField(_("upper bound"), null=True, blank=True)
    kept = models.PositiveIntegerField(_("announced meetings kept"), default=0)
    seconds = models.FloatField(_("seconds"))
    ran_by = user_reference(_("ran by"))
    ran_at = models.DateTimeField(_("ran"), auto_now_add=True)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")

    def __str__(self) -> str:
        return f"{self.event}: {self.scheduled}/{self.requests} ({self.method})"
