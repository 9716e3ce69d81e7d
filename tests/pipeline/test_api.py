from __future__ import annotations

import json
from typing import Any

from parkbridge.pipeline.models import Cooperation
from tests.conftest import client_for

API = "/api/v1"


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def test_anonymous_gets_a_json_403(db: Any) -> None:
    response = client_for(None).get(f"{API}/cooperations")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_create_move_and_read_the_timeline(member: Any, organization: Any, partner: Any) -> None:
    client = client_for(member)
    created = _post(
        client,
        "/cooperations",
        {
            "title": "Joint lab",
            "organizations": ["polytech", "wuxi-park"],
            "value": "250000",
            "currency": "CNY",
            "next_step": "Visit",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["organizations"] == ["polytech", "wuxi-park"]

    bad = _post(client, f"/cooperations/{pk}/move", {"stage": "closed_lost"})
    assert bad.status_code == 400
    assert "lost_reason" in json.dumps(bad.json())

    moved = _post(client, f"/cooperations/{pk}/move", {"stage": "negotiation"})
    assert moved.json()["stage"] == "negotiation"
    note = _post(client, f"/cooperations/{pk}/activities", {"kind": "note", "text": "Draft sent"})
    assert note.status_code == 201
    timeline = client.get(f"{API}/cooperations/{pk}/activities").json()
    assert [entry["kind"] for entry in timeline] == ["note", "stage_change", "stage_change"]

    task = _post(client, "/tasks", {"title": "Translate the draft", "cooperation": pk})
    assert task.status_code == 201
    assert task.json()["organization"] == "polytech"


def test_unknown_organization_is_a_clear_error(member: Any, organization: Any) -> None:
    response = _post(
        client_for(member), "/cooperations", {"title": "x", "organizations": ["polytech", "nope"]}
    )
    assert response.status_code == 400
    assert "nope" in json.dumps(response.json())
    assert not Cooperation.objects.exists()


def test_outsiders_get_404(cooperation: Any, outsider: Any) -> None:
    client = client_for(outsider)
    assert client.get(f"{API}/cooperations/{cooperation.pk}").status_code == 404
    assert client.get(f"{API}/cooperations").json()["count"] == 0
    assert (
        _post(client, f"/cooperations/{cooperation.pk}/move", {"stage": "contacted"}).status_code
        == 404
    )
