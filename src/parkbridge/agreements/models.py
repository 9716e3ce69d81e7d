"""The agreements registry: memoranda, NDAs, licences and contracts between organizations."""

from __future__ import annotations

import datetime
import secrets
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.core.models import Confidentiality, TimeStampedModel, WordSearchable, user_reference
from parkbridge.pipeline.models import Cooperation
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    COOPERATION = "cooperation", _("Cooperation agreement")
    NDA = "nda", _("Non-disclosure agreement")
    LICENCE = "licence", _("Licence")
    FOUNDING = "founding", _("Joint-venture or startup founding agreement")
    RESEARCH_CONTRACT = "research_contract", _("Research contract")


class AgreementStatus(models.TextChoices):
    """The stored status; whether a signed agreement is still in force also depends on dates."""

    DRAFT = "draft", _("Draft")
    NEGOTIATION = "negotiation", _("Under negotiation")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")


class Agreement(WordSearchable, TimeStampedModel):
    # The confidentiality policy reads these: restricted agreements are for their parties.
    visibility_owner_field = "owner"
    visibility_shared_field = "parties"

    kind = models.CharField(_("kind"), max_length=24, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="agreements_registered",
    )
    parties = models.ManyToManyField(
        Organization, verbose_name=_("parties"), related_name="agreements"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_place = models.CharField(_("place of signature"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: no end date.")
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind before expiry (days)"), default=60
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
        help_text=_("Restricted: only the parties see it."),
    )
    cooperations = models.ManyToManyField(
        Cooperation, verbose_name=_("cooperations"), blank=True, related_name="agreements"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="agreements"
    )
    granted_projects = models.ManyToManyField(
        Project,
        verbose_name=_("gives access to"),
        blank=True,
        related_name="access_granting_agreements",
        help_text=_(
            "For an NDA: restricted projects of a party that the other parties may see while the "
            "NDA is in force."
        ),
    )
    created_by = user_reference(_("created by"))

    class Meta:
        ordering = ["-signed_on", "-created_at", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = str(_("The end of validity comes before its start."))
        if self.status == AgreementStatus.SIGNED and not self.signed_on:
            errors["signed_on"] = str(_("A signed agreement needs its signature date."))
        if errors:
            raise ValidationError(errors)

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        if self.status != AgreementStatus.SIGNED:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    @property
    def is_expired(self) -> bool:
        return bool(
            self.status == AgreementStatus.SIGNED
            and self.valid_until
            and self.valid_until < timezone.localdate()
        )

    @property
    def days_until_expiry(self) -> int | None:
        """Days left until `valid_until` (negative once it has passed); None without an end."""
        if not self.valid_until:
            return None
        return (self.valid_until - timezone.localdate()).days

    @property
    def is_expiring_soon(self) -> bool:
        """In force, and its end is within the days before expiry that it asks to be reminded."""
        days = self.days_until_expiry
        return days is not None and self.is_in_force() and days <= self.remind_days_before

    @property
    def grants_access(self) -> bool:
        """A signed NDA in force today opens its granted projects to the other parties."""
        return self.kind == AgreementKind.NDA and self.is_in_force()

    def search_parts(self) -> list[str]:
        return [self.title, self.summary, self.signed_place]


# Longest original file name kept in the stored path (FileField holds 255 characters).
STORED_NAME_MAX = 120


def agreement_document_path(document: AgreementDocument, filename: str) -> str:
    # A random prefix keeps stored paths unguessable, in case a web server ever serves the
    # media folder as it is; downloads go through the agreements view, which checks the party.
    name = PurePosixPath(filename).name
    suffix = PurePosixPath(name).suffix[:10]
    stem = name[: len(name) - len(suffix)] if suffix else name
    token = secrets.token_hex(8)
    return f"agreements/{document.agreement_id}/{token}-{stem[:STORED_NAME_MAX]}{suffix}"


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=agreement_document_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The file name the uploader gave, without the random prefix of the stored path."""
        stored = PurePosixPath(self.file.name).name
        prefix, dash, rest = stored.partition("-")
        return rest if dash and len(prefix) == 16 else stored
