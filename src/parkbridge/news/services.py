"""Writes of news items: their texts, links, picture and publication."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, NotRequired, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parkbridge.agreements.models import Agreement
from parkbridge.core import permissions
from parkbridge.core.i18n import CONTENT_LANGUAGE_CODES
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record
from parkbridge.events.models import Event
from parkbridge.news.models import NewsItem, NewsTranslation
from parkbridge.registry.models import Organization
from parkbridge.registry.services import unique_slug

# Paths under /news/ that a slug must not shadow.
RESERVED_SLUGS = {"new", "feed"}


class NewsTextValues(TypedDict):
    """One language's text of a news item, as services take it."""

    language: str
    title: str
    body: str
    lead: NotRequired[str]


def can_edit_news(user: Any, item: NewsItem) -> bool:
    """Write, publish and delete: members of the publisher organization, or staff."""
    return permissions.can_contribute_for(user, item.publisher)


def check_publisher(actor: Any, publisher: Organization) -> None:
    """PermissionDenied unless the actor may publish news for this organization."""
    if not permissions.can_contribute_for(actor, publisher):
        raise PermissionDenied(_("You may only publish news for organizations you belong to."))


def _clean_texts(texts: Iterable[Mapping[str, Any]]) -> list[NewsTextValues]:
    """Stripped texts, each with a known language, a title and a body, one per language."""
    cleaned: list[NewsTextValues] = []
    errors: list[str] = []
    seen: set[str] = set()
    for raw in texts:
        unknown = sorted(set(raw) - {"language", "title", "lead", "body"})
        if unknown:
            raise ValidationError(
                {"texts": _("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}}
            )
        text: NewsTextValues = {
            "language": str(raw.get("language") or "").strip().lower(),
            "title": str(raw.get("title") or "").strip(),
            "lead": str(raw.get("lead") or "").strip(),
            "body": str(raw.get("body") or "").strip(),
        }
        language = text["language"]
        if language not in CONTENT_LANGUAGE_CODES:
            errors.append(_("Unknown language: %(language)s") % {"language": language or "—"})
            continue
        if language in seen:
            errors.append(
                _("There are two texts in %(language)s; keep one.") % {"language": language}
            )
            continue
        seen.add(language)
        if not text["title"] or not text["body"]:
            errors.append(
                _("The %(language)s text needs a title and a text.") % {"language": language}
            )
            continue
        if len(text["title"]) > 300:
            errors.append(
                _("The %(language)s title is longer than 300 characters.") % {"language": language}
            )
            continue
        cleaned.append(text)
    if errors:
        raise ValidationError({"texts": errors})
    if not cleaned:
        raise ValidationError({"texts": _("Write the news in at least one language.")})
    return cleaned


def _news_slug(texts: list[NewsTextValues], exclude_pk: int | None = None) -> str:
    """From the first title that gives a Latin slug (a Russian or Chinese title gives none)."""
    titles = [text["title"] for text in texts]
    source = next((title for title in titles if slugify(title)), "news")
    slug = unique_slug(NewsItem, source, exclude_pk=exclude_pk)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(NewsItem, f"{source} news", exclude_pk=exclude_pk)
    return slug


def _visible_links(actor: Any, model: type[Model], given: Iterable[Model], field: str) -> set[int]:
    """The ids of `given`, all of which the actor must be allowed to see."""
    wanted = {obj.pk for obj in given}
    if not wanted:
        return set()
    visible = set(
        permissions.visible(model._default_manager.filter(pk__in=wanted), actor).values_list(
            "pk", flat=True
        )
    )
    if wanted - visible:
        # A link to something the actor may not see reads like a link to nothing.
        raise ValidationError({field: _("Some of the chosen items do not exist.")})
    return wanted


def _links_after_update(
    actor: Any, item: NewsItem, model: type[Model], given: Iterable[Model] | None, field: str
) -> set[int] | None:
    """The new link set: the given visible ones plus the links the actor cannot see.

    A member who does not see a restricted agreement linked by a colleague must not drop it
    by saving the news item.
    """
    if given is None:
        return None
    manager = getattr(item, field)
    current = set(manager.values_list("pk", flat=True))
    visible_current = set(
        permissions.visible(model._default_manager.filter(pk__in=current), actor).values_list(
            "pk", flat=True
        )
    )
    return _visible_links(actor, model, given, field) | (current - visible_current)


def _set_texts(item: NewsItem, texts: list[NewsTextValues]) -> dict[str, Any]:
    """Replace the item's texts, keeping the rows (and their order) of languages that stay."""
    existing = {text.language: text for text in NewsTranslation.objects.filter(item=item)}
    changes: dict[str, Any] = {}
    wanted = {text["language"] for text in texts}
    for language, text in existing.items():
        if language not in wanted:
            text.delete()
            changes[f"text_{language}"] = ["", None]
    for values in texts:
        language = values["language"]
        row = existing.get(language) or NewsTranslation(item=item, language=language)
        before = (row.title, row.lead, row.body) if row.pk else None
        row.title, row.lead, row.body = values["title"], values.get("lead", ""), values["body"]
        if before != (row.title, row.lead, row.body):
            row.full_clean(exclude=["item"])
            row.save()
            changes[f"text_{language}"] = [before[0] if before else None, row.title]
    # Texts prefetched by a selector are stale now.
    getattr(item, "_prefetched_objects_cache", {}).pop("translations", None)
    return changes


def _delete_file_on_commit(item: NewsItem, name: str) -> None:
    # The file goes once the change is stored for good, not when the transaction rolls back.
    storage = item.image.storage
    transaction.on_commit(lambda: storage.delete(name))


def _check_published_at(published_at: datetime.datetime | None) -> None:
    if published_at is not None and timezone.is_naive(published_at):
        raise ValidationError({"published_at": _("Give the publication time with a time zone.")})


@transaction.atomic
def news_create(
    *,
    actor: Any,
    publisher: Organization,
    texts: Iterable[Mapping[str, Any]],
    organizations: Iterable[Organization] = (),
    events: Iterable[Event] = (),
    agreements: Iterable[Agreement] = (),
    image: File | None = None,
    published_at: datetime.datetime | None = None,
    slug: str = "",
) -> NewsItem:
    """A news item; a draft unless `published_at` is given (a future date schedules it)."""
    check_publisher(actor, publisher)
    cleaned = _clean_texts(texts)
    _check_published_at(published_at)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This identifier is taken by a page.")})
    event_ids = _visible_links(actor, Event, events, "events")
    agreement_ids = _visible_links(actor, Agreement, agreements, "agreements")
    item = NewsItem(
        publisher=publisher,
        published_at=published_at,
        slug=slug or _news_slug(cleaned),
        created_by=actor if actor.is_authenticated else None,
    )
    if image:
        item.image = image
    item.full_clean()
    item.save()
    _set_texts(item, cleaned)
    item.organizations.set(list(organizations))
    item.events.set(event_ids)
    item.agreements.set(agreement_ids)
    audit_record(actor=actor, action=AuditAction.CREATED, target=item)
    return item


@transaction.atomic
def news_update(
    *,
    actor: Any,
    item: NewsItem,
    texts: Iterable[Mapping[str, Any]] | None = None,
    publisher: Organization | None = None,
    organizations: Iterable[Organization] | None = None,
    events: Iterable[Event] | None = None,
    agreements: Iterable[Agreement] | None = None,
    image: File | None = None,
    remove_image: bool = False,
) -> NewsItem:
    """Change what is given; `texts` replaces all texts (a language left out is removed)."""
    if not can_edit_news(actor, item):
        raise PermissionDenied(_("You may not edit this news item."))
    changes: dict[str, Any] = {}
    if publisher is not None and publisher != item.publisher:
        check_publisher(actor, publisher)
        changes["publisher"] = [str(item.publisher), str(publisher)]
        item.publisher = publisher
    cleaned = _clean_texts(texts) if texts is not None else None
    event_ids = _links_after_update(actor, item, Event, events, "events")
    agreement_ids = _links_after_update(actor, item, Agreement, agreements, "agreements")
    replaced = item.image.name if item.image and (image or remove_image) else ""
    if image:
        item.image = image
        changes["image"] = [replaced or None, image.name]
    elif remove_image and item.image:
        changes["image"] = [replaced, None]
        item.image = ""
    if replaced:
        _delete_file_on_commit(item, replaced)
    item.full_clean()
    if cleaned is not None:
        changes.update(_set_texts(item, cleaned))
    for field, ids in (
        ("organizations", {o.pk for o in organizations} if organizations is not None else None),
        ("events", event_ids),
        ("agreements", agreement_ids),
    ):
        if ids is None:
            continue
        manager = getattr(item, field)
        before = set(manager.values_list("pk", flat=True))
        if before != ids:
            manager.set(ids)
            changes[field] = [sorted(before), sorted(ids)]
    if changes:
        # Saved even when only texts or links changed: feeds read the update time from here.
        item.save()
        audit_record(actor=actor, action=AuditAction.UPDATED, target=item, changes=changes)
    return item


@transaction.atomic
def news_publish(
    *, actor: Any, item: NewsItem, published_at: datetime.datetime | None = None
) -> NewsItem:
    """Publish now, or at `published_at` (earlier: backdated; later: scheduled)."""
    if not can_edit_news(actor, item):
        raise PermissionDenied(_("You may not publish this news item."))
    _check_published_at(published_at)
    when = published_at or timezone.now()
    before = item.published_at
    item.published_at = when
    item.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=item,
        changes={"published_at": [before.isoformat() if before else None, when.isoformat()]},
    )
    return item


@transaction.atomic
def news_unpublish(*, actor: Any, item: NewsItem) -> NewsItem:
    """Back to a draft: only the publisher's members and staff see it."""
    if not can_edit_news(actor, item):
        raise PermissionDenied(_("You may not unpublish this news item."))
    if item.published_at is None:
        return item
    before = item.published_at
    item.published_at = None
    item.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=item,
        changes={"published_at": [before.isoformat(), None]},
    )
    return item


@transaction.atomic
def news_delete(*, actor: Any, item: NewsItem) -> None:
    if not can_edit_news(actor, item):
        raise PermissionDenied(_("You may not delete this news item."))
    audit_record(actor=actor, action=AuditAction.DELETED, target=item)
    if item.image:
        _delete_file_on_commit(item, item.image.name)
    item.delete()
