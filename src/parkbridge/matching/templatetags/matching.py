"""How a suggestion reads on a card: its title and a line about what it is."""

from __future__ import annotations

from typing import Any

from django import template

from parkbridge.offers.models import Offer
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization, Person

register = template.Library()


@register.filter
def match_title(obj: Any) -> str:
    if isinstance(obj, Project):
        return obj.display_title
    if isinstance(obj, Organization | Person):
        return obj.display_name
    return str(getattr(obj, "title", obj))


@register.filter
def match_subtitle(obj: Any) -> str:
    if isinstance(obj, Project | Offer):
        return f"{obj.get_kind_display()} · {obj.owner.display_name}"
    if isinstance(obj, Organization):
        return f"{obj.get_kind_display()} · {obj.country.name}"
    if isinstance(obj, Person):
        affiliations = list(obj.affiliations.all())
        if affiliations:
            first = affiliations[0]
            position = first.position_en or first.position
            return (
                f"{position} · {first.organization.display_name}"
                if position
                else str(first.organization.display_name)
            )
    return ""


@register.filter
def as_percent(value: float) -> int:
    return round(100 * float(value))
