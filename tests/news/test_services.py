"""Writing, publishing and deleting news through the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parkbridge.core.models import AuditEvent
from parkbridge.news.models import NewsItem
from parkbridge.news.services import (
    news_create,
    news_delete,
    news_publish,
    news_unpublish,
    news_update,
)
from tests.news.conftest import TEXTS_EN_RU, make_agreement

# The smallest valid GIF: Pillow accepts it as an image.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _create(actor: Any, publisher: Any, **values: Any) -> NewsItem:
    return news_create(actor=actor, publisher=publisher, texts=TEXTS_EN_RU, **values)


def test_member_writes_a_draft_in_two_languages(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    assert item.published_at is None and not item.is_published
    assert item.slug == "polytech-and-far-park-sign-a-memorandum"
    assert item.languages == ["en", "ru"]
    assert item.created_by == member
    assert item.text_for("ru").title.startswith("Политех")  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="created", target_id=str(item.pk)).exists()


def test_slug_comes_from_the_first_latin_title_and_stays_unique(
    member: Any, organization: Any
) -> None:
    russian_first = news_create(
        actor=member, publisher=organization, texts=list(reversed(TEXTS_EN_RU))
    )
    assert russian_first.slug == "polytech-and-far-park-sign-a-memorandum"
    again = _create(member, organization)
    assert again.slug == "polytech-and-far-park-sign-a-memorandum-2"
    chinese_only = news_create(
        actor=member,
        publisher=organization,
        texts=[{"language": "zh", "title": "合作新闻", "body": "两个园区签署了备忘录。"}],
    )
    assert chinese_only.slug == "news"
    page_name = news_create(
        actor=member,
        publisher=organization,
        texts=[{"language": "en", "title": "New", "body": "A title that is a page's path."}],
    )
    assert page_name.slug not in {"new", "feed"}


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([], "at least one language"),
        ([{"language": "en", "title": "", "body": "Body"}], "needs a title and a text"),
        ([{"language": "en", "title": "Title", "body": "   "}], "needs a title and a text"),
        (
            [
                {"language": "en", "title": "One", "body": "Body"},
                {"language": "en", "title": "Two", "body": "Body"},
            ],
            "two texts in en",
        ),
        ([{"language": "xx", "title": "Title", "body": "Body"}], "Unknown language"),
        ([{"language": "en", "title": "T", "body": "B", "colour": "red"}], "Unknown fields"),
    ],
)
def test_texts_are_validated(member: Any, organization: Any, texts: Any, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        news_create(actor=member, publisher=organization, texts=texts)
    assert message in " ".join(error.value.message_dict["texts"])
    assert not NewsItem.objects.exists()


def test_only_members_of_the_publisher_or_staff_write(
    outsider: Any, loner: Any, staff_user: Any, organization: Any
) -> None:
    for actor in (outsider, loner):
        with pytest.raises(PermissionDenied):
            _create(actor, organization)
    assert _create(staff_user, organization).publisher == organization


def test_outsiders_cannot_change_publish_or_delete(
    member: Any, outsider: Any, organization: Any
) -> None:
    item = _create(member, organization)
    with pytest.raises(PermissionDenied):
        news_update(actor=outsider, item=item, texts=TEXTS_EN_RU[:1])
    with pytest.raises(PermissionDenied):
        news_publish(actor=outsider, item=item)
    with pytest.raises(PermissionDenied):
        news_unpublish(actor=outsider, item=item)
    with pytest.raises(PermissionDenied):
        news_delete(actor=outsider, item=item)
    item.refresh_from_db()
    assert item.published_at is None and item.languages == ["en", "ru"]


def test_publish_unpublish_and_schedule(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    news_publish(actor=member, item=item)
    item.refresh_from_db()
    assert item.is_published
    news_unpublish(actor=member, item=item)
    item.refresh_from_db()
    assert item.published_at is None
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    news_publish(actor=member, item=item, published_at=tomorrow)
    item.refresh_from_db()
    assert item.is_scheduled and not item.is_published
    changes = AuditEvent.objects.filter(target_id=str(item.pk), action="updated")
    assert changes.count() == 3
    assert all("published_at" in event.changes for event in changes)


def test_publication_time_needs_a_time_zone(member: Any, organization: Any) -> None:
    with pytest.raises(ValidationError):
        _create(member, organization, published_at=datetime.datetime(2026, 9, 15, 12, 0))


def test_update_replaces_texts_and_keeps_the_slug(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    first_text_id = item.translations.get(language="en").pk
    news_update(
        actor=member,
        item=item,
        texts=[
            {**TEXTS_EN_RU[0], "title": "Polytech and Far Park sign a memorandum (updated)"},
            {
                "language": "zh",
                "title": "理工大学与远方科技园签署备忘录",
                "body": "九月十五日会面。",
            },
        ],
    )
    item.refresh_from_db()
    assert item.slug == "polytech-and-far-park-sign-a-memorandum"
    assert item.languages == ["en", "zh"]
    assert item.translations.get(language="en").pk == first_text_id
    audit = AuditEvent.objects.filter(target_id=str(item.pk), action="updated").get()
    assert set(audit.changes) == {"text_en", "text_ru", "text_zh"}


def test_update_without_changes_records_nothing(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    news_update(actor=member, item=item, texts=TEXTS_EN_RU)
    assert not AuditEvent.objects.filter(target_id=str(item.pk), action="updated").exists()


def test_links_must_be_visible_to_the_author(
    member: Any,
    outsider: Any,
    organization: Any,
    other_organization: Any,
    public_event: Any,
    secret_agreement: Any,
    public_agreement: Any,
) -> None:
    item = _create(
        member,
        organization,
        organizations=[other_organization],
        events=[public_event],
        agreements=[secret_agreement, public_agreement],
    )
    assert set(item.agreements.all()) == {secret_agreement, public_agreement}
    # Far Park's member may not link Polytech's restricted agreement, even to public news.
    with pytest.raises(ValidationError) as error:
        news_create(
            actor=outsider,
            publisher=other_organization,
            texts=TEXTS_EN_RU,
            agreements=[secret_agreement],
        )
    assert "agreements" in error.value.message_dict


def test_update_keeps_links_the_editor_cannot_see(
    member: Any, staff_user: Any, organization: Any, other_organization: Any
) -> None:
    """Staff linked an agreement only Far Park sees; a Polytech member editing keeps it."""
    far_secret = make_agreement(other_organization, title="Far Park's secret")
    item = _create(staff_user, organization, agreements=[far_secret])
    news_update(actor=member, item=item, texts=TEXTS_EN_RU[:1], agreements=[])
    assert list(item.agreements.all()) == [far_secret]


def test_picture_is_stored_and_removed(
    member: Any, organization: Any, django_capture_on_commit_callbacks: Any
) -> None:
    picture = SimpleUploadedFile("meeting.gif", GIF, content_type="image/gif")
    item = _create(member, organization, image=picture)
    assert item.image.name.startswith("news/meeting")
    storage, name = item.image.storage, item.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        news_update(actor=member, item=item, remove_image=True)
    item.refresh_from_db()
    assert not item.image
    assert not storage.exists(name)


def test_delete_removes_the_item_and_its_texts(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    pk = item.pk
    news_delete(actor=member, item=item)
    assert not NewsItem.objects.exists()
    deleted = AuditEvent.objects.get(action="deleted", target_id=str(pk))
    assert deleted.target_repr == "Polytech and Far Park sign a memorandum"


def test_update_time_moves_with_the_texts_only(member: Any, organization: Any) -> None:
    item = _create(member, organization)
    NewsItem.objects.filter(pk=item.pk).update(updated_at=timezone.now() - datetime.timedelta(1))
    item.refresh_from_db()
    before = item.updated_at
    news_update(actor=member, item=item, texts=TEXTS_EN_RU)
    item.refresh_from_db()
    assert item.updated_at == before
    news_update(actor=member, item=item, texts=TEXTS_EN_RU[:1])
    item.refresh_from_db()
    assert item.updated_at > before
