"""Agreement pages and the dashboard reminder, through the Django test client."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parkbridge.agreements.models import Agreement, AgreementDocument
from tests.agreements.conftest import days, make_agreement, make_project, signed
from tests.agreements.test_documents import EXE, PDF
from tests.conftest import client_for

AUDIENCES = ["anonymous", "loner", "outsider", "member", "partner_member", "staff_user"]
PAGES = {
    "list": dict.fromkeys(AUDIENCES, 200),
    "create": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 200,
        "member": 200,
        "partner_member": 200,
        "staff_user": 200,
    },
    "restricted": {
        "anonymous": 404,
        "loner": 404,
        "outsider": 404,
        "member": 200,
        "partner_member": 200,
        "staff_user": 200,
    },
    "restricted_edit": {
        "anonymous": "login",
        "loner": 404,
        "outsider": 404,
        "member": 200,
        "partner_member": 200,
        "staff_user": 200,
    },
    "public": dict.fromkeys(AUDIENCES, 200),
    "public_edit": {
        "anonymous": "login",
        "loner": 403,
        "outsider": 403,
        "member": 200,
        "partner_member": 200,
        "staff_user": 200,
    },
}


@pytest.fixture
def agreements(staff_user, organization, partner):
    return {
        level: make_agreement(
            staff_user,
            organization,
            [organization, partner],
            title=f"Agreement {level}",
            confidentiality=level,
            **signed(valid_until=days(12)),
        )
        for level in ("restricted", "public")
    }


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_for_every_audience(request, audience, agreements, loner, outsider):
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    client = client_for(user)
    urls = {
        "list": "/agreements/",
        "create": "/agreements/new/",
        "restricted": f"/agreements/{agreements['restricted'].pk}/",
        "restricted_edit": f"/agreements/{agreements['restricted'].pk}/edit/",
        "public": f"/agreements/{agreements['public'].pk}/",
        "public_edit": f"/agreements/{agreements['public'].pk}/edit/",
    }
    for name, url in urls.items():
        response = client.get(url)
        expected = PAGES[name][audience]
        if expected == "login":
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected, url


def _titles(html: str) -> set[str]:
    return {
        title.strip()
        for title in re.findall(r'class="fw-semibold agreement-title"[^>]*>([^<]+)<', html)
    }


def test_list_filters_and_htmx_partial(member, agreements, organization, partner):
    make_agreement(member, organization, [organization, partner], kind="nda", title="Our NDA")
    client = client_for(member)
    page = client.get("/agreements/").content.decode()
    assert _titles(page) == {"Agreement restricted", "Agreement public", "Our NDA"}
    assert "In force · expires in 12 days" in page
    partial = client.get("/agreements/?kind=nda", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert _titles(partial.content.decode()) == {"Our NDA"}
    expiring = client.get("/agreements/?validity=expiring").content.decode()
    assert _titles(expiring) == {"Agreement restricted", "Agreement public"}
    assert _titles(client_for(None).get("/agreements/").content.decode()) == {"Agreement public"}


def test_detail_shows_parties_dates_links_and_status(member, organization, partner):
    project = make_project(member, organization, slug="secret", title="Secret coating")
    nda = make_agreement(
        member,
        organization,
        [organization, partner],
        kind="nda",
        title="Mutual NDA",
        granted_projects=[project],
        projects=[project],
        **signed(valid_from=days(-400), valid_until=days(-3)),
    )
    html = client_for(member).get(f"/agreements/{nda.pk}/").content.decode()
    assert "Wuxi Park" in html and "Polytech" in html
    assert "Saint Petersburg" in html
    assert 'data-state="expired"' in html
    assert "Secret coating" in html
    assert "The NDA is not in force: it opens no project now." in html
    assert 'data-testid="upload-form"' in html


def test_create_keeps_input_on_error_and_then_saves(
    member, organization, partner, other_organization
):
    client = client_for(member)
    form = {
        "kind": "cooperation",
        "title": "Соглашение о сотрудничестве с Уси",
        "summary": "Совместная лаборатория водородной энергетики.",
        "language": "",
        "owner": organization.pk,
        # The registering organization forgot itself among the parties.
        "parties": [partner.pk, other_organization.pk],
        "status": "signed",
        "signed_on": "2026-04-15",
        "signed_place": "Уси",
        "valid_from": "2026-04-15",
        "valid_until": "2031-04-14",
        "remind_days_before": "90",
        "confidentiality": "restricted",
    }
    response = client.post("/agreements/new/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The registering organization must be one of the parties." in html
    assert "Соглашение о сотрудничестве с Уси" in html
    assert "Совместная лаборатория водородной энергетики." in html
    assert 'value="2031-04-14"' in html
    assert not Agreement.objects.exists()

    response = client.post("/agreements/new/", {**form, "parties": [organization.pk, partner.pk]})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/{agreement.pk}/"
    assert agreement.language == "ru"
    assert agreement.signed_place == "Уси"


def test_create_form_offers_only_what_the_user_may_choose(
    member, outsider, organization, other_organization
):
    make_project(outsider, other_organization, slug="far-secret", title="Far secret")
    make_project(member, organization, slug="ours", title="Our secret")
    html = client_for(member).get("/agreements/new/").content.decode()
    assert "Far secret" not in html
    assert "Our secret" in html


def test_edit_by_the_other_party_keeps_the_owner(
    member, partner_member, organization, partner, staff_user
):
    agreement = make_agreement(member, organization, [organization, partner])
    client = client_for(partner_member)
    assert client.get(f"/agreements/{agreement.pk}/edit/").status_code == 200
    response = client.post(
        f"/agreements/{agreement.pk}/edit/",
        {
            "kind": "memorandum",
            "title": "Memorandum of understanding",
            "language": "en",
            "owner": organization.pk,
            "parties": [organization.pk, partner.pk],
            "status": "negotiation",
            "remind_days_before": "60",
            "confidentiality": "restricted",
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.owner) == ("memorandum", organization)


def test_delete(member, org_admin, organization, partner):
    agreement = make_agreement(member, organization, [organization, partner])
    assert client_for(member).post(f"/agreements/{agreement.pk}/delete/").status_code == 403
    response = client_for(org_admin).post(f"/agreements/{agreement.pk}/delete/")
    assert response.status_code == 302
    assert not Agreement.objects.exists()


def test_document_upload_page(member, outsider, organization, partner):
    agreement = make_agreement(member, organization, [organization, partner])
    client = client_for(member)
    url = f"/agreements/{agreement.pk}/documents/"
    refused = client.post(url, {"title": "Setup", "file": SimpleUploadedFile("setup.pdf", EXE)})
    assert refused.status_code == 400
    assert "content is not a PDF file" in refused.content.decode()
    assert 'value="Setup"' in refused.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("signed.pdf", PDF)})
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    html = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert f"/agreements/{agreement.pk}/documents/{document.pk}/" in html
    assert client_for(outsider).post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code
    assert AgreementDocument.objects.count() == 1
    delete_url = f"/agreements/{agreement.pk}/documents/{document.pk}/delete/"
    assert client.post(delete_url).status_code == 302
    assert not AgreementDocument.objects.exists()


def test_public_agreement_lists_no_documents_for_non_parties(
    member, outsider, organization, partner
):
    agreement = make_agreement(
        member, organization, [organization, partner], confidentiality="public"
    )
    client_for(member).post(
        f"/agreements/{agreement.pk}/documents/",
        {"file": SimpleUploadedFile("signed.pdf", PDF)},
    )
    html = client_for(outsider).get(f"/agreements/{agreement.pk}/").content.decode()
    assert "1 document, available to the parties only." in html
    assert "/documents/" not in html


def test_dashboard_reminds_of_expiring_agreements(
    member, partner_member, outsider, staff_user, organization, partner
):
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        title="Expiring cooperation",
        remind_days_before=30,
        **signed(valid_until=days(25)),
    )
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        title="Long licence",
        remind_days_before=30,
        **signed(valid_until=days(200)),
    )
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        title="Lapsed memorandum",
        **signed(valid_from=days(-400), valid_until=days(-10)),
    )
    for user in (member, partner_member):
        html = client_for(user).get("/my/").content.decode()
        assert "Agreements expiring soon" in html
        assert "Expiring cooperation" in html
        assert "In force · expires in 25 days" in html
        assert "Lapsed memorandum" in html
        assert "Long licence" not in html
    html = client_for(outsider).get("/my/").content.decode()
    assert "Agreements expiring soon" in html
    assert "Expiring cooperation" not in html
    assert "No agreement of your organizations expires soon." in html
