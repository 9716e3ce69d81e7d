"""Atom feeds of published news, one per language: /news/feed/<language>.atom."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from parkbridge.news import selectors
from parkbridge.news.models import NewsItem, NewsTranslation
from parkbridge.registry.models import Organization

# The interface language that speaks each content language (feed titles, subtitles).
UI_LANGUAGE_FOR = {"en": "en", "ru": "ru", "zh": "zh-hans"}


def organization_name_in(organization: Organization, language: str) -> str:
    """The organization's name in a content language when it has one, else in English."""
    translated = getattr(organization, f"name_{language}", "")
    if translated:
        return str(translated)
    if organization.name_language == language:
        return organization.name
    return organization.name_en or organization.name


class NewsAtomFeed(Atom1Feed):
    """Atom with the whole text in <content>, besides the lead in <summary>."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class NewsFeed(Feed):
    """Create one per request: it keeps the request and the language for its items."""

    feed_type = NewsAtomFeed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = kwargs.get("language", "en")
        with translation.override(UI_LANGUAGE_FOR.get(language, "en")):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        self.request = request
        self.feed_language: str = kwargs["language"]
        self.language = self.feed_language  # Feed writes it as the feed's xml:lang
        return self.feed_language

    def title(self, language: str) -> str:
        return _("%(site)s news") % {"site": settings.PARKBRIDGE_SITE_NAME}

    def subtitle(self, language: str) -> str:
        return _("News of the technology parks and their partners")

    def link(self, language: str) -> str:
        return reverse("news:news_list")

    def feed_url(self, language: str) -> str:
        return reverse("news:news_feed", kwargs={"language": language})

    def feed_guid(self, language: str) -> str:
        return self.request.build_absolute_uri(self.feed_url(language))

    def author_name(self, language: str) -> str:
        return str(settings.PARKBRIDGE_SITE_NAME)

    def items(self, language: str) -> QuerySet[NewsItem]:
        return selectors.news_for_feed(language=language)

    def _text(self, item: NewsItem) -> NewsTranslation:
        # The selector only returns items that have a text in the feed's language.
        return item.text_for(self.feed_language) or NewsTranslation(title=item.slug, body="")

    def item_title(self, item: NewsItem) -> str:
        return self._text(item).title

    def item_description(self, item: NewsItem) -> str:
        text = self._text(item)
        summary = text.lead or Truncator(text.body).words(60)
        return escape(summary)

    def item_link(self, item: NewsItem) -> str:
        return f"{item.get_absolute_url()}?language={self.feed_language}"

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_author_name(self, item: NewsItem) -> str:
        return organization_name_in(item.publisher, self.feed_language)

    def item_author_link(self, item: NewsItem) -> str:
        return self.request.build_absolute_uri(item.publisher.get_absolute_url())

    def item_extra_kwargs(self, item: NewsItem) -> dict[str, Any]:
        text = self._text(item)
        parts = []
        if item.image:
            picture = self.request.build_absolute_uri(item.image.url)
            parts.append(f'<p><img src="{escape(picture)}" alt=""></p>')
        if text.lead:
            parts.append(f"<p><strong>{escape(text.lead)}</strong></p>")
        parts.append(linebreaks_filter(text.body, autoescape=True))
        return {"content": "\n".join(parts)}
