"""Offer and request pages through the Django test client."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parkbridge.offers.models import Offer
from parkbridge.offers.services import offer_create
from parkbridge.registry.models import FocusArea
from tests.conftest import client_for
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

TODAY = timezone.localdate()


def _titles(html: str) -> set[str]:
    """The titles of the offers in a result list (the text before the language tag)."""
    return {
        title.strip()
        for title in re.findall(r'class="fw-semibold offer-title"[^>]*>([^<]+)<', html)
    }


@pytest.fixture
def contact(organization: Any) -> Any:
    person = PersonFactory(slug="anna", full_name="Анна Петрова", full_name_latin="Anna Petrova")
    AffiliationFactory(person=person, organization=organization)
    return person


@pytest.fixture
def offers(staff_user: Any, organization: Any, other_organization: Any, contact: Any) -> Any:
    """Offers of every visibility, kind and validity the tests look for."""
    materials = FocusArea.objects.get(code="2.5")
    return {
        "fund": offer_create(
            actor=staff_user,
            owner=organization,
            kind="investment",
            title="Seed fund for hardware",
            description="We invest in hardware startups from prototype onwards.",
            language="en",
            contact=contact,
            confidentiality="public",
            countries=["KZ", "UZ"],
            ticket_min=Decimal(100000),
            ticket_max=Decimal(500000),
            currency="USD",
            stages=["prototype", "pilot"],
            trl_min=3,
            trl_max=6,
            valid_from=TODAY - datetime.timedelta(days=30),
            valid_until=TODAY + datetime.timedelta(days=300),
            focus_areas=[materials],
        ),
        "secret": offer_create(
            actor=staff_user,
            owner=organization,
            kind="technology_request",
            title="Secret sensor request",
            description="Нужен датчик давления для нефтепроводов.",
            language="ru",
            confidentiality="restricted",
        ),
        "shared": offer_create(
            actor=staff_user,
            owner=organization,
            kind="mentoring",
            title="Shared mentoring",
            description="Mentoring for the partners under our NDA.",
            language="en",
            confidentiality="restricted",
            shared_with=[other_organization],
        ),
        "expired": offer_create(
            actor=staff_user,
            owner=other_organization,
            kind="manufacturing",
            title="Old factory capacity",
            description="Injection moulding capacity, booked out now.",
            language="en",
            confidentiality="network",
            trl_min=7,
            valid_until=TODAY - datetime.timedelta(days=1),
        ),
    }


# Visibility


@pytest.mark.parametrize("audience", [None, "loner", "outsider"])
def test_restricted_offer_is_hidden_from_those_outside(request, offers, audience):
    user = request.getfixturevalue(audience) if audience else None
    client = client_for(user)
    assert client.get("/offers/secret-sensor-request/").status_code == 404
    assert client.get("/offers/secret-sensor-request/edit/").status_code in {302, 404}
    assert "Secret sensor request" not in client.get("/offers/").content.decode()
    assert "secret-sensor-request" not in client.get("/offers/export.csv").content.decode()


def test_restricted_offer_is_shown_to_owner_members_and_shared_organizations(
    member, outsider, offers
):
    assert client_for(member).get("/offers/secret-sensor-request/").status_code == 200
    assert "Secret sensor request" in _titles(client_for(member).get("/offers/").content.decode())
    outsider_list = _titles(client_for(outsider).get("/offers/").content.decode())
    assert "Shared mentoring" in outsider_list and "Secret sensor request" not in outsider_list
    assert client_for(outsider).get("/offers/shared-mentoring/").status_code == 200
    export = client_for(outsider).get("/offers/export.csv").content.decode()
    assert "shared-mentoring" in export and "secret-sensor-request" not in export


def test_anonymous_visitors_see_public_offers_only(offers):
    titles = _titles(client_for(None).get("/offers/").content.decode())
    assert titles == {"Seed fund for hardware"}
    assert client_for(None).get("/offers/old-factory-capacity/").status_code == 404


# List and filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=investment", {"Seed fund for hardware"}),
        ("kind=technology_request", {"Secret sensor request"}),
        # KZ is in the fund's `countries`; its owner sits in Russia.
        ("country=KZ", {"Seed fund for hardware"}),
        ("country=UZ", {"Seed fund for hardware"}),
        # The owner's country counts too.
        ("country=CN", {"Old factory capacity"}),
        ("country=RU", {"Seed fund for hardware", "Secret sensor request", "Shared mentoring"}),
        # TRL 5 lies in 3–6 and below nothing; offers without a range fit any level.
        ("trl=5", {"Seed fund for hardware", "Secret sensor request", "Shared mentoring"}),
        ("trl=8", {"Old factory capacity", "Secret sensor request", "Shared mentoring"}),
        ("language=ru", {"Secret sensor request"}),
        ("q=hardware", {"Seed fund for hardware"}),
    ],
)
def test_filters(member, offers, query, expected):
    page = client_for(member).get(f"/offers/?{query}").content.decode()
    assert _titles(page) == expected


def test_current_only_leaves_out_expired_offers(member, offers):
    everything = _titles(client_for(member).get("/offers/").content.decode())
    current = _titles(client_for(member).get("/offers/?current=on").content.decode())
    assert "Old factory capacity" in everything
    assert current == everything - {"Old factory capacity"}


def test_filters_apply_to_the_export(member, offers):
    export = client_for(member).get("/offers/export.csv?kind=investment").content.decode()
    assert "seed-fund-for-hardware" in export and "old-factory-capacity" not in export


def test_htmx_request_gets_only_the_results(member, offers):
    client = client_for(member)
    full = client.get("/offers/?kind=mentoring").content.decode()
    partial = client.get("/offers/?kind=mentoring", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and 'hx-get="/offers/"' in full
    assert "<html" not in partial and _titles(partial) == {"Shared mentoring"}


def test_results_show_what_a_partner_needs_to_know(member, offers):
    page = client_for(member).get("/offers/").content.decode()
    fund = page[page.index("Seed fund for hardware") :]
    fund = fund[: fund.index("</a>")]
    assert "Investment offer" in fund and "Polytech" in fund and "Russia" in fund
    assert "Kazakhstan" in fund and "Uzbekistan" in fund
    assert "100 000 – 500 000 USD" in fund and "TRL 3–6" in fund
    assert "lang-tag" in fund and 'data-testid="expired"' not in fund
    old = page[page.index("Old factory capacity") :]
    old = old[: old.index("</a>")]
    assert 'data-testid="expired"' in old and "network" in old
    # Requests wear a different badge from offers, with a word as well as a colour.
    request = page[page.index("Secret sensor request") :]
    request = request[: request.index("</a>")]
    assert 'data-request="true"' in request and "Request" in request and "restricted" in request
    assert 'data-request="true"' not in fund


def test_contributors_get_add_and_import_buttons(member, loner, offers):
    assert "/offers/new/" in client_for(member).get("/offers/").content.decode()
    assert "/offers/import/" in client_for(member).get("/offers/").content.decode()
    for user in (loner, None):
        page = client_for(user).get("/offers/").content.decode()
        assert "/offers/new/" not in page and "/offers/import/" not in page
        assert "/offers/export.csv" in page


# Detail


def test_detail_shows_all_fields(member, offers, contact):
    page = client_for(member).get("/offers/seed-fund-for-hardware/").content.decode()
    assert "We invest in hardware startups" in page
    assert f'href="{contact.get_absolute_url()}"' in page and "Анна Петрова" in page
    assert "Kazakhstan" in page and "Prototype" in page and "Pilot" in page
    assert "TRL 3 – experimental proof of concept" in page
    assert (TODAY + datetime.timedelta(days=300)).isoformat() in page
    assert "?focus_area=2.5" in page
    assert 'data-testid="shared-with"' not in page  # not restricted


def test_shared_with_only_for_those_who_may_edit(member, outsider, offers):
    owner_page = client_for(member).get("/offers/shared-mentoring/").content.decode()
    assert 'data-testid="shared-with"' in owner_page and "Far Park" in owner_page
    partner_page = client_for(outsider).get("/offers/shared-mentoring/").content.decode()
    assert 'data-testid="shared-with"' not in partner_page


def test_edit_and_delete_buttons_follow_the_policy(member, org_admin, outsider, offers):
    url = "/offers/seed-fund-for-hardware/"
    member_page = client_for(member).get(url).content.decode()
    assert f"{url}edit/" in member_page and f"{url}delete/" not in member_page
    admin_page = client_for(org_admin).get(url).content.decode()
    assert f"{url}edit/" in admin_page and f"{url}delete/" in admin_page
    outsider_page = client_for(outsider).get(url).content.decode()
    assert f"{url}edit/" not in outsider_page and f"{url}delete/" not in outsider_page


# Create and edit


def _form_data(organization: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "investment",
        "owner": organization.pk,
        "title": "Growth capital for robotics",
        "description": "Series A tickets for robotics companies.",
        "language": "en",
        "contact": "",
        "focus_areas": [],
        "countries": ["KZ", "AE"],
        "ticket_min": "1000000",
        "ticket_max": "3000000",
        "currency": "USD",
        "stages": ["market_entry", "scaling"],
        "trl_min": "6",
        "trl_max": "9",
        "channels": "",
        "valid_from": "",
        "valid_until": "",
        "confidentiality": "network",
    }
    data.update(changes)
    return data


def test_member_adds_an_offer(member, organization, contact):
    response = client_for(member).post(
        "/offers/new/",
        _form_data(
            organization,
            language="",
            title="Рост капитала для робототехники",
            description="Инвестиции серии A в компании, которые делают промышленных роботов.",
            contact=contact.pk,
            focus_areas=[FocusArea.objects.get(code="2.5").pk],
            valid_until="2099-12-31",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = Offer.objects.get()
    assert response["Location"] == offer.get_absolute_url()
    assert offer.language == "ru"  # detected
    assert offer.contact == contact and offer.created_by == member
    assert {str(code) for code in offer.countries} == {"AE", "KZ"}
    assert offer.stages == ["market_entry", "scaling"]
    assert offer.valid_until == datetime.date(2099, 12, 31)
    assert list(offer.focus_areas.values_list("code", flat=True)) == ["2.5"]


def test_failed_create_keeps_what_was_typed_and_shows_field_errors(member, organization):
    response = client_for(member).post(
        "/offers/new/",
        _form_data(
            organization,
            title="Typed title stays",
            ticket_min="5000000",
            ticket_max="100",
            valid_from="2030-05-01",
            valid_until="2030-01-01",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Typed title stays"' in page and "Series A tickets for robotics" in page
    assert 'value="5000000"' in page and 'value="2030-05-01"' in page
    assert re.search(r'<option value="KZ" selected>', page)
    assert re.search(r'value="scaling"[^>]*checked', page)
    # The service's errors stand on their fields.
    assert re.search(r'name="ticket_max"[^>]*is-invalid|is-invalid[^>]*name="ticket_max"', page)
    assert re.search(r'name="valid_until"[^>]*is-invalid|is-invalid[^>]*name="valid_until"', page)
    assert "The upper ticket is below the lower one." in page
    assert "The offer ends before it starts." in page
    assert not Offer.objects.exists()


def test_investment_offer_needs_a_ticket(member, organization):
    response = client_for(member).post(
        "/offers/new/", _form_data(organization, ticket_min="", ticket_max="", currency="")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "An investment offer states its ticket size." in page
    assert not Offer.objects.exists()


def test_owner_and_contact_are_limited_to_the_users_organizations(
    member, organization, other_organization
):
    stranger = PersonFactory(slug="stranger", full_name="Stranger Person")
    AffiliationFactory(person=stranger, organization=other_organization)
    page = client_for(member).get("/offers/new/").content.decode()
    assert "Far Park" not in page.split('name="owner"')[1].split("</select>")[0]
    assert "Stranger Person" not in page
    response = client_for(member).post(
        "/offers/new/", _form_data(other_organization, contact=stranger.pk)
    )
    assert response.status_code == 200
    errors = re.findall(
        r'<div class="invalid-feedback d-block">([^<]+)</div>', response.content.decode()
    )
    assert len(errors) == 2 and all("Select a valid choice" in error for error in errors)
    assert not Offer.objects.exists()


def test_only_contributors_may_add(loner):
    assert client_for(loner).get("/offers/new/").status_code == 403
    response = client_for(None).get("/offers/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edit_shows_the_stored_values_and_saves(member, offers):
    client = client_for(member)
    page = client.get("/offers/seed-fund-for-hardware/edit/").content.decode()
    assert 'value="Seed fund for hardware"' in page
    assert re.search(r'<option value="KZ" selected>', page)
    assert re.search(r'value="prototype"[^>]*checked', page)
    assert re.search(r'name="valid_until"[^>]*value="\d{4}-\d{2}-\d{2}"', page)
    offer = offers["fund"]
    response = client.post(
        "/offers/seed-fund-for-hardware/edit/",
        _form_data(
            offer.owner,
            kind="investment",
            title="Seed fund for hardware, renewed",
            description=offer.description,
            countries=["KZ"],
        ),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Seed fund for hardware, renewed"
    assert [str(code) for code in offer.countries] == ["KZ"]


def test_edit_is_for_owner_members_only(outsider, offers):
    client = client_for(outsider)
    assert client.get("/offers/old-factory-capacity/edit/").status_code == 200
    assert client.get("/offers/seed-fund-for-hardware/edit/").status_code == 403
    assert client.get("/offers/secret-sensor-request/edit/").status_code == 404


def test_failed_edit_changes_nothing(member, offers):
    response = client_for(member).post(
        "/offers/seed-fund-for-hardware/edit/",
        _form_data(offers["fund"].owner, title="Changed", trl_min="8", trl_max="2"),
    )
    assert response.status_code == 200
    assert "The upper TRL is below the lower one." in response.content.decode()
    assert Offer.objects.get(pk=offers["fund"].pk).title == "Seed fund for hardware"


# Delete


def test_delete_is_for_admins_of_the_owner(member, org_admin, offers):
    url = "/offers/seed-fund-for-hardware/delete/"
    assert client_for(member).post(url).status_code == 403
    assert client_for(org_admin).get(url).status_code == 405
    response = client_for(org_admin).post(url)
    assert response.status_code == 302 and response["Location"] == "/offers/"
    assert not Offer.objects.filter(slug="seed-fund-for-hardware").exists()


def test_delete_of_an_invisible_offer_is_not_found(outsider, offers):
    assert client_for(outsider).post("/offers/secret-sensor-request/delete/").status_code == 404
    assert Offer.objects.filter(slug="secret-sensor-request").exists()


# Import and export

HEADER = "kind,title,description,owner,countries,ticket_min,ticket_max,currency,language\n"


def _upload(text: str, name: str = "offers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_import_preview_shows_row_errors_and_imports_nothing(member, organization):
    content = (
        HEADER
        + "mentoring,Mentoring for founders,Weekly sessions.,polytech,,,,,en\n"
        + "investment,Fund without ticket,Money.,polytech,,,,,en\n"
        + "mentoring,Someone else's,Not ours.,no-such-park,,,,,en\n"
    )
    client = client_for(member)
    response = client.post("/offers/import/", {"file": _upload(content)})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-report"' in page
    assert "2 rows have problems" in page
    assert "An investment offer states its ticket size." in page
    assert "No organization no-such-park." in page
    assert 'name="token"' not in page
    assert not Offer.objects.exists()


def test_valid_import_lands_every_row(member, organization):
    content = (
        HEADER
        + "mentoring,Mentoring for founders,Weekly sessions.,polytech,,,,,en\n"
        + 'investment,Seed tickets,Early money.,polytech,"KZ; UZ",50000,250000,USD,en\n'
    )
    client = client_for(member)
    preview = client.post("/offers/import/", {"file": _upload(content)}).content.decode()
    assert "All 2 rows can be imported." in preview
    assert not Offer.objects.exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview).group(1)
    response = client.post("/offers/import/", {"token": token, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/offers/"
    assert set(Offer.objects.values_list("title", flat=True)) == {
        "Mentoring for founders",
        "Seed tickets",
    }
    seed = Offer.objects.get(title="Seed tickets")
    assert {str(code) for code in seed.countries} == {"KZ", "UZ"}
    assert seed.ticket_max == 250000 and seed.created_by == member


def test_import_is_for_contributors_only(loner):
    assert client_for(loner).get("/offers/import/").status_code == 403


def test_csv_export_round_trips_through_import(member, offers):
    client = client_for(member)
    exported = client.get("/offers/export.csv")
    assert exported["Content-Type"].startswith("text/csv")
    assert 'filename="offers.csv"' in exported["Content-Disposition"]
    before = {
        offer.slug: (
            offer.kind,
            offer.title,
            offer.description,
            offer.language,
            offer.owner_id,
            offer.contact_id,
            offer.valid_from,
            offer.valid_until,
            offer.confidentiality,
            sorted(str(code) for code in offer.countries),
            offer.ticket_min,
            offer.ticket_max,
            offer.currency,
            offer.stages,
            offer.trl_min,
            offer.trl_max,
            sorted(offer.shared_with.values_list("slug", flat=True)),
            sorted(offer.focus_areas.values_list("code", flat=True)),
        )
        for offer in Offer.objects.filter(owner__slug="polytech")
    }
    Offer.objects.all().delete()
    # The member's organization owns everything it may re-import; the other park's rows are
    # left out of the file (the member may not publish for them).
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["owner"] for row in rows} == {"polytech", "far-park"}
    own = io.StringIO()
    writer = csv.DictWriter(own, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(row for row in rows if row["owner"] == "polytech")
    content = own.getvalue()
    preview = client.post("/offers/import/", {"file": _upload(content)}).content.decode()
    assert f"All {len(before)} rows can be imported." in preview, preview
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview).group(1)
    assert client.post("/offers/import/", {"token": token}).status_code == 302
    after = {
        offer.slug: (
            offer.kind,
            offer.title,
            offer.description,
            offer.language,
            offer.owner_id,
            offer.contact_id,
            offer.valid_from,
            offer.valid_until,
            offer.confidentiality,
            sorted(str(code) for code in offer.countries),
            offer.ticket_min,
            offer.ticket_max,
            offer.currency,
            offer.stages,
            offer.trl_min,
            offer.trl_max,
            sorted(offer.shared_with.values_list("slug", flat=True)),
            sorted(offer.focus_areas.values_list("code", flat=True)),
        )
        for offer in Offer.objects.all()
    }
    assert after == before


def test_xlsx_export_and_unknown_format(member, offers):
    response = client_for(member).get("/offers/export.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client_for(member).get("/offers/export.pdf").status_code == 404


def test_owner_is_preselected(member, staff_user, organization):
    # A member of one organization publishes for it; a link may name the owner.
    page = client_for(member).get("/offers/new/").content.decode()
    assert re.search(rf'<option value="{organization.pk}" selected>', page)
    OrganizationFactory(slug="second", name_en="Second")
    page = client_for(staff_user).get("/offers/new/").content.decode()
    assert not re.search(rf'<option value="{organization.pk}" selected>', page)
    page = client_for(staff_user).get("/offers/new/?owner=polytech").content.decode()
    assert re.search(rf'<option value="{organization.pk}" selected>', page)
