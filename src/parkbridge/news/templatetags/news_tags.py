"""Template helpers of the news pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf.locale import LANG_INFO
from django.urls import NoReverseMatch

from parkbridge.core.i18n import content_language_label
from parkbridge.news.models import NewsItem, NewsTranslation

register = template.Library()

# Content codes whose Django locale has another name ("zh" is written "zh-hans" in Django).
_LOCALE_FOR = {"zh": "zh-hans"}


@register.filter
def native_language_name(code: str) -> str:
    """A language's name in itself (Русский, 中文), for switching between texts."""
    if code == "zh":
        return "中文"
    info = LANG_INFO.get(_LOCALE_FOR.get(code, code), {})
    return str(info.get("name_local") or content_language_label(code))


@register.simple_tag
def linked_url(obj: Any) -> str:
    """The page of a linked event or agreement, or "" where that page does not exist (yet)."""
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:
        return ""


@register.filter
def news_text_for(item: NewsItem, ui_language: str) -> NewsTranslation | None:
    """The item's text for an interface language ('zh-hans' reads 'zh'), else its first."""
    return item.text_for((ui_language or "en").lower().split("-")[0])
