"""Organizations, people and the focus-area taxonomy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parkbridge.core.i18n import CONTENT_LANGUAGES, localized_value
from parkbridge.core.models import TimeStampedModel, WordSearchable


class FocusArea(models.Model):
    """A node of the OECD Fields of Science and Technology (FOS 2007) classification."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    position = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized_value(self, "name", fallback="name_en")

    def descendant_ids(self) -> set[int]:
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(
                FocusArea.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
            )
            ids.update(frontier)
        return ids


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    TECHNOLOGY_PARK = "technology_park", _("Technology park")
    INCUBATOR = "incubator", _("Incubator")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    COMPANY = "company", _("Company")
    INVESTOR = "investor", _("Investor or fund")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other")


class Organization(WordSearchable, TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("original name"), max_length=300)
    name_language = models.CharField(
        _("language of the original name"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    name_en = models.CharField(_("name in English"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_language = models.CharField(
        _("language of the description"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
        help_text=_("The university or park this one is a branch or unit of."),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="organizations"
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name_en or self.name

    @property
    def display_name(self) -> str:
        return localized_value(self, "name", fallback="name", original_language=self.name_language)

    def get_absolute_url(self) -> str:
        return reverse("registry:organization_detail", kwargs={"slug": self.slug})

    def search_parts(self) -> list[str]:
        return [
            self.name,
            self.name_en,
            self.name_ru,
            self.name_zh,
            self.short_name,
            self.city,
            self.description,
        ]

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An organization cannot be its own parent or ancestor.")}
                )
            ancestor = ancestor.parent


class Person(WordSearchable, TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    full_name = models.CharField(_("full name (original script)"), max_length=200)
    full_name_latin = models.CharField(_("full name (Latin script)"), max_length=200)
    name_language = models.CharField(
        _("language of the name"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    expertise = models.TextField(_("expertise"), blank=True)
    expertise_language = models.CharField(
        _("language of the expertise text"), max_length=8, choices=CONTENT_LANGUAGES, default="en"
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="people"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    messenger = models.CharField(
        _("messenger"), max_length=120, blank=True, help_text=_("WeChat, Telegram or similar.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["full_name_latin"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name_latin or self.full_name

    @property
    def display_name(self) -> str:
        """The original-script name, with the Latin form when the scripts differ."""
        if self.full_name_latin and self.full_name_latin != self.full_name:
            return f"{self.full_name} ({self.full_name_latin})"
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("registry:person_detail", kwargs={"slug": self.slug})

    def search_parts(self) -> list[str]:
        positions: list[str] = []
        if self.pk:
            for position, position_en in self.affiliations.values_list("position", "position_en"):
                positions += [position, position_en]
        return [self.full_name, self.full_name_latin, self.expertise, *positions]

    def clean(self) -> None:
        codes = self.languages or []
        if not isinstance(codes, list) or not all(
            isinstance(code, str) and 2 <= len(code) <= 3 and code.isalpha() for code in codes
        ):
            raise ValidationError(
                {"languages": _("Give languages as a list of ISO 639-1 codes, such as en, ru, zh.")}
            )


class Affiliation(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_en = models.CharField(_("position in English"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary affiliation"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="unique_person_organization"
            )
        ]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.person} – {self.position_en or self.position} – {self.organization}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # Positions are searchable on the person.
        Person.objects.filter(pk=self.person_id).update(search_text=self.person.build_search_text())

    @property
    def display_position(self) -> str:
        return localized_value(
            self, "position", fallback="position", original_language=self.person.name_language
        )
