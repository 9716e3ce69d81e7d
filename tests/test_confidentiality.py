"""Confidentiality matrix: every page and endpoint that shows projects, IP assets or offers,
for every audience. A restricted item never leaks: not in lists, search, API, counts,
exports or the activity feed of anyone not entitled."""

from __future__ import annotations

import csv
import io

import pytest

from parkbridge.accounts.models import MembershipRole
from parkbridge.offers.services import offer_create
from parkbridge.portfolio.services import ip_asset_create, project_create
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

AUDIENCES = ["anonymous", "loner", "outsider", "owner_member", "shared_member", "staff_user"]
SEES = {
    "anonymous": {"public"},
    "loner": {"public"},
    "outsider": {"public", "network"},
    "owner_member": {"public", "network", "restricted"},
    "shared_member": {"public", "network", "restricted"},
    "staff_user": {"public", "network", "restricted"},
}
LEVELS = ["public", "network", "restricted"]


@pytest.fixture
def world(db, organization, other_organization, staff_user, loner, outsider):
    partner = OrganizationFactory(slug="nda-partner", name_en="NDA Partner", country="CN")
    owner_member = UserFactory(email="owner@polytech.example")
    MembershipFactory(user=owner_member, organization=organization, role=MembershipRole.MEMBER)
    shared_member = UserFactory(email="member@partner.example")
    MembershipFactory(user=shared_member, organization=partner, role=MembershipRole.MEMBER)
    for level in LEVELS:
        shared = [partner] if level == "restricted" else []
        project = project_create(
            actor=staff_user,
            owner=organization,
            kind="research",
            title=f"Zircon {level} project",
            summary=f"Secret zircon coating research, {level} level.",
            language="en",
            confidentiality=level,
            shared_with=shared,
            slug=f"project-{level}",
        )
        ip_asset_create(
            actor=staff_user,
            owner=organization,
            kind="patent",
            title=f"Zircon {level} patent",
            number=f"RU 0000{LEVELS.index(level)} C1",
            jurisdiction="RU",
            status="granted",
            confidentiality=level,
            shared_with=shared,
            projects=[project],
            slug=f"patent-{level}",
        )
        offer_create(
            actor=staff_user,
            owner=organization,
            kind="mentoring",
            title=f"Zircon {level} offer",
            description=f"Mentoring on zircon coatings, {level} level.",
            language="en",
            confidentiality=level,
            shared_with=shared,
            slug=f"offer-{level}",
        )
    users = {
        "anonymous": None,
        "loner": loner,
        "outsider": outsider,
        "owner_member": owner_member,
        "shared_member": shared_member,
        "staff_user": staff_user,
    }
    return users


def _levels_in(text: str, noun: str) -> set[str]:
    return {level for level in LEVELS if f"Zircon {level} {noun}" in text}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pages(world, audience):
    client = client_for(world[audience])
    expected = SEES[audience]
    assert _levels_in(client.get("/projects/").content.decode(), "project") == expected
    assert _levels_in(client.get("/projects/?q=zircon").content.decode(), "project") == expected
    assert (
        _levels_in(
            client.get("/projects/?q=zircon", HTTP_HX_REQUEST="true").content.decode(), "project"
        )
        == expected
    )
    assert _levels_in(client.get("/offers/?q=zircon").content.decode(), "offer") == expected
    assert _levels_in(client.get("/ip/").content.decode(), "patent") == expected
    for level in LEVELS:
        visible = level in expected
        for url in (
            f"/projects/project-{level}/",
            f"/offers/offer-{level}/",
            f"/ip/patent-{level}/",
        ):
            assert client.get(url).status_code == (200 if visible else 404), url
    home = client.get("/").content.decode()
    assert _levels_in(home, "project") <= expected
    assert f'data-testid="count-projects">{len(expected)}<' in home
    assert f'data-testid="count-offers">{len(expected)}<' in home


@pytest.mark.parametrize("audience", AUDIENCES)
def test_api(world, audience):
    client = client_for(world[audience])
    expected = SEES[audience]
    projects = client.get("/api/v1/projects?q=zircon").json()
    assert {item["confidentiality"] for item in projects["items"]} == expected
    assert projects["count"] == len(expected)
    offers = client.get("/api/v1/offers").json()
    assert {item["confidentiality"] for item in offers["items"]} == expected
    assets = client.get("/api/v1/ip-assets").json()
    assert {item["confidentiality"] for item in assets["items"]} == expected
    for level in LEVELS:
        status = 200 if level in expected else 404
        assert client.get(f"/api/v1/projects/project-{level}").status_code == status
        assert client.get(f"/api/v1/offers/offer-{level}").status_code == status
        assert client.get(f"/api/v1/ip-assets/patent-{level}").status_code == status
    # An IP asset never names a project the caller may not see.
    public_asset = client.get("/api/v1/ip-assets/patent-public").json()
    assert public_asset["projects"] == ["project-public"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_exports(world, audience):
    client = client_for(world[audience])
    expected = SEES[audience]
    for url in (
        "/projects/export.csv",
        "/offers/export.csv",
        "/api/v1/projects/export.csv",
        "/api/v1/offers/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
        assert {row["confidentiality"] for row in rows} == expected, url


@pytest.mark.parametrize("audience", AUDIENCES)
def test_activity_feed(world, audience):
    feed = client_for(world[audience]).get("/").content.decode()
    expected = SEES[audience]
    shown = _levels_in(feed, "project") | _levels_in(feed, "offer") | _levels_in(feed, "patent")
    assert shown <= expected


def test_sharing_is_only_shown_to_editors(world):
    owner = client_for(world["owner_member"]).get("/api/v1/projects/project-restricted").json()
    assert owner["shared_with"] == ["nda-partner"]
    partner = client_for(world["shared_member"]).get("/api/v1/projects/project-restricted").json()
    assert partner["shared_with"] is None


def test_dashboard_lists_own_restricted_items(world):
    page = client_for(world["owner_member"]).get("/my/").content.decode()
    assert _levels_in(page, "project") == set(LEVELS)
    outsider_page = client_for(world["outsider"]).get("/my/").content.decode()
    assert _levels_in(outsider_page, "project") == set()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_edit_pages_and_owner_lists(world, audience):
    client = client_for(world[audience])
    expected = SEES[audience]
    for level in LEVELS:
        for url in (
            f"/projects/project-{level}/edit/",
            f"/offers/offer-{level}/edit/",
            f"/ip/patent-{level}/edit/",
        ):
            status = client.get(url).status_code
            if level not in expected:
                # Not even the edit page admits that the item exists.
                assert status in {302, 404}, url
    page = client.get("/projects/?owner=polytech").content.decode()
    assert _levels_in(page, "project") == expected
    page = client.get("/offers/?owner=polytech").content.decode()
    assert _levels_in(page, "offer") == expected
    assert _levels_in(client.get("/ip/?owner=polytech").content.decode(), "patent") == expected
    assert "Zircon" not in client.get("/projects/?owner=far-park").content.decode()
