"""Template helpers shared by every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString

from parkbridge.core.i18n import content_language_label

register = template.Library()

_WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
    "clearablefile": "form-control",
    "file": "form-control",
}


@register.filter
def bootstrap(field: BoundField) -> SafeString:
    """Render a form field's widget with Bootstrap's classes (and is-invalid on errors)."""
    css = _WIDGET_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def lang_tag(code: str) -> SafeString:
    """A small marker saying which language a piece of user content is written in."""
    if not code:
        return SafeString("")
    return format_html(
        '<span class="lang-tag" title="{}" lang="en">{}</span>', content_language_label(code), code
    )


@register.filter
def initials(text: str) -> str:
    words = ["".join(char for char in word if char.isalnum()) for word in str(text).split()]
    words = [word for word in words if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


@register.filter
def amount(value: Any) -> str:
    """A money amount with digit groups, in every UI language (zh has no separator of its own)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", "\u202f")


@register.inclusion_tag("includes/confidentiality_badge.html")
def confidentiality_badge(level: str) -> dict[str, str]:
    return {"level": level}


@register.simple_tag(takes_context=True)
def related_panels(context: template.Context, obj: Any) -> SafeString:
    """The panels other apps registered for this object's page (see core/panels.py)."""
    from django.template.loader import render_to_string

    from parkbridge.core.panels import related_panels as panels_for

    request = context.get("request")
    viewer = getattr(request, "user", None)
    return SafeString(
        "".join(
            render_to_string(name, {**panel_context, "object": obj}, request=request)
            for name, panel_context in panels_for(viewer, obj)
        )
    )
