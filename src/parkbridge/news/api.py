"""News endpoints, with the same rules as the pages: drafts only for the publisher's members."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from parkbridge.agreements.models import Agreement
from parkbridge.core.api import ApiRequest
from parkbridge.core.i18n import ui_content_language
from parkbridge.events.models import Event
from parkbridge.news import selectors, services
from parkbridge.news.models import NewsItem
from parkbridge.portfolio.spreadsheets import organization_by_slug

router = Router(tags=["news"])


class NewsTextSchema(Schema):
    language: str = Field(..., description="ISO 639-1 code: en, ru, zh, …")
    title: str = Field(..., min_length=1, max_length=300)
    lead: str = ""
    body: str = Field(..., min_length=1, description="plain text; an empty line between paragraphs")


class LinkedEventOut(Schema):
    slug: str
    title: str
    starts_at: datetime.datetime


class LinkedAgreementOut(Schema):
    id: int
    title: str


class NewsOut(Schema):
    slug: str
    publisher: str = Field(..., description="organization slug")
    published_at: datetime.datetime | None = Field(..., description="null: a draft")
    is_published: bool
    language: str = Field(..., description="the language of title, lead and body")
    title: str
    lead: str
    body: str
    languages: list[str]
    texts: list[NewsTextSchema]
    image: str | None
    organizations: list[str]
    events: list[LinkedEventOut] = Field(..., description="those the caller may see")
    agreements: list[LinkedAgreementOut] = Field(..., description="those the caller may see")
    url: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_publisher(obj: NewsItem) -> str:
        return obj.publisher.slug

    @staticmethod
    def resolve_language(obj: NewsItem, context: dict[str, Any]) -> str:
        text = obj.text_for(_language(context["request"]))
        return text.language if text else ""

    @staticmethod
    def resolve_title(obj: NewsItem, context: dict[str, Any]) -> str:
        text = obj.text_for(_language(context["request"]))
        return text.title if text else ""

    @staticmethod
    def resolve_lead(obj: NewsItem, context: dict[str, Any]) -> str:
        text = obj.text_for(_language(context["request"]))
        return text.lead if text else ""

    @staticmethod
    def resolve_body(obj: NewsItem, context: dict[str, Any]) -> str:
        text = obj.text_for(_language(context["request"]))
        return text.body if text else ""

    @staticmethod
    def resolve_texts(obj: NewsItem) -> list[dict[str, str]]:
        return [
            {"language": t.language, "title": t.title, "lead": t.lead, "body": t.body}
            for t in obj.translations.all()
        ]

    @staticmethod
    def resolve_image(obj: NewsItem) -> str | None:
        return obj.image.url if obj.image else None

    @staticmethod
    def resolve_organizations(obj: NewsItem) -> list[str]:
        return [organization.slug for organization in obj.organizations.order_by("slug")]

    @staticmethod
    def resolve_events(obj: NewsItem, context: dict[str, Any]) -> list[Event]:
        return selectors.news_links(viewer=context["request"].auth, item=obj).events

    @staticmethod
    def resolve_agreements(obj: NewsItem, context: dict[str, Any]) -> list[Agreement]:
        return selectors.news_links(viewer=context["request"].auth, item=obj).agreements

    @staticmethod
    def resolve_url(obj: NewsItem) -> str:
        return obj.get_absolute_url()


class NewsIn(Schema):
    publisher: str = Field(..., description="organization slug; you must be a member")
    texts: list[NewsTextSchema] = Field(..., min_length=1)
    organizations: list[str] = Field(default_factory=list, description="organization slugs")
    events: list[str] = Field(default_factory=list, description="event slugs")
    agreements: list[int] = Field(default_factory=list, description="agreement ids")
    published_at: datetime.datetime | None = Field(
        None, description="publish at this time (with a time zone); leave out for a draft"
    )


class NewsPatch(Schema):
    publisher: str | None = None
    texts: list[NewsTextSchema] | None = Field(
        None, min_length=1, description="all texts: a language left out is removed"
    )
    organizations: list[str] | None = None
    events: list[str] | None = None
    agreements: list[int] | None = None


class PublishParams(Schema):
    published_at: datetime.datetime | None = Field(
        None, description="ISO 8601 with a time zone; now when left out, a later time schedules it"
    )


class NewsFilterParams(Schema):
    language: str = Field(
        "", description="show texts in this language where written (default: Accept-Language)"
    )
    written_in: str = Field("", description="only news with a text in this language")
    q: str = ""
    organization: str = Field("", description="published by or about this organization (slug)")
    drafts_only: bool = False


def _language(request: ApiRequest) -> str:
    return request.GET.get("language", "") or ui_content_language()


def _events(viewer: Any, slugs: list[str]) -> list[Event]:
    # Only what the caller sees: a hidden event reads exactly like a missing one.
    visible = selectors.linkable_events(viewer=viewer).filter(slug__in=slugs)
    found = {event.slug: event for event in visible}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ValidationError({"events": f"No event {', '.join(missing)}."})
    return [found[slug] for slug in slugs]


def _agreements(viewer: Any, ids: list[int]) -> list[Agreement]:
    visible = selectors.linkable_agreements(viewer=viewer).filter(pk__in=ids)
    found = {agreement.pk: agreement for agreement in visible}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ValidationError({"agreements": f"No agreement {', '.join(map(str, missing))}."})
    return [found[pk] for pk in ids]


def _values(viewer: Any, data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if value is None and name != "published_at":
            continue
        if name == "publisher":
            values[name] = organization_by_slug(value, "publisher")
        elif name == "organizations":
            values[name] = [organization_by_slug(slug, "organizations") for slug in value]
        elif name == "events":
            values[name] = _events(viewer, value)
        elif name == "agreements":
            values[name] = _agreements(viewer, value)
        else:
            values[name] = value
    return values


@router.get("/news", response=list[NewsOut], summary="List news you may read")
@paginate(PageNumberPagination, page_size=20)
def news_list(request: ApiRequest, filters: Query[NewsFilterParams]) -> Any:
    return selectors.news_list(
        viewer=request.auth,
        filters=selectors.NewsFilters(
            query=filters.q,
            organization=filters.organization,
            language=filters.written_in,
            drafts_only=filters.drafts_only,
        ),
    )


@router.get("/news/{slug}", response=NewsOut, summary="One news item")
def news_detail(request: ApiRequest, slug: str, language: str = "") -> Any:
    return selectors.news_get(viewer=request.auth, slug=slug)


@router.post("/news", response={201: NewsOut}, summary="Write a news item (a draft by default)")
def news_create(request: ApiRequest, payload: NewsIn) -> Any:
    # Who may write comes before what is written: a stranger learns nothing about the links.
    services.check_publisher(request.auth, organization_by_slug(payload.publisher, "publisher"))
    item = services.news_create(actor=request.auth, **_values(request.auth, payload.dict()))
    return Status(201, selectors.news_get(viewer=request.auth, slug=item.slug))


@router.patch("/news/{slug}", response=NewsOut, summary="Change a news item")
def news_update(request: ApiRequest, slug: str, payload: NewsPatch) -> Any:
    item = selectors.news_get(viewer=request.auth, slug=slug)
    if not services.can_edit_news(request.auth, item):
        raise PermissionDenied("You may not edit this news item.")
    values = _values(request.auth, payload.dict(exclude_unset=True))
    services.news_update(actor=request.auth, item=item, **values)
    return selectors.news_get(viewer=request.auth, slug=slug)


@router.post("/news/{slug}/publish", response=NewsOut, summary="Publish now or at a given time")
def news_publish(request: ApiRequest, slug: str, when: Query[PublishParams]) -> Any:
    item = selectors.news_get(viewer=request.auth, slug=slug)
    services.news_publish(actor=request.auth, item=item, published_at=when.published_at)
    return selectors.news_get(viewer=request.auth, slug=slug)


@router.post("/news/{slug}/unpublish", response=NewsOut, summary="Make it a draft again")
def news_unpublish(request: ApiRequest, slug: str) -> Any:
    item = selectors.news_get(viewer=request.auth, slug=slug)
    services.news_unpublish(actor=request.auth, item=item)
    return selectors.news_get(viewer=request.auth, slug=slug)


@router.delete("/news/{slug}", response={204: None}, summary="Delete a news item")
def news_delete(request: ApiRequest, slug: str) -> Any:
    item = selectors.news_get(viewer=request.auth, slug=slug)
    services.news_delete(actor=request.auth, item=item)
    return Status(204, None)
