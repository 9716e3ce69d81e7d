"""Structured fit: how well two items agree on what they say in fields rather than in words.

Each factor gives a value from 0 to 1, or None when it does not apply (a project without a
TRL says nothing about an offer's TRL range). Ranking averages the factors that apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from parkbridge.offers.models import Offer, OfferKind
from parkbridge.portfolio.models import NeedKind, Project
from parkbridge.registry.models import FocusArea, Organization, OrganizationKind

# Which kind of offer answers which need.
OFFER_KINDS_FOR_NEED: dict[str, set[str]] = {
    NeedKind.INVESTMENT: {OfferKind.INVESTMENT},
    NeedKind.INDUSTRIAL_PARTNER: {OfferKind.TECHNOLOGY_REQUEST, OfferKind.MANUFACTURING},
    NeedKind.RESEARCH_PARTNER: {OfferKind.TECHNOLOGY_REQUEST, OfferKind.EXPERT_REQUEST},
    NeedKind.MARKET_ACCESS: {OfferKind.MARKET_ACCESS},
    NeedKind.MANUFACTURING: {OfferKind.MANUFACTURING},
    NeedKind.FACILITY_ACCESS: {OfferKind.FACILITY_ACCESS},
    NeedKind.MENTORING: {OfferKind.MENTORING},
    NeedKind.LICENSEE: {OfferKind.TECHNOLOGY_REQUEST, OfferKind.MARKET_ACCESS},
}

# Which kind of organization a need looks for.
ORGANIZATION_KINDS_FOR_NEED: dict[str, set[str]] = {
    NeedKind.INVESTMENT: {OrganizationKind.INVESTOR},
    NeedKind.INDUSTRIAL_PARTNER: {OrganizationKind.COMPANY},
    NeedKind.RESEARCH_PARTNER: {OrganizationKind.UNIVERSITY, OrganizationKind.RESEARCH_INSTITUTE},
    NeedKind.MARKET_ACCESS: {
        OrganizationKind.COMPANY,
        OrganizationKind.TECHNOLOGY_PARK,
        OrganizationKind.GOVERNMENT,
    },
    NeedKind.MANUFACTURING: {OrganizationKind.COMPANY},
    NeedKind.FACILITY_ACCESS: {
        OrganizationKind.UNIVERSITY,
        OrganizationKind.RESEARCH_INSTITUTE,
        OrganizationKind.TECHNOLOGY_PARK,
    },
    NeedKind.MENTORING: {OrganizationKind.INCUBATOR, OrganizationKind.TECHNOLOGY_PARK},
    NeedKind.LICENSEE: {OrganizationKind.COMPANY},
}

FACTOR_LABELS = {
    "lexical": _("Shared terms"),
    "dense": _("Similar meaning"),
    "focus_areas": _("Focus areas"),
    "trl": _("TRL in range"),
    "ticket": _("Ticket size"),
    "countries": _("Countries"),
    "partner_kind": _("Partner sought"),
    "stage": _("Stage"),
}


@dataclass
class FitFactor:
    name: str
    value: float
    detail: str = ""


def focus_area_overlap(
    source: Iterable[FocusArea], target: Iterable[FocusArea]
) -> tuple[float | None, list[FocusArea]]:
    """Share of the source's areas that the target has; a shared parent field counts half.
    Returns the value and the areas both have."""
    source_areas, target_areas = list(source), list(target)
    if not source_areas or not target_areas:
        return None, []
    target_ids = {area.pk for area in target_areas}
    target_parents = {area.parent_id or area.pk for area in target_areas}
    shared = [area for area in source_areas if area.pk in target_ids]
    near = [
        area
        for area in source_areas
        if area.pk not in target_ids and (area.parent_id or area.pk) in target_parents
    ]
    return (len(shared) + 0.5 * len(near)) / len(source_areas), shared


def trl_fit(trl: int | None, low: int | None, high: int | None) -> float | None:
    """1 inside the range; each level outside costs a quarter."""
    if trl is None or (low is None and high is None):
        return None
    low = low or 1
    high = high or 9
    if low <= trl <= high:
        return 1.0
    distance = low - trl if trl < low else trl - high
    return max(0.0, 1.0 - 0.25 * distance)


def ticket_fit(
    need_min: Decimal | None,
    need_max: Decimal | None,
    need_currency: str,
    ticket_min: Decimal | None,
    ticket_max: Decimal | None,
    ticket_currency: str,
) -> float | None:
    """1 when the amounts sought and offered overlap; otherwise the ratio of the nearest ends
    (a need of 1 M against tickets up to 500 k gives 0.5). Amounts in different currencies
    are not compared."""
    if need_min is None and need_max is None:
        return None
    if ticket_min is None and ticket_max is None:
        return None
    if need_currency and ticket_currency and need_currency != ticket_currency:
        return None
    need_low = float(need_min if need_min is not None else need_max)  # type: ignore[arg-type]
    need_high = float(need_max if need_max is not None else need_min)  # type: ignore[arg-type]
    offer_low = float(ticket_min) if ticket_min is not None else 0.0
    offer_high = float(ticket_max) if ticket_max is not None else float("inf")
    if need_low <= offer_high and offer_low <= need_high:
        return 1.0
    if need_low > offer_high:
        return offer_high / need_low if need_low else 0.0
    return need_high / offer_low if offer_low else 0.0


def countries_fit(sought: set[str], offered: set[str]) -> float | None:
    if not sought or not offered:
        return None
    return 1.0 if sought & offered else 0.0


def _need_countries(project: Project) -> set[str]:
    return {
        str(getattr(country, "code", country))
        for need in project.needs.all()
        for country in need.countries
    }


def project_offer_factors(
    project: Project, offer: Offer
) -> tuple[list[FitFactor], list[FocusArea]]:
    """The fields of a project against an offer (either may be the one searched for)."""
    factors: list[FitFactor] = []
    focus, shared = focus_area_overlap(project.focus_areas.all(), offer.focus_areas.all())
    if focus is not None:
        factors.append(FitFactor("focus_areas", focus))
    trl = trl_fit(project.trl, offer.trl_min, offer.trl_max)
    if trl is not None:
        factors.append(
            FitFactor("trl", trl, f"TRL {project.trl} / {offer.trl_min or 1}–{offer.trl_max or 9}")
        )
    needs = list(project.needs.all())
    need_kinds = {need.kind for need in needs}
    if need_kinds:
        answered = any(offer.kind in OFFER_KINDS_FOR_NEED.get(kind, set()) for kind in need_kinds)
        factors.append(
            FitFactor("partner_kind", 1.0 if answered else 0.0, str(offer.get_kind_display()))
        )
    investment = [need for need in needs if need.kind == NeedKind.INVESTMENT]
    if investment and offer.kind == OfferKind.INVESTMENT:
        values = [
            ticket_fit(
                need.amount_min,
                need.amount_max,
                need.currency,
                offer.ticket_min,
                offer.ticket_max,
                offer.currency,
            )
            for need in investment
        ]
        known = [value for value in values if value is not None]
        if known:
            factors.append(FitFactor("ticket", max(known)))
    offered_countries = {str(getattr(c, "code", c)) for c in offer.countries}
    countries = countries_fit(_need_countries(project), offered_countries)
    if countries is not None:
        factors.append(FitFactor("countries", countries, ", ".join(sorted(offered_countries))))
    if offer.stages:
        factors.append(
            FitFactor(
                "stage", 1.0 if project.stage in offer.stages else 0.0, project.get_stage_display()
            )
        )
    return factors, shared


def project_organization_factors(
    project: Project, organization: Organization
) -> tuple[list[FitFactor], list[FocusArea]]:
    factors: list[FitFactor] = []
    focus, shared = focus_area_overlap(project.focus_areas.all(), organization.focus_areas.all())
    if focus is not None:
        factors.append(FitFactor("focus_areas", focus))
    need_kinds = {need.kind for need in project.needs.all()}
    if need_kinds:
        sought = set().union(*(ORGANIZATION_KINDS_FOR_NEED.get(kind, set()) for kind in need_kinds))
        factors.append(
            FitFactor(
                "partner_kind",
                1.0 if organization.kind in sought else 0.0,
                str(organization.get_kind_display()),
            )
        )
    countries = countries_fit(_need_countries(project), {str(organization.country)})
    if countries is not None:
        factors.append(FitFactor("countries", countries, str(organization.country.name)))
    return factors, shared


def focus_factors(
    source_areas: Iterable[FocusArea], target_areas: Iterable[FocusArea]
) -> tuple[list[FitFactor], list[FocusArea]]:
    focus, shared = focus_area_overlap(source_areas, target_areas)
    return ([FitFactor("focus_areas", focus)] if focus is not None else []), shared
