"""Innovation projects, startups, inventions and their IP assets, with what they need."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parkbridge.core.i18n import CONTENT_LANGUAGES, ui_content_language
from parkbridge.core.models import Confidentiality, TimeStampedModel, WordSearchable
from parkbridge.registry.models import FocusArea, Organization, Person


class ProjectKind(models.TextChoices):
    RESEARCH = "research", _("Research and development project")
    STARTUP = "startup", _("Startup company")
    TECHNOLOGY = "technology", _("Invention or technology for licensing")
    JOINT = "joint", _("Joint project of several organizations")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot")
    MARKET_ENTRY = "market_entry", _("Market entry")
    SCALING = "scaling", _("Scaling")


class RevenueBand(models.TextChoices):
    NONE = "none", _("No revenue yet")
    UNDER_100K = "under_100k", _("Under 100,000 USD a year")
    UNDER_1M = "under_1m", _("100,000 to 1 million USD a year")
    UNDER_10M = "under_10m", _("1 to 10 million USD a year")
    OVER_10M = "over_10m", _("Over 10 million USD a year")


class Currency(models.TextChoices):
    USD = "USD", "USD"
    EUR = "EUR", "EUR"
    RUB = "RUB", "RUB"
    CNY = "CNY", "CNY"
    KZT = "KZT", "KZT"
    AED = "AED", "AED"
    INR = "INR", "INR"


# EU Horizon / NASA technology readiness levels, shown as help wherever TRL is entered.
TRL_DEFINITIONS: dict[int, Any] = {
    1: _("TRL 1 – basic principles observed"),
    2: _("TRL 2 – technology concept formulated"),
    3: _("TRL 3 – experimental proof of concept"),
    4: _("TRL 4 – technology validated in lab"),
    5: _("TRL 5 – technology validated in relevant environment"),
    6: _("TRL 6 – technology demonstrated in relevant environment"),
    7: _("TRL 7 – system prototype demonstration in operational environment"),
    8: _("TRL 8 – system complete and qualified"),
    9: _("TRL 9 – actual system proven in operational environment"),
}
TRL_CHOICES = list(TRL_DEFINITIONS.items())

trl_validators = [MinValueValidator(1), MaxValueValidator(9)]


class Project(WordSearchable, TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=CONTENT_LANGUAGES,
        help_text=_("The language the title and summary are written in; detected when empty."),
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.NETWORK,
    )
    shared_with = models.ManyToManyField(
        Organization,
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_projects",
        help_text=_("For restricted projects: organizations that may see it, e.g. after an NDA."),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="projects"
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        choices=TRL_CHOICES,
        validators=trl_validators,
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.IDEA
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=80, blank=True)
    team_size = models.PositiveIntegerField(_("team size"), null=True, blank=True)
    revenue_band = models.CharField(
        _("revenue"), max_length=20, choices=RevenueBand.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True)
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
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="project_trl_1_to_9",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.kind != ProjectKind.STARTUP and (
            self.founded_on or self.legal_form or self.team_size or self.revenue_band
        ):
            raise ValidationError(
                _("Founding date, legal form, team size and revenue are for startups only.")
            )

    def search_parts(self) -> list[str]:
        parts = [self.title, self.summary, " ".join(self.keywords or [])]
        if self.pk:
            for title, summary in self.translations.values_list("title", "summary"):
                parts += [title, summary]
            parts += list(self.needs.values_list("description", flat=True))
        return parts

    @property
    def display_title(self) -> str:
        """The title in the UI language when people translated it, else the original."""
        translation = self.translation_for()
        return translation.title if translation else self.title

    @property
    def display_summary(self) -> str:
        translation = self.translation_for()
        return translation.summary if translation else self.summary

    @property
    def display_language(self) -> str:
        translation = self.translation_for()
        return translation.language if translation else self.language

    def translation_for(self, language: str | None = None) -> ProjectTranslation | None:
        """The people-made translation into the UI language, if there is one."""
        code = language or ui_content_language()
        if code == self.language:
            return None
        return next((t for t in self.translations.all() if t.language == code), None)


class ProjectTranslation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "language"], name="unique_translation")
        ]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.project} [{self.language}]"


class ParticipantRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    RESEARCH_PARTNER = "research_partner", _("Research partner")
    INDUSTRIAL_PARTNER = "industrial_partner", _("Industrial partner")
    INVESTOR = "investor", _("Investor")
    CUSTOMER = "customer", _("Customer or pilot site")
    SUPPORTER = "supporter", _("Supporter (park, incubator)")


class ProjectParticipant(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=24, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="unique_project_participant"
            )
        ]
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class TeamMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="unique_team_member")
        ]
        verbose_name = _("team member")
        verbose_name_plural = _("team")

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class NeedKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    INDUSTRIAL_PARTNER = "industrial_partner", _("Industrial partner")
    RESEARCH_PARTNER = "research_partner", _("Research partner")
    MARKET_ACCESS = "market_access", _("Market access")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    FACILITY_ACCESS = "facility_access", _("Research facility access")
    MENTORING = "mentoring", _("Mentoring")
    LICENSEE = "licensee", _("Licensee")


class ProjectNeed(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("need"), max_length=24, choices=NeedKind.choices)
    description = models.TextField(_("details"), blank=True)
    amount_min = models.DecimalField(
        _("amount from"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("amount to"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="unique_project_need")
        ]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.kind == NeedKind.INVESTMENT:
            if self.amount_min is None and self.amount_max is None:
                raise ValidationError({"amount_min": _("Give the amount sought.")})
            if not self.currency:
                raise ValidationError({"currency": _("Give the currency of the amount.")})
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise ValidationError({"amount_max": _("The upper amount is below the lower one.")})
        if self.kind == NeedKind.MARKET_ACCESS and not self.countries:
            raise ValidationError({"countries": _("Name the countries whose markets you seek.")})


class IPKind(models.TextChoices):
    PATENT = "patent", _("Patent")
    PATENT_APPLICATION = "patent_application", _("Patent application")
    UTILITY_MODEL = "utility_model", _("Utility model")
    SOFTWARE = "software", _("Software registration")
    DATABASE = "database", _("Database registration")
    KNOW_HOW = "know_how", _("Know-how or trade secret")


class IPStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    PENDING = "pending", _("Under examination")
    GRANTED = "granted", _("Granted or registered")
    EXPIRED = "expired", _("Expired")
    ABANDONED = "abandoned", _("Abandoned")


class Jurisdiction(models.TextChoices):
    RU = "RU", _("Russia (Rospatent)")
    CN = "CN", _("China (CNIPA)")
    EA = "EA", _("Eurasian Patent Organization")
    EP = "EP", _("European Patent Office")
    US = "US", _("United States (USPTO)")
    WO = "WO", _("PCT international application (WIPO)")
    KZ = "KZ", _("Kazakhstan")
    BY = "BY", _("Belarus")
    DE = "DE", _("Germany")
    OTHER = "other", _("Other")


class IPAsset(TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=IPKind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=60, blank=True)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=8, choices=Jurisdiction.choices, blank=True
    )
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    grant_date = models.DateField(_("grant or registration date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=IPStatus.choices)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("managing organization"),
        on_delete=models.PROTECT,
        related_name="ip_assets",
    )
    co_owners = models.ManyToManyField(
        Organization, verbose_name=_("co-owners"), blank=True, related_name="co_owned_ip_assets"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="ip_assets"
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    shared_with = models.ManyToManyField(
        Organization, verbose_name=_("shared with"), blank=True, related_name="shared_ip_assets"
    )

    class Meta:
        ordering = ["-filing_date", "title"]
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")

    def __str__(self) -> str:
        return f"{self.title} ({self.number})" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:ip_asset_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.filing_date and self.grant_date and self.grant_date < self.filing_date:
            raise ValidationError({"grant_date": _("Granted before it was filed?")})
        if self.kind != IPKind.KNOW_HOW and not self.jurisdiction:
            raise ValidationError({"jurisdiction": _("Give the jurisdiction.")})
        if self.status == IPStatus.GRANTED and self.kind == IPKind.PATENT_APPLICATION:
            raise ValidationError(
                {"status": _("A granted application is a patent: change the kind.")}
            )
