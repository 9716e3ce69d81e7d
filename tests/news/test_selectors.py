"""Who reads which news, in which language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from parkbridge.core.i18n import ui_content_language
from parkbridge.news import selectors
from parkbridge.news.models import NewsItem
from tests.factories import NewsItemFactory
from tests.news.conftest import make_agreement, make_event

YESTERDAY = timezone.now() - datetime.timedelta(days=1)
ANONYMOUS = AnonymousUser()


@pytest.fixture
def news(organization: Any, other_organization: Any) -> dict[str, NewsItem]:
    return {
        "published": NewsItemFactory(
            slug="published",
            publisher=organization,
            published_at=YESTERDAY,
            texts=[
                {"language": "ru", "title": "Технопарк открыл лабораторию", "body": "Текст."},
                {"language": "en", "title": "Technopark opens a laboratory", "body": "Text."},
            ],
        ),
        "draft": NewsItemFactory(slug="draft", publisher=organization, published_at=None),
        "scheduled": NewsItemFactory(
            slug="scheduled",
            publisher=organization,
            published_at=timezone.now() + datetime.timedelta(days=2),
        ),
        "far": NewsItemFactory(
            slug="far",
            publisher=other_organization,
            published_at=YESTERDAY - datetime.timedelta(days=1),
            texts=[{"language": "zh", "title": "远方科技园举办路演", "body": "路演活动。"}],
        ),
    }


def _slugs(viewer: Any, **filters: Any) -> list[str]:
    found = selectors.news_list(viewer=viewer, filters=selectors.NewsFilters(**filters))
    return [item.slug for item in found]


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("anonymous", ["published", "far"]),
        ("loner", ["published", "far"]),
        ("outsider", ["published", "far"]),
        ("member", ["draft", "scheduled", "published", "far"]),
        ("org_admin", ["draft", "scheduled", "published", "far"]),
        ("staff_user", ["draft", "scheduled", "published", "far"]),
    ],
)
def test_drafts_and_scheduled_news_only_for_the_publisher(
    request: pytest.FixtureRequest, news: Any, audience: str, expected: list[str]
) -> None:
    viewer = ANONYMOUS if audience == "anonymous" else request.getfixturevalue(audience)
    assert _slugs(viewer) == expected
    for slug in ["draft", "scheduled"]:
        readable = selectors.news_list(viewer=viewer).filter(slug=slug).exists()
        assert readable == (slug in expected)


def test_draft_is_missing_for_outsiders(news: Any, outsider: Any, member: Any) -> None:
    with pytest.raises(NewsItem.DoesNotExist):
        selectors.news_get(viewer=outsider, slug="draft")
    assert selectors.news_get(viewer=member, slug="draft").slug == "draft"


def test_search_filters_and_drafts_only(news: Any, member: Any, outsider: Any) -> None:
    # Words are found in any language's text, Cyrillic in any case.
    assert _slugs(outsider, query="ЛАБОРАТОРИЮ") == ["published"]
    assert _slugs(outsider, query="laboratory") == ["published"]
    assert _slugs(outsider, query="路演") == ["far"]
    assert _slugs(outsider, organization="far-park") == ["far"]
    assert _slugs(outsider, language="zh") == ["far"]
    assert _slugs(outsider, language="ru") == ["published"]
    assert _slugs(member, drafts_only=True) == ["draft", "scheduled"]
    assert _slugs(outsider, drafts_only=True) == []


def test_organization_filter_finds_news_about_it(news: Any, other_organization: Any) -> None:
    news["published"].organizations.add(other_organization)
    assert _slugs(ANONYMOUS, organization="far-park") == ["published", "far"]


@pytest.mark.parametrize(
    ("ui_language", "title", "language"),
    [
        ("en", "Technopark opens a laboratory", "en"),
        ("ru", "Технопарк открыл лабораторию", "ru"),
        # No Chinese text: the first one written, Russian.
        ("zh-hans", "Технопарк открыл лабораторию", "ru"),
    ],
)
def test_text_in_the_interface_language_else_the_first_written(
    news: Any, ui_language: str, title: str, language: str
) -> None:
    item = selectors.news_get(viewer=ANONYMOUS, slug="published")
    with translation.override(ui_language):
        text = item.text_for(ui_content_language())
    assert text is not None
    assert (text.title, text.language) == (title, language)
    assert item.languages == ["ru", "en"]


def test_feed_has_the_published_items_with_a_text_in_its_language(news: Any) -> None:
    assert [item.slug for item in selectors.news_for_feed(language="en")] == ["published"]
    assert [item.slug for item in selectors.news_for_feed(language="zh")] == ["far"]
    assert list(selectors.news_for_feed(language="kk")) == []
    assert selectors.has_feed("ru") and selectors.has_feed("zh")
    assert not selectors.has_feed("kk") and not selectors.has_feed("xx")
    NewsItemFactory(texts=[{"language": "kk", "title": "Жаңалық", "body": "Мәтін."}])
    assert selectors.has_feed("kk")
    assert selectors.feed_languages() == ["en", "ru", "zh", "kk"]


def test_links_show_only_what_the_viewer_may_see(
    news: Any, organization: Any, other_organization: Any, member: Any, outsider: Any
) -> None:
    item = news["published"]
    public_event = make_event(organization, slug="open-day")
    restricted_event = make_event(organization, slug="board", confidentiality="restricted")
    secret = make_agreement(organization, title="Secret memorandum")
    item.events.set([public_event, restricted_event])
    item.agreements.set([secret])
    item.organizations.set([other_organization])
    for_member = selectors.news_links(viewer=member, item=item)
    assert {event.slug for event in for_member.events} == {"open-day", "board"}
    assert for_member.agreements == [secret]
    for_outsider = selectors.news_links(viewer=outsider, item=item)
    assert [event.slug for event in for_outsider.events] == ["open-day"]
    assert for_outsider.agreements == []
    assert for_outsider.organizations == [other_organization]
