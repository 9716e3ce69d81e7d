from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parkbridge.pipeline.models import Cooperation, CooperationStage
from tests.conftest import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    "route", ["pipeline:board", "pipeline:cooperation_list", "pipeline:task_list"]
)
def test_pipeline_pages_are_for_signed_in_users(route: str, db: Any) -> None:
    response = client_for(None).get(reverse(route))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_board_shows_the_viewers_cooperations_only(
    cooperation: Any, member: Any, outsider: Any
) -> None:
    page = client_for(member).get(reverse("pipeline:board")).content.decode()
    assert "Hydrogen storage pilot" in page
    assert "Hydrogen storage pilot" not in (
        client_for(outsider).get(reverse("pipeline:board")).content.decode()
    )
    assert client_for(outsider).get(cooperation.get_absolute_url()).status_code == 404


def test_moving_from_the_board_returns_the_board(cooperation: Any, member: Any) -> None:
    response = client_for(member).post(
        reverse("pipeline:cooperation_move", args=[cooperation.pk]),
        {"stage": CooperationStage.CONTACTED, "from": "board", "q": "hydrogen"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="board"' in response.content.decode()
    cooperation.refresh_from_db()
    assert cooperation.stage == CooperationStage.CONTACTED


def test_closing_from_the_board_asks_why(cooperation: Any, member: Any) -> None:
    url = reverse("pipeline:cooperation_move", args=[cooperation.pk])
    response = client_for(member).post(
        url, {"stage": CooperationStage.CLOSED_LOST, "from": "board"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{url}?stage=closed_lost"
    cooperation.refresh_from_db()
    assert cooperation.stage == CooperationStage.LEAD

    form = client_for(member).get(response["HX-Redirect"]).content.decode()
    assert 'value="closed_lost" selected' in form
    missing = client_for(member).post(url, {"stage": CooperationStage.CLOSED_LOST})
    assert "Say why the cooperation was lost." in missing.content.decode()
    client_for(member).post(
        url, {"stage": CooperationStage.CLOSED_LOST, "lost_reason": "No budget this year."}
    )
    cooperation.refresh_from_db()
    assert cooperation.stage == CooperationStage.CLOSED_LOST


def test_new_cooperation_form_keeps_input_on_error(
    member: Any, organization: Any, partner: Any
) -> None:
    response = client_for(member).post(
        reverse("pipeline:cooperation_create"),
        {
            "title": "Joint lab",
            "organizations": [organization.pk, partner.pk],
            "value": "1000",
            "next_step": "Call Mr Li",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the currency of the value." in page
    assert 'value="Joint lab"' in page and 'value="Call Mr Li"' in page
    assert not Cooperation.objects.exists()

    response = client_for(member).post(
        reverse("pipeline:cooperation_create"),
        {
            "title": "Joint lab",
            "organizations": [organization.pk, partner.pk],
            "value": "1000",
            "currency": "CNY",
        },
    )
    cooperation = Cooperation.objects.get()
    assert response["Location"] == cooperation.get_absolute_url()


def test_new_cooperation_starts_from_an_organization(member: Any, partner: Any) -> None:
    page = client_for(member).get(
        reverse("pipeline:cooperation_create") + "?organization=wuxi-park"
    )
    assert f'<option value="{partner.pk}" selected>' in page.content.decode()


def test_timeline_and_tasks_on_the_detail_page(cooperation: Any, member: Any) -> None:
    client = client_for(member)
    client.post(
        reverse("pipeline:activity_add", args=[cooperation.pk]),
        {"kind": "call", "text": "Called the Wuxi office; they want a visit."},
    )
    client.post(
        reverse("pipeline:task_add", args=[cooperation.pk]),
        {"title": "Book the meeting room", "assignee": member.pk},
    )
    page = client.get(cooperation.get_absolute_url()).content.decode()
    assert "Called the Wuxi office; they want a visit." in page
    assert "Book the meeting room" in page

    empty = client.post(reverse("pipeline:activity_add", args=[cooperation.pk]), {"kind": "note"})
    assert empty.status_code == 400
    assert "Write what happened." in empty.content.decode()


def test_task_done_toggles_with_htmx(cooperation: Any, member: Any, organization: Any) -> None:
    from parkbridge.pipeline import services

    task = services.task_create(actor=member, organization=organization, title="Send photos")
    response = client_for(member).post(reverse("pipeline:task_toggle", args=[task.pk]), **HTMX)
    assert "text-decoration-line-through" in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is not None


def test_list_filters_by_stage(cooperation: Any, member: Any) -> None:
    page = client_for(member).get(reverse("pipeline:cooperation_list") + "?stage=negotiation")
    assert "Hydrogen storage pilot" not in page.content.decode()
    page = client_for(member).get(reverse("pipeline:cooperation_list") + "?stage=lead")
    assert "Hydrogen storage pilot" in page.content.decode()


def test_timeline_documents_are_for_the_parties_only(
    cooperation: Any, member: Any, outsider: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(member).post(
        reverse("pipeline:activity_add", args=[cooperation.pk]),
        {
            "kind": "document",
            "text": "Draft NDA",
            "attachment": SimpleUploadedFile("draft-nda.pdf", b"%PDF-1.4 draft"),
        },
    )
    activity = cooperation.activities.get(kind="document")
    url = reverse("pipeline:activity_attachment", args=[cooperation.pk, activity.pk])
    assert url in client_for(member).get(cooperation.get_absolute_url()).content.decode()
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 draft"
    assert "draft-nda.pdf" in response["Content-Disposition"]
    assert client_for(outsider).get(url).status_code == 404
    # Never through the public media URL.
    assert client_for(member).get(f"/media/{activity.attachment.name}").status_code == 404


def test_my_organization_dashboard_counts_the_pipeline(
    cooperation: Any, member: Any, organization: Any
) -> None:
    import datetime

    from django.utils import timezone

    from parkbridge.pipeline import services

    services.task_create(
        actor=member,
        organization=organization,
        title="Prepare the visit programme",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    page = client_for(member).get("/my/").content.decode()
    assert 'data-testid="open-cooperations">1<' in page
    assert "Prepare the visit programme" in page
    assert "1 overdue" in page


def test_pages_show_their_related_cooperations_agreements_and_events(
    cooperation: Any, member: Any, outsider: Any, organization: Any, partner: Any, staff_user: Any
) -> None:
    import datetime

    from parkbridge.agreements.services import agreement_create
    from parkbridge.events.services import event_create, outcome_add, outcome_to_cooperation

    agreement = agreement_create(
        actor=member,
        owner=organization,
        parties=[organization, partner],
        cooperations=[cooperation],
        kind="memorandum",
        title="Memorandum with Wuxi",
        confidentiality="restricted",
    )
    visit = event_create(
        actor=member,
        host=organization,
        visiting_organizations=[partner],
        kind="meeting",
        title="Kick-off meeting",
        starts_at=datetime.datetime(2026, 9, 15, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 9, 15, 10, tzinfo=datetime.UTC),
        confidentiality="network",
    )
    opened = outcome_to_cooperation(
        actor=member, outcome=outcome_add(actor=member, event=visit, text="Joint lab")
    )
    agreement.cooperations.add(opened)

    page = client_for(member).get(opened.get_absolute_url()).content.decode()
    assert 'data-testid="related-agreements"' in page and "Memorandum with Wuxi" in page
    assert 'data-testid="related-events"' in page and "Kick-off meeting" in page

    organization_page = client_for(member).get(organization.get_absolute_url()).content.decode()
    assert 'data-testid="related-cooperations"' in organization_page
    assert "Hydrogen storage pilot" in organization_page
    # Outsiders see neither the cooperations nor the restricted agreement.
    outsider_page = client_for(outsider).get(organization.get_absolute_url()).content.decode()
    assert "Hydrogen storage pilot" not in outsider_page
    assert "related-cooperations" not in outsider_page
    assert (
        agreement.title
        not in client_for(outsider).get(organization.get_absolute_url()).content.decode()
    )
