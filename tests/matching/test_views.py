"""The Matches panel, the search page and feedback buttons, as a browser would ask for them."""

from __future__ import annotations

import pytest

from parkbridge.matching.models import MatchFeedback
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_item_pages_load_the_matches_panel(world):
    page = client_for(None).get("/projects/hydrogen-bus/").content.decode()
    assert 'hx-get="/matches/project/hydrogen-bus/"' in page


def test_panel_shows_explained_suggestions_with_tabs(world, member):
    page = client_for(member).get("/matches/project/hydrogen-bus/?target=offer").content.decode()
    assert "投资氢燃料电池和氢能交通初创企业" in page
    assert "Similar meaning" in page and "Ticket size" in page
    assert "?target=organization" in page and "?target=person" in page
    assert "Interested" in page  # members may rate suggestions


def test_visitors_see_suggestions_but_no_rating_buttons(world):
    page = client_for(None).get("/matches/project/hydrogen-bus/?target=offer").content.decode()
    assert "投资氢燃料电池" in page and "Not relevant" not in page


def test_an_unindexed_item_says_so(world, staff_user, organization):
    from parkbridge.offers.services import offer_create

    offer_create(
        actor=staff_user,
        owner=organization,
        kind="mentoring",
        title="Not indexed yet",
        description="Fresh.",
        language="en",
        confidentiality="public",
        slug="fresh",
    )
    page = client_for(staff_user).get("/matches/offer/fresh/").content.decode()
    assert "not indexed for matching yet" in page


def test_not_relevant_hides_the_card_and_undo_brings_it_back(world, member):
    client = client_for(member)
    url = "/matches/project/hydrogen-bus/feedback/"
    target = {"target_kind": "offer", "target_slug": "hydrogen-investment"}
    hidden = client.post(url, {**target, "verdict": "not_relevant"}, HTTP_HX_REQUEST="true")
    assert "will not be suggested again" in hidden.content.decode()
    panel = client.get("/matches/project/hydrogen-bus/?target=offer").content.decode()
    assert "投资氢燃料电池和氢能交通初创企业" not in panel
    restored = client.post(url, {**target, "verdict": "clear", "undo": "1"})
    assert "will be suggested again" in restored.content.decode()
    assert not MatchFeedback.objects.exists()


def test_feedback_refuses_visitors_and_bad_input(world, member):
    url = "/matches/project/hydrogen-bus/feedback/"
    target = {"target_kind": "offer", "target_slug": "hydrogen-investment"}
    assert client_for(None).post(url, {**target, "verdict": "interested"}).status_code == 302
    assert client_for(member).post(url, {**target, "verdict": "maybe"}).status_code == 400
    secret = {"target_kind": "offer", "target_slug": "secret-hydrogen", "verdict": "interested"}
    assert client_for(member).post(url, secret).status_code == 404


def test_search_page_finds_across_languages(world):
    page = (
        client_for(None)
        .get(
            "/matches/",
            {
                "q": "ищем инвестора для водородных топливных элементов для автобусов",
                "target": "offer",
            },
        )
        .content.decode()
    )
    assert "投资氢燃料电池和氢能交通初创企业" in page
    assert "Confidential hydrogen" not in page


def test_search_page_keeps_a_too_short_request_and_says_why(world):
    page = client_for(None).get("/matches/", {"q": "h2", "target": "offer"}).content.decode()
    assert "h2</textarea>" in page
    assert "at least 3 characters" in page


def test_search_page_shows_the_terms_found_across_languages(world):
    page = (
        client_for(None)
        .get(
            "/matches/",
            {
                "q": "Ищем производителя водородных топливных элементов и мембран для автобусов",
                "target": "organization",
            },
        )
        .content.decode()
    )
    assert "Fuel Cell Works" in page
    assert "топливный → fuel" in page
