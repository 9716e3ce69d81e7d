from __future__ import annotations

import json

import pytest
from django.test import Client

from parkbridge.accounts.services import api_token_create
from parkbridge.registry.models import Organization
from tests.conftest import client_for
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(actor=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, url: str, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def patch_json(client: Client, url: str, body: dict, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def test_list_is_paginated_and_filterable(db):
    for number in range(25):
        OrganizationFactory(
            slug=f"org-{number:02d}",
            name_en=f"Org {number:02d}",
            country="CN" if number % 5 == 0 else "RU",
        )
    client = Client()
    first = client.get("/api/v1/organizations").json()
    assert first["count"] == 25 and len(first["items"]) == 20
    second = client.get("/api/v1/organizations?page=2").json()
    assert len(second["items"]) == 5
    chinese = client.get("/api/v1/organizations?country=CN").json()
    assert chinese["count"] == 5
    assert {item["country"] for item in chinese["items"]} == {"CN"}


def test_detail_and_404(organization):
    client = Client()
    body = client.get("/api/v1/organizations/polytech").json()
    assert body["name"] == "Политех" and body["name_language"] == "ru"
    missing = client.get("/api/v1/organizations/nope")
    assert missing.status_code == 404 and missing.json()["detail"] == "Not found."


def test_invalid_query_parameter_is_a_422_naming_the_field(db):
    response = Client().get("/api/v1/organizations?kind=spaceship")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "kind"


def test_focus_area_tree(db):
    areas = Client().get("/api/v1/focus-areas").json()
    nano = next(area for area in areas if area["code"] == "2.10")
    assert nano["parent"] == "2" and nano["name_zh"] and nano["name_ru"]


def test_person_contacts_only_with_member_token(member, loner):
    person = PersonFactory(slug="li-wei", email="li@contact.example")
    anonymous = Client().get("/api/v1/people/li-wei").json()
    assert anonymous["contacts"] is None
    assert Client().get("/api/v1/people/li-wei", **bearer(loner)).json()["contacts"] is None
    as_member = Client().get("/api/v1/people/li-wei", **bearer(member)).json()
    assert as_member["contacts"]["email"] == person.email
    listed = Client().get("/api/v1/people", **bearer(member)).json()["items"][0]
    assert listed["contacts"]["email"] == person.email
    assert Client().get("/api/v1/people").json()["items"][0]["contacts"] is None


def test_create_organization_as_staff_with_token(staff_user):
    response = post_json(
        Client(),
        "/api/v1/organizations",
        {
            "name": "中关村科技园区",
            "name_language": "zh",
            "name_en": "Zhongguancun Science Park",
            "kind": "technology_park",
            "country": "cn",
            "focus_areas": ["1.2", "2.10"],
        },
        **bearer(staff_user),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "zhongguancun-science-park"
    assert body["country"] == "CN" and body["focus_areas"] == ["1.2", "2.10"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "name_en": "X", "kind": "technology_park"}, "country"),
        ({"name": "X", "name_en": "X", "kind": "rocket", "country": "CN"}, "kind"),
        (
            {
                "name": "X",
                "name_en": "X",
                "kind": "company",
                "country": "CN",
                "name_language": "xx",
            },
            "name_language",
        ),
    ],
)
def test_schema_errors_are_422_and_name_the_field(staff_user, body, field):
    response = post_json(Client(), "/api/v1/organizations", body, **bearer(staff_user))
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])


def test_model_validation_errors_are_400_with_field_messages(staff_user):
    response = post_json(
        Client(),
        "/api/v1/organizations",
        {
            "name": "X",
            "name_en": "X",
            "kind": "company",
            "country": "XX",
            "website": "not a url",
            "focus_areas": ["9.9"],
        },
        **bearer(staff_user),
    )
    assert response.status_code == 400
    assert "focus_areas" in response.json()["errors"]
    response = post_json(
        Client(),
        "/api/v1/organizations",
        {"name": "X", "name_en": "X", "kind": "company", "country": "XX", "website": "not a url"},
        **bearer(staff_user),
    )
    assert response.status_code == 400
    assert {"country", "website"} <= set(response.json()["errors"])
    assert not Organization.objects.filter(name="X").exists()


def test_anonymous_and_plain_members_may_not_create(member):
    body = {"name": "X", "name_en": "X", "kind": "company", "country": "DE"}
    anonymous = post_json(Client(), "/api/v1/organizations", body)
    assert anonymous.status_code == 401 and "detail" in anonymous.json()
    as_member = post_json(Client(), "/api/v1/organizations", body, **bearer(member))
    assert as_member.status_code == 403


def test_bad_or_revoked_token_is_401(member):
    from parkbridge.accounts.models import ApiToken
    from parkbridge.accounts.services import api_token_revoke

    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer pbk_nothing_here")
    assert response.status_code == 401
    headers = bearer(member)
    assert Client().get("/api/v1/me", **headers).json()["email"] == member.email
    api_token_revoke(actor=member, token=ApiToken.objects.get(user=member))
    assert Client().get("/api/v1/me", **headers).status_code == 401


def test_me_lists_memberships(org_admin):
    body = Client().get("/api/v1/me", **bearer(org_admin)).json()
    assert body["memberships"] == [
        {"organization": "polytech", "organization_name": "Polytech", "role": "admin"}
    ]
    assert Client().get("/api/v1/me").status_code == 401


def test_patch_by_org_admin_and_forbidden_for_outsider(org_admin, outsider, organization):
    response = patch_json(
        Client(),
        "/api/v1/organizations/polytech",
        {"city": "Wuxi", "focus_areas": ["2.5"]},
        **bearer(org_admin),
    )
    assert response.status_code == 200
    assert response.json()["city"] == "Wuxi" and response.json()["focus_areas"] == ["2.5"]
    denied = patch_json(
        Client(), "/api/v1/organizations/polytech", {"city": "X"}, **bearer(outsider)
    )
    assert denied.status_code == 403
    organization.refresh_from_db()
    assert organization.city == "Wuxi"


def test_session_writes_need_csrf(org_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_admin)
    response = patch_json(client, "/api/v1/organizations/polytech", {"city": "Nowhere"})
    assert response.status_code == 401
    client.get("/accounts/profile/")
    token = client.cookies["csrftoken"].value
    response = patch_json(
        client, "/api/v1/organizations/polytech", {"city": "Harbin"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and response.json()["city"] == "Harbin"


def test_people_filters_and_create(org_admin, organization):
    person = PersonFactory(slug="ivan", full_name="Иван", full_name_latin="Ivan", languages=["ru"])
    AffiliationFactory(person=person, organization=organization)
    client = client_for(None)
    assert client.get("/api/v1/people?organization=polytech").json()["count"] == 1
    assert client.get("/api/v1/people?language=zh").json()["count"] == 0
    response = post_json(
        Client(),
        "/api/v1/people",
        {
            "full_name": "王芳",
            "full_name_latin": "Wang Fang",
            "name_language": "zh",
            "languages": ["zh", "ru"],
            "affiliations": [{"organization": "polytech", "position": "Visiting researcher"}],
        },
        **bearer(org_admin),
    )
    assert response.status_code == 201, response.content
    assert response.json()["affiliations"][0]["organization"]["slug"] == "polytech"
    bad = post_json(
        Client(),
        "/api/v1/people",
        {"full_name": "A", "full_name_latin": "A", "affiliations": [{"organization": "missing"}]},
        **bearer(org_admin),
    )
    assert bad.status_code == 400 and "affiliations" in bad.json()["errors"]


def test_openapi_schema_documents_the_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/organizations" in schema["paths"]
    assert "/api/v1/people/{slug}" in schema["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
