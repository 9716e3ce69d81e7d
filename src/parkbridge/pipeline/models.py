"""Cooperations (deals) between organizations, their timeline of activities and follow-up tasks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkbridge.core.models import TimeStampedModel, WordSearchable, user_reference
from parkbridge.offers.models import Offer
from parkbridge.portfolio.models import Currency, Project
from parkbridge.registry.models import Organization


class CooperationStage(models.TextChoices):
    """The steps a cooperation goes through, in order; closed-lost can happen at any step."""

    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    MEETING_HELD = "meeting_held", _("Meeting held")
    NEGOTIATION = "negotiation", _("Negotiation")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    ACTIVE = "active", _("Active joint work")
    COMMERCIALISED = "commercialised", _("Commercialised")
    CLOSED_LOST = "closed_lost", _("Closed, lost")


OPEN_STAGES = [
    CooperationStage.LEAD,
    CooperationStage.CONTACTED,
    CooperationStage.MEETING_HELD,
    CooperationStage.NEGOTIATION,
    CooperationStage.AGREEMENT_SIGNED,
    CooperationStage.ACTIVE,
]
CLOSED_STAGES = [CooperationStage.COMMERCIALISED, CooperationStage.CLOSED_LOST]


class CommercialisationKind(models.TextChoices):
    LICENCE_SOLD = "licence_sold", _("Licence sold")
    STARTUP_CREATED = "startup_created", _("Startup created")
    NEW_MARKET = "new_market", _("Product on a new market")
    OTHER = "other", _("Other")


class LeadSource(models.TextChoices):
    MANUAL = "manual", _("Created by hand")
    MUTUAL_INTEREST = "mutual_interest", _("Mutual interest in a match")
    EVENT_OUTCOME = "event_outcome", _("Outcome of an event")


class Cooperation(WordSearchable, TimeStampedModel):
    """A cooperation between organizations, optionally about a project and an offer."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), related_name="cooperations"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    offer = models.ForeignKey(
        Offer,
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=CooperationStage.choices, default=CooperationStage.LEAD
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    owner = user_reference(_("responsible"), related_name="cooperations_owned")
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    lost_reason = models.TextField(_("reason it was lost"), blank=True)
    commercialisation = models.CharField(
        _("commercialised as"), max_length=20, choices=CommercialisationKind.choices, blank=True
    )
    source = models.CharField(
        _("source"), max_length=20, choices=LeadSource.choices, default=LeadSource.MANUAL
    )
    # "kind:id|kind:id" of the two matched items a mutual-interest lead came from, sorted, so
    # that the same mutual interest never opens a second lead.
    match_pair = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    created_by = user_reference(_("created by"))

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="cooperation_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:cooperation_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.value is not None and not self.currency:
            errors["currency"] = str(_("Give the currency of the value."))
        if self.stage == CooperationStage.CLOSED_LOST and not self.lost_reason.strip():
            errors["lost_reason"] = str(_("Say why the cooperation was lost."))
        if self.stage == CooperationStage.COMMERCIALISED and not self.commercialisation:
            errors["commercialisation"] = str(_("Say how it was commercialised."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_next_step_overdue(self) -> bool:
        return bool(
            self.is_open and self.next_step_due and self.next_step_due < timezone.localdate()
        )

    def search_parts(self) -> list[str]:
        return [self.title, self.description, self.next_step]


class ActivityKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    DOCUMENT = "document", _("Document")
    STAGE_CHANGE = "stage_change", _("Stage change")


class Activity(models.Model):
    """One entry of a cooperation's timeline: who did what, and when."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    text = models.TextField(_("text"), blank=True)
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = user_reference(_("who"))
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=CooperationStage.choices, blank=True
    )
    to_stage = models.CharField(
        _("to stage"), max_length=20, choices=CooperationStage.choices, blank=True
    )
    attachment = models.FileField(_("document"), upload_to="cooperations/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class Task(TimeStampedModel):
    """A follow-up someone has to do, from a cooperation's next step or an event's outcome."""

    title = models.CharField(_("task"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    assignee = user_reference(_("assignee"), related_name="tasks")
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = user_reference(_("created by"))

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(not self.done_at and self.due_on and self.due_on < timezone.localdate())
