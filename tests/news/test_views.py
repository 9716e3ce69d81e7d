"""News pages and feeds through the Django test client."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from parkbridge.news.models import NewsItem
from parkbridge.news.selectors import news_latest
from parkbridge.news.services import news_create, news_publish
from tests.conftest import client_for
from tests.factories import NewsItemFactory
from tests.news.conftest import TEXTS_EN_RU
from tests.news.test_services import GIF

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
YESTERDAY = timezone.now() - datetime.timedelta(days=1)


@pytest.fixture
def published(member: Any, organization: Any, other_organization: Any) -> NewsItem:
    item = news_create(
        actor=member,
        publisher=organization,
        texts=TEXTS_EN_RU,
        organizations=[other_organization],
    )
    return news_publish(actor=member, item=item, published_at=YESTERDAY)


@pytest.fixture
def draft(member: Any, organization: Any) -> NewsItem:
    return news_create(
        actor=member,
        publisher=organization,
        texts=[{"language": "en", "title": "Draft about the budget", "body": "Not yet."}],
    )


@pytest.fixture
def chinese_only(other_organization: Any) -> NewsItem:
    return NewsItemFactory(
        slug="roadshow",
        publisher=other_organization,
        published_at=YESTERDAY - datetime.timedelta(hours=1),
        texts=[{"language": "zh", "title": "远方科技园举办路演", "body": "路演活动。"}],
    )


def _titles(html: str) -> list[str]:
    return [
        title.strip() for title in re.findall(r'class="fw-semibold news-title"[^>]*>([^<]+)<', html)
    ]


def _client(user: Any | None, language: str = "en") -> Client:
    client = client_for(user)
    client.cookies["django_language"] = language
    return client


# The list ----------------------------------------------------------------------------------------


def test_list_shows_published_news_in_the_interface_language(
    published: Any, draft: Any, chinese_only: Any
) -> None:
    html = _client(None).get("/news/").content.decode()
    assert _titles(html) == ["Polytech and Far Park sign a memorandum", "远方科技园举办路演"]
    assert "Two parks agree to exchange residents." in html
    assert "Polytech" in html  # the publisher
    # The Chinese-only item carries a marker of its language in an English interface.
    assert '<span class="lang-tag" title="Chinese" lang="en">zh</span>' in html
    russian = _client(None, "ru").get("/news/").content.decode()
    assert _titles(russian)[0] == "Политех и Дальний парк подписали меморандум"


def test_list_shows_drafts_to_the_publisher_members(member: Any, published: Any, draft: Any):
    html = _client(member).get("/news/").content.decode()
    assert _titles(html) == ["Draft about the budget", "Polytech and Far Park sign a memorandum"]
    assert 'data-testid="news-status">Draft<' in html
    assert "Write news" in html
    drafts = _client(member).get("/news/?drafts=on").content.decode()
    assert _titles(drafts) == ["Draft about the budget"]


def test_list_search_and_htmx_partial(published: Any, chinese_only: Any) -> None:
    response = _client(None).get("/news/?q=路演", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert _titles(html) == ["远方科技园举办路演"]


def test_list_links_the_feed_of_the_interface_language(db: Any) -> None:
    english = _client(None).get("/news/").content.decode()
    assert 'type="application/atom+xml" href="/news/feed/en.atom"' in english
    chinese = _client(None, "zh-hans").get("/news/").content.decode()
    assert 'type="application/atom+xml" href="/news/feed/zh.atom"' in chinese


# The detail page -------------------------------------------------------------------------------


def test_detail_in_the_interface_language_with_links_to_the_others(published: Any) -> None:
    html = _client(None).get("/news/polytech-and-far-park-sign-a-memorandum/").content.decode()
    assert 'data-testid="news-title">Polytech and Far Park sign a memorandum<' in html
    assert 'href="/news/polytech-and-far-park-sign-a-memorandum/?language=ru"' in html
    assert ">Русский</a>" in html
    # Plain text: paragraphs, and HTML shown as typed, never run.
    assert "<p>The parks met on 15 September.</p>" in html
    assert "&lt;b&gt;accelerator&lt;/b&gt;" in html
    assert "Far Park" in html  # linked organization
    assert "Written in" not in html

    russian = _client(None).get("/news/polytech-and-far-park-sign-a-memorandum/?language=ru")
    text = russian.content.decode()
    assert "Политех и Дальний парк подписали меморандум" in text
    assert ">English</a>" in text
    assert "Written in" in text  # an English interface showing a Russian text says so


def test_detail_falls_back_to_the_first_language_with_a_marker(chinese_only: Any) -> None:
    html = _client(None, "ru").get("/news/roadshow/").content.decode()
    assert 'data-testid="news-title">远方科技园举办路演<' in html
    assert 'class="lang-tag" title="' in html and ">zh</span>" in html


@pytest.mark.parametrize(
    ("audience", "status"),
    [
        ("anonymous", 404),
        ("loner", 404),
        ("outsider", 404),
        ("member", 200),
        ("org_admin", 200),
        ("staff_user", 200),
    ],
)
def test_draft_is_404_to_outsiders(
    request: pytest.FixtureRequest, draft: Any, audience: str, status: int
) -> None:
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    assert _client(user).get(f"/news/{draft.slug}/").status_code == status


def test_detail_shows_only_the_links_the_viewer_may_see(
    member: Any, outsider: Any, published: Any, public_event: Any, secret_agreement: Any
) -> None:
    published.events.add(public_event)
    published.agreements.add(secret_agreement)
    url = published.get_absolute_url()
    for_member = _client(member).get(url).content.decode()
    assert "Meeting of 15 September" in for_member
    assert "Confidential memorandum" in for_member
    for_outsider = _client(outsider).get(url).content.decode()
    assert "Meeting of 15 September" in for_outsider
    assert "Confidential memorandum" not in for_outsider
    assert "Publish" not in for_outsider and "/edit/" not in for_outsider


# Writing ---------------------------------------------------------------------------------------


def _form_data(*blocks: dict[str, str], **item: Any) -> dict[str, Any]:
    """The news form as a browser posts it: en, ru, zh blocks and a spare one."""
    languages = ["en", "ru", "zh", ""]
    data: dict[str, Any] = {
        "texts-TOTAL_FORMS": "4",
        "texts-INITIAL_FORMS": "4",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "18",
        **item,
    }
    filled = {block["language"]: block for block in blocks}
    for index, language in enumerate(languages):
        block = filled.get(language) or (filled.get("other") if language == "" else None) or {}
        data[f"texts-{index}-language"] = block.get("language", language) if block else language
        for name in ("title", "lead", "body"):
            data[f"texts-{index}-{name}"] = block.get(name, "")
    return data


@pytest.mark.parametrize(
    ("audience", "status"),
    [("loner", 403), ("outsider", 200), ("member", 200), ("staff_user", 200)],
)
def test_who_may_open_the_form(
    request: pytest.FixtureRequest, organization: Any, audience: str, status: int
) -> None:
    user = request.getfixturevalue(audience)
    assert _client(user).get("/news/new/").status_code == status
    response = Client().get("/news/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_member_writes_news_in_two_languages_and_empty_blocks_are_skipped(
    member: Any, organization: Any, other_organization: Any, public_event: Any
) -> None:
    form = _client(member).get("/news/new/").content.decode()
    for legend in ("English", "Russian", "Chinese", "Another language"):
        assert f'<legend class="h5">{legend}</legend>' in form
    picture = SimpleUploadedFile("meeting.gif", GIF, content_type="image/gif")
    data = _form_data(
        *TEXTS_EN_RU,
        publisher=str(organization.pk),
        organizations=[str(other_organization.pk)],
        events=[str(public_event.pk)],
        image=picture,
    )
    response = _client(member).post("/news/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsItem.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.languages == ["en", "ru"]
    assert item.published_at is None
    assert list(item.events.all()) == [public_event]
    assert item.image.name.startswith("news/meeting")
    page = _client(member).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="news-image"' in page


def test_spare_block_adds_another_language(member: Any, organization: Any) -> None:
    data = _form_data(
        TEXTS_EN_RU[0],
        {"language": "other", "title": "", "body": ""},
        publisher=str(organization.pk),
    )
    data["texts-3-language"] = "kk"
    data["texts-3-title"] = "Меморандумға қол қойылды"
    data["texts-3-body"] = "Екі парк кездесті."
    response = _client(member).post("/news/new/", data)
    assert response.status_code == 302
    assert NewsItem.objects.get().languages == ["en", "kk"]


def test_form_keeps_what_was_typed_and_names_the_problem(member: Any, organization: Any) -> None:
    data = _form_data(
        {"language": "ru", "title": "Заголовок без текста", "body": ""},
        publisher=str(organization.pk),
    )
    response = _client(member).post("/news/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write the text of the news." in html
    assert 'value="Заголовок без текста"' in html
    assert not NewsItem.objects.exists()
    empty = _client(member).post("/news/new/", _form_data(publisher=str(organization.pk)))
    assert "Write the news in at least one language." in empty.content.decode()


def test_edit_publish_unpublish_delete(member: Any, outsider: Any, draft: Any) -> None:
    url = draft.get_absolute_url()
    edit_form = _client(member).get(f"{url}edit/").content.decode()
    assert 'value="Draft about the budget"' in edit_form
    data = _form_data(
        {"language": "en", "title": "Budget approved", "body": "The budget is approved."},
        publisher=str(draft.publisher.pk),
    )
    assert _client(member).post(f"{url}edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug in url and draft.text_for("en").title == "Budget approved"  # type: ignore[union-attr]

    assert _client(outsider).get(f"{url}edit/").status_code == 404
    assert _client(outsider).post(f"{url}publish/").status_code == 404
    assert _client(member).post(f"{url}publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert _client(None).get(url).status_code == 200
    assert _client(outsider).post(f"{url}edit/", data).status_code == 403
    assert _client(outsider).post(f"{url}unpublish/").status_code == 403
    assert _client(member).post(f"{url}unpublish/").status_code == 302
    assert _client(None).get(url).status_code == 404
    assert _client(member).get(f"{url}publish/").status_code == 405
    assert _client(member).post(f"{url}delete/").status_code == 302
    assert not NewsItem.objects.exists()


# Feeds -----------------------------------------------------------------------------------------


def _feed(language: str) -> ET.Element:
    response = _client(None).get(f"/news/feed/{language}.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_per_language_has_the_published_texts_in_it(
    published: Any, draft: Any, chinese_only: Any, organization: Any
) -> None:
    organization.name_ru = "Политех"
    organization.save()
    english = _feed("en")
    assert english.get(XML_LANG) == "en"
    entries = english.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Polytech and Far Park sign a memorandum"
    ]
    entry = entries[0]
    link = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert link == "http://testserver/news/polytech-and-far-park-sign-a-memorandum/?language=en"
    assert entry.findtext(f"{ATOM}published", "").startswith(YESTERDAY.strftime("%Y-%m-%d"))
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Polytech"
    assert entry.findtext(f"{ATOM}summary") == "Two parks agree to exchange residents."
    assert "&lt;b&gt;accelerator&lt;/b&gt;" in entry.findtext(f"{ATOM}content", "")
    assert english.findtext(f"{ATOM}updated")
    self_link = [link for link in english.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "http://testserver/news/feed/en.atom"

    russian = _feed("ru")
    assert russian.get(XML_LANG) == "ru"
    (entry,) = russian.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Политех и Дальний парк подписали меморандум"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Политех"

    chinese = _feed("zh")
    assert [e.findtext(f"{ATOM}title") for e in chinese.findall(f"{ATOM}entry")] == [
        "远方科技园举办路演"
    ]
    assert chinese.findtext(f"{ATOM}author/{ATOM}name") == "ParkBridge"


def test_feeds_of_other_languages_exist_once_there_is_a_text(db: Any) -> None:
    assert _client(None).get("/news/feed/kk.atom").status_code == 404
    assert _client(None).get("/news/feed/xx.atom").status_code == 404
    assert _feed("zh").findall(f"{ATOM}entry") == []
    NewsItemFactory(texts=[{"language": "kk", "title": "Жаңалық", "body": "Мәтін."}])
    assert len(_feed("kk").findall(f"{ATOM}entry")) == 1


def test_latest_news_block_for_the_home_page(
    published: Any, draft: Any, chinese_only: Any, member: Any
) -> None:
    """The partial the home page includes: published news only, in the interface language."""
    with translation.override("ru"):
        html = render_to_string("news/_latest_news.html", {"latest_news": news_latest()})
    assert "Политех и Дальний парк подписали меморандум" in html
    assert "远方科技园举办路演" in html
    assert "Draft about the budget" not in html
    assert 'href="/news/"' in html


# Every page for every audience (the same matrix as tests/test_pages.py) ---------------------------

AUDIENCES = ["anonymous", "loner", "outsider", "member", "org_admin", "staff_user"]
PAGES: dict[str, dict[str, Any]] = {
    "/news/": dict.fromkeys(AUDIENCES, 200),
    "/news/?q=memorandum&language=ru&drafts=on": dict.fromkeys(AUDIENCES, 200),
    "/news/public-news/": dict.fromkeys(AUDIENCES, 200),
    "/news/public-news/?language=zh": dict.fromkeys(AUDIENCES, 200),
    "/news/draft-news/": {
        **dict.fromkeys(["anonymous", "loner", "outsider"], 404),
        **dict.fromkeys(["member", "org_admin", "staff_user"], 200),
    },
    "/news/new/": {
        "anonymous": "login",
        "loner": 403,
        **dict.fromkeys(["outsider", "member", "org_admin", "staff_user"], 200),
    },
    "/news/public-news/edit/": {
        "anonymous": "login",
        **dict.fromkeys(["loner", "outsider"], 403),
        **dict.fromkeys(["member", "org_admin", "staff_user"], 200),
    },
    "/news/draft-news/edit/": {
        "anonymous": "login",
        **dict.fromkeys(["loner", "outsider"], 404),
        **dict.fromkeys(["member", "org_admin", "staff_user"], 200),
    },
    "/news/feed/en.atom": dict.fromkeys(AUDIENCES, 200),
    "/news/feed/ru.atom": dict.fromkeys(AUDIENCES, 200),
    "/news/feed/zh.atom": dict.fromkeys(AUDIENCES, 200),
    "/news/feed/xx.atom": dict.fromkeys(AUDIENCES, 404),
    "/news/nothing-here/": dict.fromkeys(AUDIENCES, 404),
}


@pytest.fixture
def world(
    request: pytest.FixtureRequest,
    organization: Any,
    other_organization: Any,
    staff_user: Any,
    public_event: Any,
    secret_agreement: Any,
) -> dict[str, Any]:
    public = news_create(
        actor=staff_user,
        publisher=organization,
        texts=TEXTS_EN_RU,
        organizations=[other_organization],
        events=[public_event],
        agreements=[secret_agreement],
        slug="public-news",
    )
    news_publish(actor=staff_user, item=public)
    news_create(
        actor=staff_user,
        publisher=organization,
        texts=[{"language": "en", "title": "Draft", "body": "Not yet."}],
        slug="draft-news",
    )
    return {
        name: None if name == "anonymous" else request.getfixturevalue(name) for name in AUDIENCES
    }


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_answers_each_audience(world: Any, audience: str, url: str) -> None:
    response = client_for(world[audience]).get(url)
    expected = PAGES[url][audience]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
