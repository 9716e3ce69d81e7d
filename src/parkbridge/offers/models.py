"""What partners offer (investment, markets, manufacturing, facilities, mentoring) and request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.core.models import Confidentiality, TimeStampedModel, WordSearchable
from parkbridge.portfolio.models import TRL_CHOICES, Currency, ProjectStage, trl_validators
from parkbridge.registry.models import FocusArea, Organization, Person


class OfferKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment offer")
    MARKET_ACCESS = "market_access", _("Market-access offer")
    MANUFACTURING = "manufacturing", _("Manufacturing capacity")
    FACILITY_ACCESS = "facility_access", _("Research-facility access")
    MENTORING = "mentoring", _("Mentoring")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    EXPERT_REQUEST = "expert_request", _("Expert request")


REQUEST_KINDS = {OfferKind.TECHNOLOGY_REQUEST, OfferKind.EXPERT_REQUEST}


class Offer(WordSearchable, TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=CONTENT_LANGUAGES,
        help_text=_("The language the text is written in; detected when empty."),
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.NETWORK,
    )
    shared_with = models.ManyToManyField(
        Organization, verbose_name=_("shared with"), blank=True, related_name="shared_offers"
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="offers"
    )
    countries = CountryField(
        _("countries or regions"),
        multiple=True,
        blank=True,
        help_text=_("Where the offer applies: markets, investment regions, facility location."),
    )
    ticket_min = models.DecimalField(
        _("ticket from"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    ticket_max = models.DecimalField(
        _("ticket to"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    trl_min = models.PositiveSmallIntegerField(
        _("TRL from"), null=True, blank=True, choices=TRL_CHOICES, validators=trl_validators
    )
    trl_max = models.PositiveSmallIntegerField(
        _("TRL to"), null=True, blank=True, choices=TRL_CHOICES, validators=trl_validators
    )
    channels = models.CharField(
        _("channels"),
        max_length=300,
        blank=True,
        help_text=_("For market access: distributors, marketplaces, public procurement..."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("offer or request")
        verbose_name_plural = _("offers and requests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("offers:offer_detail", kwargs={"slug": self.slug})

    @property
    def is_request(self) -> bool:
        return self.kind in REQUEST_KINDS

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_until is None or self.valid_until >= today
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The offer ends before it starts.")
        if (
            self.ticket_min is not None
            and self.ticket_max is not None
            and self.ticket_min > self.ticket_max
        ):
            errors["ticket_max"] = _("The upper ticket is below the lower one.")
        if (self.ticket_min is not None or self.ticket_max is not None) and not self.currency:
            errors["currency"] = _("Give the currency of the ticket.")
        if self.trl_min and self.trl_max and self.trl_min > self.trl_max:
            errors["trl_max"] = _("The upper TRL is below the lower one.")
        unknown_stages = set(self.stages or []) - set(ProjectStage.values)
        if unknown_stages:
            errors["stages"] = _("Unknown stages: %(stages)s") % {
                "stages": ", ".join(sorted(unknown_stages))
            }
        if (
            self.kind == OfferKind.INVESTMENT
            and self.ticket_min is None
            and self.ticket_max is None
        ):
            errors["ticket_min"] = _("An investment offer states its ticket size.")
        if self.kind == OfferKind.MARKET_ACCESS and not self.countries:
            errors["countries"] = _("Name the countries whose markets you open.")
        if errors:
            raise ValidationError(errors)

    def search_parts(self) -> list[str]:
        return [self.title, self.description, self.channels]
