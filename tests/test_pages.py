"""Every page for every audience, NetBox-style: a new page is covered the day it is added."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from parkbridge.agreements.services import agreement_create, document_upload
from parkbridge.events.brokerage import slots_generate
from parkbridge.events.services import (
    agenda_item_add,
    event_create,
    outcome_add,
    participant_add,
)
from parkbridge.news.services import news_create, news_publish
from parkbridge.offers.services import offer_create
from parkbridge.pipeline.services import cooperation_create
from parkbridge.portfolio.services import ip_asset_create, project_create
from tests.conftest import client_for
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

AUDIENCES = ["anonymous", "loner", "outsider", "member", "org_admin", "staff_user"]

# Members of any organization add to their own organization's portfolio; members of the owner
# organization edit its items.
CONTRIBUTORS = {
    "anonymous": "login",
    "loner": 403,
    "outsider": 200,
    "member": 200,
    "org_admin": 200,
    "staff_user": 200,
}
OWNER_EDITORS = {
    "anonymous": "login",
    "loner": 403,
    "outsider": 403,
    "member": 200,
    "org_admin": 200,
    "staff_user": 200,
}

# Cooperations, tasks: only their organizations' members (others get "not found").
PARTIES = {
    "anonymous": "login",
    "loner": 404,
    "outsider": 404,
    "member": 200,
    "org_admin": 200,
    "staff_user": 200,
}

# Network-wide items: members of any organization; others get "not found".
NETWORK = {
    "anonymous": 404,
    "loner": 404,
    "outsider": 200,
    "member": 200,
    "org_admin": 200,
    "staff_user": 200,
}
BROKERAGE_PARTICIPANTS = {**NETWORK, "anonymous": "login"}

# (url, expected status per audience); "login" means a redirect to the sign-in page.
PAGES = {
    "/": dict.fromkeys(AUDIENCES, 200),
    "/organizations/": dict.fromkeys(AUDIENCES, 200),
    "/organizations/polytech/": dict.fromkeys(AUDIENCES, 200),
    "/organizations/new/": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 403,
        "org_admin": 200,
        "staff_user": 200,
    },
    "/organizations/polytech/edit/": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 403,
        "org_admin": 200,
        "staff_user": 200,
    },
    "/organizations/polytech/members/": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 403,
        "org_admin": 200,
        "staff_user": 200,
    },
    "/people/": dict.fromkeys(AUDIENCES, 200),
    "/people/colleague/": dict.fromkeys(AUDIENCES, 200),
    "/people/new/": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 403,
        "org_admin": 200,
        "staff_user": 200,
    },
    "/people/colleague/edit/": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 403,
        "org_admin": 200,
        "staff_user": 200,
    },
    "/accounts/login/": {
        "anonymous": 200,
        "loner": 302,
        "outsider": 302,
        "member": 302,
        "org_admin": 302,
        "staff_user": 302,
    },
    "/accounts/profile/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/accounts/password/change/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/accounts/password/reset/": dict.fromkeys(AUDIENCES, 200),
    "/api/v1/docs": dict.fromkeys(AUDIENCES, 200),
    "/my/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/projects/": dict.fromkeys(AUDIENCES, 200),
    "/projects/export.csv": dict.fromkeys(AUDIENCES, 200),
    "/projects/export.xlsx": dict.fromkeys(AUDIENCES, 200),
    "/projects/export.pdf": dict.fromkeys(AUDIENCES, 404),
    "/projects/public-project/": dict.fromkeys(AUDIENCES, 200),
    "/projects/new/": CONTRIBUTORS,
    "/projects/import/": CONTRIBUTORS,
    "/projects/public-project/edit/": OWNER_EDITORS,
    "/ip/": dict.fromkeys(AUDIENCES, 200),
    "/ip/public-patent/": dict.fromkeys(AUDIENCES, 200),
    "/ip/new/": CONTRIBUTORS,
    "/ip/public-patent/edit/": OWNER_EDITORS,
    "/offers/": dict.fromkeys(AUDIENCES, 200),
    "/offers/export.csv": dict.fromkeys(AUDIENCES, 200),
    "/offers/export.xlsx": dict.fromkeys(AUDIENCES, 200),
    "/offers/public-offer/": dict.fromkeys(AUDIENCES, 200),
    "/offers/new/": CONTRIBUTORS,
    "/offers/import/": CONTRIBUTORS,
    "/offers/public-offer/edit/": OWNER_EDITORS,
    "/matches/": dict.fromkeys(AUDIENCES, 200),
    "/matches/?q=open+research&target=project": dict.fromkeys(AUDIENCES, 200),
    "/matches/project/public-project/": dict.fromkeys(AUDIENCES, 200),
    "/matches/project/public-project/?target=person": dict.fromkeys(AUDIENCES, 200),
    "/matches/project/public-project/?target=nothing": dict.fromkeys(AUDIENCES, 404),
    "/matches/offer/public-offer/?target=project": dict.fromkeys(AUDIENCES, 200),
    "/matches/organization/polytech/?target=offer": dict.fromkeys(AUDIENCES, 200),
    "/matches/person/colleague/": dict.fromkeys(AUDIENCES, 200),
    "/matches/planet/earth/": dict.fromkeys(AUDIENCES, 404),
    "/pipeline/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/pipeline/list/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/pipeline/new/": CONTRIBUTORS,
    "/pipeline/{cooperation}/": PARTIES,
    "/pipeline/{cooperation}/edit/": PARTIES,
    "/pipeline/{cooperation}/move/": PARTIES,
    "/tasks/": {"anonymous": "login", **dict.fromkeys(AUDIENCES[1:], 200)},
    "/agreements/": dict.fromkeys(AUDIENCES, 200),
    "/agreements/?validity=expiring": dict.fromkeys(AUDIENCES, 200),
    "/agreements/new/": CONTRIBUTORS,
    "/agreements/{agreement}/": {**PARTIES, "anonymous": 404},
    "/agreements/{agreement}/edit/": PARTIES,
    "/agreements/{agreement}/documents/{document}/": PARTIES,
    "/events/": dict.fromkeys(AUDIENCES, 200),
    "/events/?when=past": dict.fromkeys(AUDIENCES, 200),
    "/events/new/": CONTRIBUTORS,
    "/events/public-visit/": dict.fromkeys(AUDIENCES, 200),
    "/events/public-visit/event.ics": dict.fromkeys(AUDIENCES, 200),
    "/events/public-visit/edit/": OWNER_EDITORS,
    "/events/public-visit/agenda/{agenda_item}/edit/": OWNER_EDITORS,
    "/events/public-visit/outcomes/{outcome}/edit/": OWNER_EDITORS,
    "/people/colleague/schedule/": dict.fromkeys(AUDIENCES, 200),
    "/people/colleague/schedule.ics": dict.fromkeys(AUDIENCES, 200),
    "/events/brokerage-day/": NETWORK,
    "/events/brokerage-day/brokerage/panel/": NETWORK,
    "/events/brokerage-day/brokerage/register/": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/participants/": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/me/": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/me/suggestions/": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/agenda/": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/agenda.ics": BROKERAGE_PARTICIPANTS,
    "/events/brokerage-day/brokerage/organize/": {**BROKERAGE_PARTICIPANTS, "outsider": 403},
    "/events/public-visit/brokerage/panel/": dict.fromkeys(AUDIENCES, 404),
    "/news/": dict.fromkeys(AUDIENCES, 200),
    "/news/public-news/": dict.fromkeys(AUDIENCES, 200),
    "/news/public-news/?language=ru": dict.fromkeys(AUDIENCES, 200),
    "/news/feed/en.atom": dict.fromkeys(AUDIENCES, 200),
    "/news/feed/xx.atom": dict.fromkeys(AUDIENCES, 404),
    "/news/new/": CONTRIBUTORS,
    "/news/public-news/edit/": OWNER_EDITORS,
    "/admin/": {
        "anonymous": 302,
        "loner": 302,
        "outsider": 302,
        "member": 302,
        "org_admin": 302,
        "staff_user": 200,
    },
}


@pytest.fixture
def world(request, organization, other_organization, staff_user):
    person = PersonFactory(slug="colleague")
    AffiliationFactory(person=person, organization=organization)
    project = project_create(
        actor=staff_user,
        owner=organization,
        kind="research",
        title="Public project",
        summary="Open research.",
        language="en",
        confidentiality="public",
        slug="public-project",
    )
    ip_asset_create(
        actor=staff_user,
        owner=organization,
        kind="patent",
        title="Public patent",
        number="RU 1 C1",
        jurisdiction="RU",
        status="granted",
        projects=[project],
        slug="public-patent",
    )
    offer_create(
        actor=staff_user,
        owner=organization,
        kind="mentoring",
        title="Public offer",
        description="Mentoring.",
        language="en",
        confidentiality="public",
        slug="public-offer",
    )
    partner = OrganizationFactory(slug="partner-park", name_en="Partner Park")
    cooperation = cooperation_create(
        actor=staff_user, organizations=[organization, partner], title="Joint lab"
    )
    agreement = agreement_create(
        actor=staff_user,
        owner=organization,
        parties=[organization, partner],
        kind="cooperation",
        title="Cooperation agreement",
        status="signed",
        signed_on=datetime.date(2026, 4, 15),
    )
    visit = event_create(
        actor=staff_user,
        host=organization,
        visiting_organizations=[partner],
        slug="public-visit",
        kind="delegation_visit",
        title="Public visit",
        starts_at=datetime.datetime(2026, 9, 15, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 9, 15, 11, tzinfo=datetime.UTC),
        confidentiality="public",
    )
    participant_add(actor=staff_user, event=visit, person=person, role="speaker")
    agenda_item = agenda_item_add(
        actor=staff_user,
        event=visit,
        starts_at=datetime.datetime(2026, 9, 15, 8, tzinfo=datetime.UTC),
        title="Research focus areas",
        speaker=person,
    )
    outcome = outcome_add(actor=staff_user, event=visit, text="Joint launch on the world market")
    brokerage_day = event_create(
        actor=staff_user,
        host=organization,
        slug="brokerage-day",
        kind="brokerage",
        title="Brokerage day",
        starts_at=datetime.datetime(2026, 12, 10, 6, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 12, 10, 15, tzinfo=datetime.UTC),
        confidentiality="network",
    )
    slots_generate(
        actor=staff_user,
        event=brokerage_day,
        day=datetime.date(2026, 12, 10),
        start=datetime.time(10),
        end=datetime.time(12),
    )
    news = news_create(
        actor=staff_user,
        publisher=organization,
        slug="public-news",
        texts=[{"language": "en", "title": "Public news", "body": "Text."}],
    )
    news_publish(actor=staff_user, item=news)
    document = document_upload(
        actor=staff_user,
        agreement=agreement,
        file=SimpleUploadedFile("signed.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    users = {
        name: None if name == "anonymous" else request.getfixturevalue(name) for name in AUDIENCES
    }
    # Pages of objects whose id the database chooses: "/pipeline/{cooperation}/".
    return {
        **users,
        "ids": {
            "agenda_item": agenda_item.pk,
            "outcome": outcome.pk,
            "cooperation": cooperation.pk,
            "agreement": agreement.pk,
            "document": document.pk,
        },
    }


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_answers_each_audience(world, audience, url):
    response = client_for(world[audience]).get(url.format(**world["ids"]))
    expected = PAGES[url][audience]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def _named_page_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if (
                pattern.namespace in {"admin"}
                or "i18n" in str(pattern.pattern)
                or "api" in str(pattern.pattern)
            ):
                continue
            yield from _named_page_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_page_route_is_in_the_matrix():
    """Adding a page without adding it to PAGES fails here."""
    covered_shapes = {
        "",
        "organizations/",
        "organizations/new/",
        "organizations/<slug:slug>/",
        "organizations/<slug:slug>/edit/",
        "organizations/<slug:slug>/members/",
        "people/",
        "people/new/",
        "people/<slug:slug>/",
        "people/<slug:slug>/edit/",
        "accounts/login/",
        "accounts/profile/",
        "accounts/password/change/",
        "accounts/password/reset/",
        "my/",
        "projects/",
        "projects/new/",
        "projects/import/",
        "projects/export.<str:file_format>",
        "projects/<slug:slug>/",
        "projects/<slug:slug>/edit/",
        "ip/",
        "ip/new/",
        "ip/<slug:slug>/",
        "ip/<slug:slug>/edit/",
        "offers/",
        "offers/new/",
        "offers/import/",
        "offers/export.<str:file_format>",
        "offers/<slug:slug>/",
        "offers/<slug:slug>/edit/",
        "matches/",
        "matches/<str:kind>/<slug:slug>/",
        "pipeline/",
        "pipeline/list/",
        "pipeline/new/",
        "pipeline/<int:pk>/",
        "pipeline/<int:pk>/edit/",
        "pipeline/<int:pk>/move/",
        "tasks/",
        "events/",
        "events/new/",
        "events/<slug:slug>/",
        "events/<slug:slug>/edit/",
        "events/<slug:slug>/event.ics",
        "events/<slug:slug>/agenda/<int:pk>/edit/",
        "events/<slug:slug>/outcomes/<int:pk>/edit/",
        "people/<slug:slug>/schedule/",
        "people/<slug:slug>/schedule.ics",
        "events/<slug:slug>/brokerage/panel/",
        "events/<slug:slug>/brokerage/register/",
        "events/<slug:slug>/brokerage/participants/",
        "events/<slug:slug>/brokerage/me/",
        "events/<slug:slug>/brokerage/me/suggestions/",
        "events/<slug:slug>/brokerage/agenda/",
        "events/<slug:slug>/brokerage/agenda.ics",
        "events/<slug:slug>/brokerage/organize/",
        "news/",
        "news/new/",
        "news/feed/<str:language>.atom",
        "news/<slug:slug>/",
        "news/<slug:slug>/edit/",
        "agreements/",
        "agreements/new/",
        "agreements/<int:pk>/",
        "agreements/<int:pk>/edit/",
        "agreements/<int:pk>/documents/<int:document_pk>/",
    }
    # POST-only actions and multi-step password pages are tested in their own modules.
    elsewhere = {
        "accounts/logout/",
        "accounts/tokens/",
        "accounts/tokens/<int:token_id>/revoke/",
        "accounts/password/change/done/",
        "accounts/password/reset/done/",
        "accounts/password/reset/<uidb64>/<token>/",
        "accounts/password/reset/complete/",
        "organizations/<slug:slug>/members/<int:membership_id>/remove/",
        "projects/<slug:slug>/delete/",
        "offers/<slug:slug>/delete/",
        "matches/<str:kind>/<slug:slug>/feedback/",
        # Tested in tests/pipeline/test_views.py.
        "pipeline/<int:pk>/delete/",
        "pipeline/<int:pk>/activities/",
        "pipeline/<int:pk>/activities/<int:activity_pk>/document/",
        "pipeline/<int:pk>/tasks/",
        "tasks/<int:pk>/done/",
        # Tested in tests/events/test_views.py (POST only).
        "events/<slug:slug>/delete/",
        "events/<slug:slug>/participants/",
        "events/<slug:slug>/participants/<int:pk>/remove/",
        "events/<slug:slug>/agenda/",
        "events/<slug:slug>/agenda/<int:pk>/delete/",
        "events/<slug:slug>/minutes/",
        "events/<slug:slug>/outcomes/",
        "events/<slug:slug>/outcomes/<int:pk>/delete/",
        "events/<slug:slug>/outcomes/<int:pk>/task/",
        "events/<slug:slug>/outcomes/<int:pk>/cooperation/",
        # Tested in tests/events/test_brokerage_views.py (POST only).
        "events/<slug:slug>/brokerage/requests/",
        "events/<slug:slug>/brokerage/requests/<int:pk>/answer/",
        "events/<slug:slug>/brokerage/requests/<int:pk>/cancel/",
        "events/<slug:slug>/brokerage/me/availability/",
        "events/<slug:slug>/brokerage/organize/settings/",
        "events/<slug:slug>/brokerage/organize/slots/",
        "events/<slug:slug>/brokerage/organize/slots/<int:pk>/delete/",
        "events/<slug:slug>/brokerage/organize/run/",
        "events/<slug:slug>/brokerage/organize/announce/",
        # Tested in tests/news/test_views.py (POST only).
        "news/<slug:slug>/publish/",
        "news/<slug:slug>/unpublish/",
        "news/<slug:slug>/delete/",
        # Tested in tests/agreements/test_views.py (POST only).
        "agreements/<int:pk>/delete/",
        "agreements/<int:pk>/documents/",
        "agreements/<int:pk>/documents/<int:document_pk>/delete/",
    }
    routes = {
        route
        for route in _named_page_routes(get_resolver().url_patterns)
        if not route.lstrip("^").startswith("media")
    }
    assert routes - covered_shapes - elsewhere == set()


def test_contacts_hidden_from_visitors_and_shown_to_members(world):
    person = PersonFactory(slug="secretive", email="hidden@contact.example")
    assert (
        "hidden@contact.example" not in client_for(None).get("/people/secretive/").content.decode()
    )
    assert (
        "hidden@contact.example"
        not in client_for(world["loner"]).get("/people/secretive/").content.decode()
    )
    assert (
        "hidden@contact.example"
        in client_for(world["outsider"]).get("/people/secretive/").content.decode()
    )
    assert person.email in client_for(world["member"]).get("/people/secretive/").content.decode()


def test_edit_link_only_for_those_who_may_edit(world):
    edit_url = "/organizations/polytech/edit/"
    assert (
        edit_url not in client_for(world["member"]).get("/organizations/polytech/").content.decode()
    )
    assert (
        edit_url in client_for(world["org_admin"]).get("/organizations/polytech/").content.decode()
    )
