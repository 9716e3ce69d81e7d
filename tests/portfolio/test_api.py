from __future__ import annotations

import io
import json

from django.test import Client

from parkbridge.portfolio.models import Project
from tests.factories import PersonFactory
from tests.registry.test_api import bearer, patch_json, post_json

PROJECT = {
    "kind": "startup",
    "title": "氢燃料电池无人机",
    "summary": "为物流无人机开发轻量化氢燃料电池系统。",
    "owner": "polytech",
    "confidentiality": "restricted",
    "shared_with": ["far-park"],
    "focus_areas": ["2.7.8"],
    "keywords": ["氢能", "无人机"],
    "trl": 5,
    "stage": "prototype",
    "team_size": 6,
    "needs": [
        {"kind": "investment", "amount_min": 1000000, "amount_max": 5000000, "currency": "CNY"},
        {"kind": "market_access", "countries": ["ru", "kz"]},
    ],
    "participants": [{"organization": "far-park", "role": "industrial_partner"}],
    "translations": [{"language": "en", "title": "Hydrogen drones", "summary": "Fuel cells."}],
}


def test_create_read_update_delete(member, org_admin, other_organization):
    PersonFactory(slug="wang-fang")
    response = post_json(
        Client(),
        "/api/v1/projects",
        {**PROJECT, "team": [{"person": "wang-fang", "role": "CTO"}]},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["language"] == "zh"
    assert body["shared_with"] == ["far-park"]
    assert body["needs"][1]["countries"] == ["KZ", "RU"] or set(body["needs"][1]["countries"]) == {
        "RU",
        "KZ",
    }
    assert body["team"] == [{"person": "wang-fang", "role": "CTO"}]
    slug = body["slug"]

    patched = patch_json(
        Client(), f"/api/v1/projects/{slug}", {"trl": 6, "stage": "pilot"}, **bearer(member)
    )
    assert patched.status_code == 200
    assert (patched.json()["trl"], patched.json()["stage"]) == (6, "pilot")
    assert patched.json()["needs"][0]["kind"] == "investment"  # untouched lists stay

    assert Client().delete(f"/api/v1/projects/{slug}", **bearer(member)).status_code == 403
    assert Client().delete(f"/api/v1/projects/{slug}", **bearer(org_admin)).status_code == 204
    assert not Project.objects.exists()


def test_errors_are_json_with_fields(member, other_organization):
    bad = post_json(Client(), "/api/v1/projects", {**PROJECT, "trl": 11}, **bearer(member))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "trl"
    invalid_need = post_json(
        Client(),
        "/api/v1/projects",
        {**PROJECT, "needs": [{"kind": "investment", "currency": "CNY"}]},
        **bearer(member),
    )
    assert invalid_need.status_code == 400 and "needs" in invalid_need.json()["errors"]
    foreign = post_json(
        Client(),
        "/api/v1/projects",
        {**PROJECT, "owner": "far-park", "shared_with": []},
        **bearer(member),
    )
    assert foreign.status_code == 403
    missing_owner = post_json(
        Client(), "/api/v1/projects", {**PROJECT, "owner": "nowhere"}, **bearer(member)
    )
    assert missing_owner.status_code == 400 and "owner" in missing_owner.json()["errors"]
    assert not Project.objects.exists()


def test_filters(member, other_organization):
    post_json(
        Client(),
        "/api/v1/projects",
        {**PROJECT, "confidentiality": "public", "shared_with": []},
        **bearer(member),
    )
    client = Client()
    assert client.get("/api/v1/projects?need=investment&trl_min=5&language=zh").json()["count"] == 1
    assert client.get("/api/v1/projects?need=licensee").json()["count"] == 0
    assert client.get("/api/v1/projects?focus_area=2.7").json()["count"] == 1
    assert client.get("/api/v1/projects?q=无人机").json()["count"] == 1
    assert client.get("/api/v1/projects?trl_min=0").status_code == 422


def test_import_through_the_api(member, other_organization):
    content = (
        b"kind,title,summary,owner,trl\n"
        b"research,Detector,Neutron detector research,polytech,4\n"
        b"research,Broken,Bad trl,polytech,14\n"
    )
    upload = io.BytesIO(content)
    upload.name = "projects.csv"
    response = Client().post("/api/v1/projects/import", {"file": upload}, **bearer(member))
    assert response.status_code == 400
    body = response.json()
    assert body["committed"] is False and body["error_count"] == 1
    assert body["rows"][1]["row"] == 3 and body["rows"][1]["errors"]
    assert not Project.objects.exists()
    good = io.BytesIO(content.split(b"\nresearch,Broken")[0] + b"\n")
    good.name = "projects.csv"
    dry = Client().post("/api/v1/projects/import?dry_run=true", {"file": good}, **bearer(member))
    assert dry.status_code == 200 and dry.json()["committed"] is False
    good.seek(0)
    done = Client().post("/api/v1/projects/import", {"file": good}, **bearer(member))
    assert done.status_code == 200 and json.loads(done.content)["committed"] is True
    assert Project.objects.get().title == "Detector"


def test_ip_asset_crud(member, org_admin, outsider):
    project = post_json(
        Client(),
        "/api/v1/projects",
        {**PROJECT, "confidentiality": "network", "shared_with": [], "participants": []},
        **bearer(member),
    ).json()
    created = post_json(
        Client(),
        "/api/v1/ip-assets",
        {
            "kind": "patent_application",
            "title": "Fuel cell stack",
            "number": "CN 116123456 A",
            "jurisdiction": "CN",
            "status": "pending",
            "owner": "polytech",
            "projects": [project["slug"]],
            "filing_date": "2024-03-01",
        },
        **bearer(member),
    )
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    granted = patch_json(
        Client(),
        f"/api/v1/ip-assets/{slug}",
        {"kind": "patent", "status": "granted", "grant_date": "2025-06-01"},
        **bearer(member),
    )
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    bad = patch_json(
        Client(), f"/api/v1/ip-assets/{slug}", {"grant_date": "2020-01-01"}, **bearer(member)
    )
    assert bad.status_code == 400 and "grant_date" in bad.json()["errors"]
    assert (
        patch_json(
            Client(), f"/api/v1/ip-assets/{slug}", {"title": "x"}, **bearer(outsider)
        ).status_code
        == 403
    )
    assert Client().delete(f"/api/v1/ip-assets/{slug}", **bearer(member)).status_code == 403
    assert Client().delete(f"/api/v1/ip-assets/{slug}", **bearer(org_admin)).status_code == 204
