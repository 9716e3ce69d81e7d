"""Reads of news: published items for everyone, drafts for the publisher's members and staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from parkbridge.agreements.models import Agreement
from parkbridge.core import permissions
from parkbridge.core.i18n import CONTENT_LANGUAGE_CODES
from parkbridge.events.models import Event
from parkbridge.news.models import NewsItem, NewsTranslation
from parkbridge.registry.models import Organization

# The interface languages always have a feed, even an empty one: the news page links to it.
FEED_LANGUAGES = ("en", "ru", "zh")
FEED_SIZE = 30


@dataclass(frozen=True)
class NewsFilters:
    query: str = ""  # words, each found in some text of the item
    organization: str = ""  # slug: published by it or mentioning it
    language: str = ""  # only items with a text in this language
    drafts_only: bool = False


@dataclass(frozen=True)
class NewsLinks:
    """What a news item links to, as far as the viewer may see it."""

    organizations: list[Organization]
    events: list[Event]
    agreements: list[Agreement]


def _readable(viewer: Any) -> QuerySet[NewsItem]:
    items = NewsItem.objects.all()
    if permissions.is_platform_staff(viewer):
        return items
    published = Q(published_at__lte=timezone.now())
    mine = permissions.contributable_organization_ids(viewer)
    if mine:
        return items.filter(published | Q(publisher_id__in=mine))
    return items.filter(published)


def _with_texts(items: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    return items.select_related("publisher").prefetch_related("translations")


def news_list(*, viewer: Any, filters: NewsFilters | None = None) -> QuerySet[NewsItem]:
    """News the viewer may read, newest first; the viewer's drafts and scheduled items first."""
    filters = filters or NewsFilters()
    items = _readable(viewer)
    for word in [word.lower() for word in filters.query.split() if word][:8]:
        items = items.filter(
            Exists(NewsTranslation.objects.filter(item=OuterRef("pk"), search_text__contains=word))
        )
    if filters.organization:
        items = items.filter(
            Q(publisher__slug=filters.organization)
            | Exists(
                NewsItem.organizations.through.objects.filter(
                    newsitem_id=OuterRef("pk"), organization__slug=filters.organization
                )
            )
        )
    if filters.language:
        items = items.filter(
            Exists(NewsTranslation.objects.filter(item=OuterRef("pk"), language=filters.language))
        )
    if filters.drafts_only:
        items = items.filter(Q(published_at__isnull=True) | Q(published_at__gt=timezone.now()))
    # Drafts (no date) first for those who see them, then the newest publications.
    return _with_texts(items).order_by(F("published_at").desc(nulls_first=True), "-id")


def news_latest(*, limit: int = 3) -> list[NewsItem]:
    """The newest published news, the same for every viewer (home page, side panels)."""
    return list(news_list(viewer=permissions.anonymous())[:limit])


def news_get(*, viewer: Any, slug: str) -> NewsItem:
    """The item, or NewsItem.DoesNotExist when it is missing or a draft the viewer may not see."""
    return _with_texts(_readable(viewer)).get(slug=slug)


def news_links(*, viewer: Any, item: NewsItem) -> NewsLinks:
    return NewsLinks(
        organizations=list(item.organizations.order_by("name_en")),
        events=list(permissions.visible(item.events.all(), viewer).order_by("-starts_at")),
        agreements=list(
            permissions.visible(item.agreements.all(), viewer).order_by("-signed_on", "title")
        ),
    )


def news_publishers() -> QuerySet[Organization]:
    """Organizations that have published news, for the list's filter."""
    return (
        Organization.objects.filter(published_news__published_at__lte=timezone.now())
        .distinct()
        .order_by("name_en")
    )


def linkable_events(*, viewer: Any) -> QuerySet[Event]:
    """Events a news item written by the viewer may link to: those the viewer sees."""
    return permissions.visible(Event.objects.all(), viewer).order_by("-starts_at")


def linkable_agreements(*, viewer: Any) -> QuerySet[Agreement]:
    """Agreements a news item written by the viewer may link to: those the viewer sees."""
    return permissions.visible(Agreement.objects.all(), viewer).order_by("-signed_on", "title")


def news_for_feed(*, language: str, limit: int = FEED_SIZE) -> QuerySet[NewsItem]:
    """Published items that have a text in `language`, newest first (what anyone may read)."""
    anonymous = permissions.anonymous()
    return news_list(viewer=anonymous, filters=NewsFilters(language=language))[:limit]


def feed_languages() -> list[str]:
    """The languages with a feed: the interface languages and any other one with a text."""
    written = set(
        NewsTranslation.objects.filter(
            item__published_at__lte=timezone.now(), language__in=CONTENT_LANGUAGE_CODES
        )
        .values_list("language", flat=True)
        .distinct()
    )
    return [*FEED_LANGUAGES, *sorted(written - set(FEED_LANGUAGES))]


def has_feed(language: str) -> bool:
    if language in FEED_LANGUAGES:
        return True
    return (
        language in CONTENT_LANGUAGE_CODES
        and NewsTranslation.objects.filter(
            item__published_at__lte=timezone.now(), language=language
        ).exists()
    )
