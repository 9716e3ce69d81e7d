"""Reads of offers and requests, through the confidentiality policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from parkbridge.core import permissions
from parkbridge.offers.models import Offer
from parkbridge.portfolio.selectors import focus_area_ids


@dataclass(frozen=True)
class OfferFilters:
    query: str = ""
    kind: str = ""
    focus_area: str = ""
    country: str = ""  # a country the offer applies to, or the owner's country
    language: str = ""
    trl: int | None = None  # offers whose TRL range includes this level
    owner: str = ""
    current_only: bool = False


def offer_list(*, viewer: Any, filters: OfferFilters | None = None) -> QuerySet[Offer]:
    filters = filters or OfferFilters()
    offers = permissions.visible(Offer.objects.all(), viewer)
    for word in [word.lower() for word in filters.query.split() if word][:8]:
        offers = offers.filter(search_text__contains=word)
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.language:
        offers = offers.filter(language=filters.language)
    if filters.owner:
        offers = offers.filter(owner__slug=filters.owner)
    if filters.country:
        code = filters.country.upper()
        # Countries are stored comma-separated; match the code as a whole item.
        offers = offers.filter(
            Q(owner__country=code)
            | Q(countries=code)
            | Q(countries__startswith=f"{code},")
            | Q(countries__endswith=f",{code}")
            | Q(countries__contains=f",{code},")
        )
    if filters.trl is not None:
        offers = offers.filter(
            Q(trl_min__isnull=True) | Q(trl_min__lte=filters.trl),
            Q(trl_max__isnull=True) | Q(trl_max__gte=filters.trl),
        )
    if filters.current_only:
        today = timezone.localdate()
        offers = offers.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        )
    if filters.focus_area:
        area_ids = focus_area_ids(filters.focus_area)
        if area_ids is None:
            return offers.none()
        offers = offers.filter(focus_areas__in=area_ids)
    return (
        offers.distinct()
        .select_related("owner", "contact")
        .prefetch_related("focus_areas")
        .order_by("-updated_at", "-id")
    )


def offer_get(*, viewer: Any, slug: str) -> Offer:
    """The offer, or Offer.DoesNotExist when it is missing or not visible to the viewer."""
    return (
        permissions.visible(Offer.objects.all(), viewer)
        .select_related("owner", "contact")
        .prefetch_related("focus_areas", "shared_with")
        .get(slug=slug)
    )
