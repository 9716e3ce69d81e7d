"""Matching endpoints: suggestions, free-text search, feedback, with the pages' permissions."""

from __future__ import annotations

import pytest

from parkbridge.matching.models import MatchFeedback
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_suggestions_for_a_project_explain_themselves(world, member):
    response = client_for(member).get("/api/v1/matches/project/hydrogen-bus?target=offer")
    assert response.status_code == 200
    best = response.json()[0]
    assert best["slug"] == "hydrogen-investment"
    assert best["url"] == "/offers/hydrogen-investment/"
    assert sum(f["contribution"] for f in best["factors"]) == pytest.approx(best["score"], abs=1e-3)
    assert {f["name"] for f in best["factors"]} >= {"dense", "ticket", "trl", "countries"}
    assert best["shared_focus_areas"][0]["code"] == "2.7.3"
    assert best["passages"]["target_language"] == "zh"


def test_free_text_search_in_any_language(world):
    response = client_for(None).get(
        "/api/v1/matches/search", {"q": "寻找氢燃料电池公交车项目", "target": "project"}
    )
    assert response.status_code == 200
    assert response.json()[0]["slug"] == "hydrogen-bus"


def test_bad_requests_get_json_errors(world, member):
    client = client_for(member)
    wrong_target = client.get("/api/v1/matches/project/hydrogen-bus?target=project")
    assert wrong_target.status_code == 400
    assert "offer, organization, person" in wrong_target.json()["detail"]
    assert client.get("/api/v1/matches/search?q=ab").status_code == 422
    assert client.get("/api/v1/matches/project/no-such-project?target=offer").status_code == 404
    assert client.get("/api/v1/matches/planet/earth?target=offer").status_code == 422


def test_restricted_sources_and_targets_stay_invisible(world, outsider, staff_user):
    client = client_for(outsider)
    assert client.get("/api/v1/matches/offer/secret-hydrogen?target=project").status_code == 404
    found = client.get("/api/v1/matches/search?q=hydrogen fuel cell bus&target=offer&limit=50")
    assert "secret-hydrogen" not in [match["slug"] for match in found.json()]
    staff = client_for(staff_user).get(
        "/api/v1/matches/search?q=hydrogen fuel cell bus&target=offer&limit=50"
    )
    assert "secret-hydrogen" in [match["slug"] for match in staff.json()]


def test_feedback_round_trip(world, member):
    client = client_for(member)
    url = "/api/v1/matches/project/hydrogen-bus/feedback"
    body = {"target_kind": "offer", "target_slug": "hydrogen-investment", "verdict": "interested"}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["verdict"] == "interested"
    listed = client.get("/api/v1/matches/project/hydrogen-bus?target=offer").json()
    assert listed[0]["verdict"] == "interested"

    body["verdict"] = "not_relevant"
    client.put(url, body, content_type="application/json")
    listed = client.get("/api/v1/matches/project/hydrogen-bus?target=offer").json()
    assert "hydrogen-investment" not in [match["slug"] for match in listed]

    cleared = client.delete(f"{url}/offer/hydrogen-investment")
    assert cleared.status_code == 204
    assert not MatchFeedback.objects.exists()


def test_feedback_needs_a_network_member(world, loner):
    body = {"target_kind": "offer", "target_slug": "hydrogen-investment", "verdict": "interested"}
    url = "/api/v1/matches/project/hydrogen-bus/feedback"
    assert client_for(None).put(url, body, content_type="application/json").status_code == 401
    assert client_for(loner).put(url, body, content_type="application/json").status_code == 403
    bad = client_for(loner).put(url, {**body, "verdict": "maybe"}, content_type="application/json")
    assert bad.status_code == 422


def test_matches_list_the_terms_found_across_languages(world):
    response = client_for(None).get(
        "/api/v1/matches/search",
        {"q": "Ищем производителя топливных элементов и мембран", "target": "organization"},
    )
    best = response.json()[0]
    assert best["slug"] == "fuel-cell-works"
    assert any(
        pair["request_word"] == "мембрана" and pair["match_word"].startswith("membrane")
        for pair in best["bridged_terms"]
    )
