"""Multilingual news: one item, its text in each language, linked to what it reports."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkbridge.agreements.models import Agreement
from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.core.models import TimeStampedModel, WordSearchable, user_reference
from parkbridge.events.models import Event
from parkbridge.registry.models import Organization


class NewsItem(TimeStampedModel):
    slug = models.SlugField(_("identifier"), max_length=140, unique=True)
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="published_news",
    )
    published_at = models.DateTimeField(
        _("publication date"), null=True, blank=True, help_text=_("Empty: a draft.")
    )
    image = models.ImageField(_("picture"), upload_to="news/", blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True, related_name="news"
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), blank=True, related_name="news"
    )
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements"), blank=True, related_name="news"
    )
    created_by = user_reference(_("created by"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["published_at"], name="news_published_at")]

    def __str__(self) -> str:
        first = self.text_for("") if self.pk else None
        return first.title if first else self.slug

    def get_absolute_url(self) -> str:
        return reverse("news:news_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return bool(self.published_at and self.published_at <= timezone.now())

    @property
    def is_scheduled(self) -> bool:
        """Given a publication date still to come: hidden from the public until then."""
        return bool(self.published_at and self.published_at > timezone.now())

    @property
    def languages(self) -> list[str]:
        """The languages it is written in, the first-written first."""
        return [text.language for text in self.translations.all()]

    def text_for(self, language: str) -> NewsTranslation | None:
        """The text in `language` when there is one, else the first-written text.

        Reads `translations.all()`, so a prefetched list costs no query.
        """
        texts = list(self.translations.all())
        for text in texts:
            if text.language == language:
                return text
        return texts[0] if texts else None


class NewsTranslation(WordSearchable):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("One or two sentences shown in the list and the feed.")
    )
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("news text")
        verbose_name_plural = _("news texts")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="one_news_text_per_language")
        ]

    def __str__(self) -> str:
        return self.title

    def search_parts(self) -> list[str]:
        return [self.title, self.lead, self.body]
