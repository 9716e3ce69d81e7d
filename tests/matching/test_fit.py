"""Each structured-fit factor on its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parkbridge.matching.fit import (
    countries_fit,
    focus_area_overlap,
    project_offer_factors,
    ticket_fit,
    trl_fit,
)
from parkbridge.registry.models import FocusArea


@pytest.mark.parametrize(
    ("trl", "low", "high", "expected"),
    [
        (5, 4, 7, 1.0),
        (4, 4, 7, 1.0),
        (3, 4, 7, 0.75),
        (9, 4, 7, 0.5),
        (1, 6, None, 0.0),
        (5, None, None, None),
        (None, 4, 7, None),
        (8, None, 7, 0.75),
    ],
)
def test_trl_inside_the_range_fits_and_each_level_outside_costs(trl, low, high, expected):
    assert trl_fit(trl, low, high) == expected


def test_ticket_overlap_fits_and_a_gap_scales_with_the_ratio():
    million, half = Decimal(1_000_000), Decimal(500_000)
    assert ticket_fit(million, million, "CNY", half, Decimal(2_000_000), "CNY") == 1.0
    assert ticket_fit(million, million, "CNY", None, half, "CNY") == pytest.approx(0.5)
    assert ticket_fit(half, half, "CNY", million, None, "CNY") == pytest.approx(0.5)
    # Different currencies are not compared, nor is a need without an amount.
    assert ticket_fit(million, million, "CNY", half, million, "USD") is None
    assert ticket_fit(None, None, "CNY", half, million, "CNY") is None


def test_countries_fit_when_markets_overlap():
    assert countries_fit({"CN", "KZ"}, {"CN"}) == 1.0
    assert countries_fit({"DE"}, {"CN"}) == 0.0
    assert countries_fit(set(), {"CN"}) is None


@pytest.mark.django_db
def test_focus_areas_count_exact_matches_and_half_for_a_shared_field():
    energy, remote_sensing, medicine = FocusArea.objects.filter(
        code__in=["2.7.3", "2.7.4", "3.1"]
    ).order_by("code")
    value, shared = focus_area_overlap([energy], [energy, medicine])
    assert value == 1.0 and shared == [energy]
    value, shared = focus_area_overlap([energy], [remote_sensing])
    assert value == 0.5 and shared == []
    value, shared = focus_area_overlap([energy, medicine], [remote_sensing])
    assert value == 0.25
    assert focus_area_overlap([], [energy]) == (None, [])


@pytest.mark.django_db
def test_project_against_offer_names_every_factor(world):
    factors, shared = project_offer_factors(world["project"], world["offer"])
    values = {factor.name: factor.value for factor in factors}
    assert values == {
        "focus_areas": 1.0,
        "trl": 1.0,
        "partner_kind": 1.0,
        "ticket": 1.0,
        "countries": 1.0,
    }
    assert [area.code for area in shared] == ["2.7.3"]


@pytest.mark.django_db
def test_an_offer_of_the_wrong_kind_for_the_needs_scores_zero_on_partner_kind(world):
    from parkbridge.offers.models import Offer

    mentoring = Offer.objects.get(slug="genomics-mentoring")
    values = {f.name: f.value for f in project_offer_factors(world["project"], mentoring)[0]}
    assert values["partner_kind"] == 0.0
    assert "ticket" not in values  # not an investment offer: nothing to compare
