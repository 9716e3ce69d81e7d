"""The news endpoints under /api/v1/news."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.utils import timezone

from parkbridge.news.models import NewsItem
from tests.factories import NewsItemFactory
from tests.news.conftest import TEXTS_EN_RU
from tests.registry.test_api import bearer, patch_json, post_json

NEWS = {
    "publisher": "polytech",
    "texts": TEXTS_EN_RU,
    "organizations": ["far-park"],
    "events": ["september-meeting"],
}


def test_member_writes_publishes_and_deletes(
    member: Any, outsider: Any, other_organization: Any, public_event: Any
) -> None:
    auth = bearer(member)
    created = post_json(Client(), "/api/v1/news", NEWS, **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    slug = body["slug"]
    assert slug == "polytech-and-far-park-sign-a-memorandum"
    assert body["published_at"] is None and body["is_published"] is False
    assert body["languages"] == ["en", "ru"]
    assert body["organizations"] == ["far-park"]
    assert [event["slug"] for event in body["events"]] == ["september-meeting"]
    assert body["url"] == f"/news/{slug}/"

    # A draft is missing for everyone else.
    assert Client().get(f"/api/v1/news/{slug}").status_code == 404
    assert Client().get(f"/api/v1/news/{slug}", **bearer(outsider)).status_code == 404
    assert Client().get("/api/v1/news").json()["count"] == 0

    published = Client().post(f"/api/v1/news/{slug}/publish", **auth)  # now
    assert published.status_code == 200, published.content
    assert published.json()["is_published"] is True
    anonymous = Client().get(f"/api/v1/news/{slug}?language=ru")
    assert anonymous.status_code == 200
    assert anonymous.json()["title"] == "Политех и Дальний парк подписали меморандум"
    assert anonymous.json()["language"] == "ru"

    assert Client().delete(f"/api/v1/news/{slug}", **bearer(outsider)).status_code == 403
    assert Client().delete(f"/api/v1/news/{slug}").status_code == 401
    assert Client().delete(f"/api/v1/news/{slug}", **auth).status_code == 204
    assert not NewsItem.objects.exists()


def test_update_and_unpublish(member: Any, other_organization: Any) -> None:
    auth = bearer(member)
    slug = post_json(Client(), "/api/v1/news", NEWS | {"events": []}, **auth).json()["slug"]
    patched = patch_json(
        Client(),
        f"/api/v1/news/{slug}",
        {"texts": [{"language": "zh", "title": "园区签署备忘录", "body": "九月十五日会面。"}]},
        **auth,
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["languages"] == ["zh"]
    assert patched.json()["organizations"] == ["far-park"]  # untouched lists stay
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    scheduled = Client().post(
        f"/api/v1/news/{slug}/publish?{urlencode({'published_at': tomorrow})}", **auth
    )
    assert scheduled.status_code == 200
    assert scheduled.json()["is_published"] is False  # scheduled for tomorrow
    assert Client().get(f"/api/v1/news/{slug}").status_code == 404
    draft = Client().post(f"/api/v1/news/{slug}/unpublish", **auth)
    assert draft.json()["published_at"] is None


def test_errors_are_json(
    member: Any, outsider: Any, other_organization: Any, secret_agreement: Any
) -> None:
    no_body = {"publisher": "polytech", "texts": [{"language": "en", "title": "T", "body": ""}]}
    response = post_json(Client(), "/api/v1/news", no_body, **bearer(member))
    assert response.status_code == 422
    twice = {"publisher": "polytech", "texts": [TEXTS_EN_RU[0], TEXTS_EN_RU[0]]}
    response = post_json(Client(), "/api/v1/news", twice, **bearer(member))
    assert response.status_code == 400
    assert "two texts in en" in response.json()["errors"]["texts"][0]
    response = post_json(Client(), "/api/v1/news", NEWS | {"events": []}, **bearer(outsider))
    assert response.status_code == 403
    assert "organizations you belong to" in response.json()["detail"]
    # Far Park's member cannot link Polytech's restricted agreement: it reads as missing.
    hidden = {
        "publisher": "far-park",
        "texts": TEXTS_EN_RU,
        "agreements": [secret_agreement.pk],
    }
    response = post_json(Client(), "/api/v1/news", hidden, **bearer(outsider))
    assert response.status_code == 400
    assert "agreements" in response.json()["errors"]
    missing = post_json(Client(), "/api/v1/news", NEWS | {"events": ["nope"]}, **bearer(member))
    assert missing.status_code == 400 and "events" in missing.json()["errors"]
    assert post_json(Client(), "/api/v1/news", NEWS).status_code == 401


def test_list_in_a_language_with_fallback_and_filters(
    organization: Any, other_organization: Any
) -> None:
    yesterday = timezone.now() - datetime.timedelta(days=1)
    NewsItemFactory(slug="both", publisher=organization, published_at=yesterday, texts=TEXTS_EN_RU)
    NewsItemFactory(
        slug="roadshow",
        publisher=other_organization,
        published_at=yesterday - datetime.timedelta(hours=1),
        texts=[{"language": "zh", "title": "远方科技园举办路演", "body": "路演活动。"}],
    )
    NewsItemFactory(slug="draft", publisher=organization, published_at=None)
    results = Client().get("/api/v1/news?language=ru").json()
    assert results["count"] == 2
    assert [(r["slug"], r["language"]) for r in results["items"]] == [
        ("both", "ru"),
        ("roadshow", "zh"),
    ]
    written_in_zh = Client().get("/api/v1/news?written_in=zh").json()["items"]
    assert [r["slug"] for r in written_in_zh] == ["roadshow"]
    by_far_park = Client().get("/api/v1/news?organization=far-park").json()["items"]
    assert [r["slug"] for r in by_far_park] == ["roadshow"]
    found = Client().get("/api/v1/news?q=меморандум").json()["items"]
    assert [r["slug"] for r in found] == ["both"]
