"""News pages and the Atom feeds (thin views over selectors and services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.core.forms import apply_validation_error
from parkbridge.core.i18n import ui_content_language
from parkbridge.core.pagination import paginate, query_without_page
from parkbridge.news import selectors, services
from parkbridge.news.feeds import NewsFeed
from parkbridge.news.forms import (
    NewsFilterForm,
    NewsItemForm,
    NewsTextFormSet,
    news_text_initial,
)
from parkbridge.news.models import NewsItem
from parkbridge.registry import selectors as registry_selectors


def _item_or_404(request: HttpRequest, slug: str) -> NewsItem:
    try:
        return selectors.news_get(viewer=request.user, slug=slug)
    except NewsItem.DoesNotExist as error:
        # A draft the viewer may not see answers exactly like news that does not exist.
        raise Http404 from error


def _can_write_news(user: Any) -> bool:
    return permissions.is_platform_staff(user) or bool(
        permissions.contributable_organization_ids(user)
    )


def _feed_language(language: str) -> str:
    """The feed offered on a page in this UI language (zh-hans reads the zh feed)."""
    return language if language in selectors.FEED_LANGUAGES else "en"


def news_list(request: HttpRequest) -> HttpResponse:
    form = NewsFilterForm(request.GET or None, organization_choices=selectors.news_publishers())
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.NewsFilters(
        query=data.get("q", ""),
        organization=data.get("organization", ""),
        language=data.get("language", ""),
        drafts_only=bool(data.get("drafts")),
    )
    language = ui_content_language()
    page = paginate(request, selectors.news_list(viewer=request.user, filters=filters))
    context = {
        "form": form,
        "page": page,
        "entries": [(item, item.text_for(language)) for item in page],
        "language": language,
        "query_string": query_without_page(request),
        "can_create": _can_write_news(request.user),
        "feed_language": _feed_language(language),
        "now": timezone.now(),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "news/_news_results.html" if partial else "news/news_list.html"
    return render(request, template, context)


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_or_404(request, slug)
    ui_language = ui_content_language()
    wanted = request.GET.get("language", "") or ui_language
    text = item.text_for(wanted)
    return render(
        request,
        "news/news_detail.html",
        {
            "item": item,
            "text": text,
            "ui_language": ui_language,
            "other_texts": [other for other in item.translations.all() if other != text],
            "links": selectors.news_links(viewer=request.user, item=item),
            "can_edit": services.can_edit_news(request.user, item),
            "feed_language": _feed_language(ui_language),
        },
    )


def _form_choices(user: Any) -> dict[str, Any]:
    return {
        "publisher_choices": registry_selectors.contributable_organizations(user=user),
        "event_choices": selectors.linkable_events(viewer=user),
        "agreement_choices": selectors.linkable_agreements(viewer=user),
    }


def _save(
    request: HttpRequest, form: NewsItemForm, texts: Any, item: NewsItem | None
) -> NewsItem | None:
    if not form.is_valid() or not texts.is_valid():
        return None
    values = dict(form.cleaned_data)
    image = values.pop("image")
    try:
        if item is None:
            return services.news_create(
                actor=request.user,
                texts=texts.texts(),
                image=image if isinstance(image, UploadedFile) else None,
                **values,
            )
        return services.news_update(
            actor=request.user,
            item=item,
            texts=texts.texts(),
            image=image if isinstance(image, UploadedFile) else None,
            remove_image=image is False,
            **values,
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _form_page(request: HttpRequest, item: NewsItem | None) -> HttpResponse:
    choices = _form_choices(request.user)
    if item is None and not choices["publisher_choices"].exists():
        raise PermissionDenied
    initial = {}
    if item is None and len(choices["publisher_choices"][:2]) == 1:
        # Most members write for their one organization; spare them the choice.
        initial["publisher"] = choices["publisher_choices"].first()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = NewsItemForm(data, files, instance=item, initial=initial, **choices)
    texts = NewsTextFormSet(data, prefix="texts", initial=news_text_initial(item))
    if request.method == "POST":
        stored = NewsItem.objects.get(pk=item.pk) if item is not None else None
        saved = _save(request, form, texts, stored)
        if saved is not None:
            messages.success(request, _("News saved."))
            return redirect(saved)
    return render(request, "news/news_form.html", {"form": form, "texts": texts, "item": item})


@login_required
def news_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
def news_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_or_404(request, slug)
    if not services.can_edit_news(request.user, item):
        raise PermissionDenied
    return _form_page(request, item)


@login_required
@require_POST
def news_publish(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_or_404(request, slug)
    services.news_publish(actor=request.user, item=item)
    messages.success(request, _("News published."))
    return redirect(item)


@login_required
@require_POST
def news_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_or_404(request, slug)
    services.news_unpublish(actor=request.user, item=item)
    messages.success(request, _("News withdrawn: it is a draft again."))
    return redirect(item)


@login_required
@require_POST
def news_delete(request: HttpRequest, slug: str) -> HttpResponse:
    item = _item_or_404(request, slug)
    services.news_delete(actor=request.user, item=item)
    messages.success(request, _("News deleted."))
    return redirect("news:news_list")


def news_feed(request: HttpRequest, language: str) -> HttpResponse:
    if not selectors.has_feed(language):
        raise Http404
    # A fresh feed object per request: it keeps the language and the request for its items.
    return NewsFeed()(request, language=language)
