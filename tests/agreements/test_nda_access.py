"""A signed NDA in force opens a restricted project of one party to the other parties: in the
project list, on the project page and in the API; before signature, after expiry and after
termination it is closed again, and a non-party never sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from parkbridge.agreements.services import agreement_update
from parkbridge.core import permissions
from parkbridge.portfolio.models import Project
from tests.agreements.conftest import days, make_agreement, make_project, signed
from tests.conftest import client_for
from tests.registry.test_api import bearer

SLUG = "zircon-secret"


@pytest.fixture
def secret(member, organization):
    return make_project(member, organization, slug=SLUG, title="Zircon secret coating")


def _sees(user) -> dict[str, bool]:
    client = client_for(user)
    listed = f"/projects/{SLUG}/" in client.get("/projects/").content.decode()
    page = client.get(f"/projects/{SLUG}/").status_code
    api = client.get(f"/api/v1/projects/{SLUG}").status_code
    api_listed = SLUG in {item["slug"] for item in client.get("/api/v1/projects").json()["items"]}
    assert page in (200, 404) and api in (200, 404)
    return {"list": listed, "page": page == 200, "api": api == 200, "api_list": api_listed}


SEEN = dict.fromkeys(["list", "page", "api", "api_list"], True)
HIDDEN = dict.fromkeys(["list", "page", "api", "api_list"], False)


def test_nda_lifecycle(member, partner_member, outsider, organization, partner, secret):
    assert _sees(partner_member) == HIDDEN

    nda = make_agreement(
        member,
        organization,
        [organization, partner],
        kind="nda",
        title="Mutual NDA",
        status="negotiation",
        granted_projects=[secret],
    )
    assert _sees(partner_member) == HIDDEN  # named, but not signed yet

    agreement_update(actor=member, agreement=nda, **signed())
    assert _sees(partner_member) == SEEN
    assert _sees(outsider) == HIDDEN
    assert permissions.can_view(partner_member, secret)
    assert not permissions.can_view(outsider, secret)
    assert Project.objects.get(pk=secret.pk).pk in permissions.shared_object_ids(
        Project, {partner.pk}
    )

    agreement_update(actor=member, agreement=nda, valid_from=days(-400), valid_until=days(-1))
    assert _sees(partner_member) == HIDDEN

    agreement_update(actor=member, agreement=nda, valid_until=days(30))
    assert _sees(partner_member) == SEEN

    agreement_update(actor=partner_member, agreement=nda, status="terminated")
    assert _sees(partner_member) == HIDDEN
    assert _sees(outsider) == HIDDEN


def test_nda_not_yet_in_force_opens_nothing(member, partner_member, organization, partner, secret):
    make_agreement(
        member,
        organization,
        [organization, partner],
        kind="nda",
        granted_projects=[secret],
        **signed(valid_from=days(5)),
    )
    assert _sees(partner_member) == HIDDEN


def test_owner_keeps_seeing_and_api_token_users_get_the_same(
    member, partner_member, organization, partner, secret
):
    make_agreement(
        member,
        organization,
        [organization, partner],
        kind="nda",
        granted_projects=[secret],
        **signed(),
    )
    assert _sees(member) == SEEN
    response = Client().get(f"/api/v1/projects/{SLUG}", **bearer(partner_member))
    assert response.status_code == 200
    assert response.json()["title"] == "Zircon secret coating"


def test_other_restricted_projects_stay_closed(
    member, partner_member, organization, partner, secret
):
    other = make_project(member, organization, slug="not-named")
    make_agreement(
        member,
        organization,
        [organization, partner],
        kind="nda",
        granted_projects=[secret],
        **signed(),
    )
    assert permissions.can_view(partner_member, secret)
    assert not permissions.can_view(partner_member, other)
    assert client_for(partner_member).get("/projects/not-named/").status_code == 404
