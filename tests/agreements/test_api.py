from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parkbridge.agreements.models import Agreement
from parkbridge.pipeline.models import Cooperation
from tests.agreements.conftest import days, make_agreement, make_project, signed
from tests.agreements.test_documents import EXE, PDF
from tests.registry.test_api import bearer, patch_json, post_json

AGREEMENT = {
    "kind": "cooperation",
    "title": "合作协议",
    "summary": "双方在氢能领域开展联合研究。",
    "owner": "polytech",
    "parties": ["polytech", "wuxi-park"],
    "status": "signed",
    "signed_on": "2026-04-15",
    "signed_place": "Wuxi",
    "valid_from": "2026-04-15",
    "valid_until": "2031-04-14",
    "remind_days_before": 90,
}


def test_create_read_update_delete(member, org_admin, partner_member, organization, partner):
    cooperation = Cooperation.objects.create(title="Hydrogen drones")
    cooperation.organizations.set([organization, partner])
    response = post_json(
        Client(),
        "/api/v1/agreements",
        {**AGREEMENT, "cooperations": [cooperation.pk]},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["language"] == "zh"
    assert body["parties"] == ["polytech", "wuxi-park"]
    assert body["confidentiality"] == "restricted"
    assert body["documents"] == []
    assert body["cooperations"] == [cooperation.pk]
    pk = body["id"]

    patched = patch_json(
        Client(),
        f"/api/v1/agreements/{pk}",
        {"status": "terminated", "valid_until": None},
        **bearer(partner_member),
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["status"], patched.json()["valid_until"]) == ("terminated", None)
    assert patched.json()["is_in_force"] is False
    assert patched.json()["parties"] == ["polytech", "wuxi-park"]  # untouched links stay

    assert Client().delete(f"/api/v1/agreements/{pk}", **bearer(member)).status_code == 403
    assert Client().delete(f"/api/v1/agreements/{pk}", **bearer(org_admin)).status_code == 204
    assert not Agreement.objects.exists()


def test_errors_are_json(member, outsider, loner, partner):
    client = Client()
    one_party = post_json(
        client, "/api/v1/agreements", {**AGREEMENT, "parties": ["polytech"]}, **bearer(member)
    )
    assert one_party.status_code in (400, 422)
    not_a_party = post_json(
        client,
        "/api/v1/agreements",
        {**AGREEMENT, "parties": ["wuxi-park", "far-park"]},
        **bearer(member),
    )
    assert not_a_party.status_code == 400
    assert "owner" in not_a_party.json()["errors"]
    unsigned = post_json(
        client, "/api/v1/agreements", {**AGREEMENT, "signed_on": None}, **bearer(member)
    )
    assert unsigned.status_code == 400
    assert "signed_on" in unsigned.json()["errors"]
    unknown = post_json(
        client,
        "/api/v1/agreements",
        {**AGREEMENT, "parties": ["polytech", "nowhere"]},
        **bearer(member),
    )
    assert unknown.status_code == 400
    assert post_json(client, "/api/v1/agreements", AGREEMENT, **bearer(outsider)).status_code == 403
    assert post_json(client, "/api/v1/agreements", AGREEMENT, **bearer(loner)).status_code == 403
    assert post_json(client, "/api/v1/agreements", AGREEMENT).status_code == 401
    assert not Agreement.objects.exists()


def test_invisible_projects_answer_like_missing_ones(
    member, outsider, organization, partner, other_organization
):
    make_project(outsider, other_organization, slug="far-secret")
    response = post_json(
        Client(),
        "/api/v1/agreements",
        {**AGREEMENT, "projects": ["far-secret"]},
        **bearer(member),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["projects"] == ["No project far-secret."]


def test_nda_grant_through_the_api(member, partner_member, organization, partner):
    make_project(member, organization, slug="zircon-secret")
    response = post_json(
        Client(),
        "/api/v1/agreements",
        {
            **AGREEMENT,
            "kind": "nda",
            "valid_until": days(30).isoformat(),
            "granted_projects": ["zircon-secret"],
        },
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    assert response.json()["granted_projects"] == ["zircon-secret"]
    project = Client().get("/api/v1/projects/zircon-secret", **bearer(partner_member))
    assert project.status_code == 200
    refused = patch_json(
        Client(),
        f"/api/v1/agreements/{response.json()['id']}",
        {"kind": "licence", "granted_projects": ["zircon-secret"]},
        **bearer(member),
    )
    assert refused.status_code == 400
    assert "granted_projects" in refused.json()["errors"]


def test_list_filters_and_visibility(member, outsider, staff_user, organization, partner):
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        kind="nda",
        title="Restricted NDA",
        **signed(valid_until=days(20)),
    )
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        kind="memorandum",
        title="Public memorandum",
        confidentiality="public",
    )

    def titles(client, query="", **headers):
        response = client.get(f"/api/v1/agreements{query}", **headers)
        assert response.status_code == 200
        return {item["title"] for item in response.json()["items"]}

    assert titles(Client()) == {"Public memorandum"}
    assert titles(Client(), **bearer(outsider)) == {"Public memorandum"}
    assert titles(Client(), **bearer(member)) == {"Restricted NDA", "Public memorandum"}
    assert titles(Client(), "?kind=nda", **bearer(member)) == {"Restricted NDA"}
    assert titles(Client(), "?status=draft", **bearer(member)) == {"Public memorandum"}
    assert titles(Client(), "?validity=expiring&within_days=30", **bearer(member)) == {
        "Restricted NDA"
    }
    assert titles(Client(), "?party=far-park", **bearer(member)) == set()
    expiring = Client().get("/api/v1/agreements/expiring", **bearer(member)).json()
    assert [item["title"] for item in expiring] == ["Restricted NDA"]
    assert expiring[0]["days_until_expiry"] == 20


def test_detail_hides_restricted_and_documents_from_non_parties(
    member, outsider, staff_user, organization, partner
):
    restricted = make_agreement(staff_user, organization, [organization, partner])
    public = make_agreement(
        staff_user, organization, [organization, partner], confidentiality="public"
    )
    assert Client().get(f"/api/v1/agreements/{restricted.pk}").status_code == 404
    assert (
        Client().get(f"/api/v1/agreements/{restricted.pk}", **bearer(outsider)).status_code == 404
    )
    assert Client().get(f"/api/v1/agreements/{public.pk}").json()["documents"] is None
    assert (
        Client().get(f"/api/v1/agreements/{public.pk}", **bearer(member)).json()["documents"] == []
    )


def test_document_upload_and_download(member, partner_member, outsider, organization, partner):
    agreement = make_agreement(member, organization, [organization, partner])
    url = f"/api/v1/agreements/{agreement.pk}/documents"
    response = Client().post(
        url,
        {"file": SimpleUploadedFile("signed.pdf", PDF), "title": "Signed original"},
        **bearer(partner_member),
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["title"], document["file_name"], document["size"]) == (
        "Signed original",
        "signed.pdf",
        len(PDF),
    )
    download = Client().get(document["download_url"], **bearer(member))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    renamed = Client().post(
        url, {"file": SimpleUploadedFile("contract.pdf", EXE)}, **bearer(member)
    )
    assert renamed.status_code == 400
    assert "not a PDF" in renamed.json()["errors"]["file"][0]
    assert (
        Client()
        .post(url, {"file": SimpleUploadedFile("signed.pdf", PDF)}, **bearer(outsider))
        .status_code
        == 404
    )

    detail = Client().get(f"/api/v1/agreements/{agreement.pk}", **bearer(member)).json()
    assert [item["title"] for item in detail["documents"]] == ["Signed original"]
    assert Client().delete(document["download_url"], **bearer(outsider)).status_code == 404
    assert Client().delete(document["download_url"], **bearer(member)).status_code == 204
    assert Client().get(document["download_url"], **bearer(member)).status_code == 404
