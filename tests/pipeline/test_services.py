from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parkbridge.core.models import Confidentiality
from parkbridge.pipeline import selectors, services
from parkbridge.pipeline.models import ActivityKind, CooperationStage, LeadSource


def test_create_records_the_opening_on_the_timeline(cooperation: Any, member: Any) -> None:
    assert cooperation.stage == CooperationStage.LEAD
    assert cooperation.owner == member
    opening = cooperation.activities.get()
    assert opening.kind == ActivityKind.STAGE_CHANGE
    assert opening.to_stage == CooperationStage.LEAD
    assert opening.actor == member


def test_a_cooperation_needs_two_organizations(member: Any, organization: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.cooperation_create(actor=member, organizations=[organization], title="Alone")
    assert "organizations" in error.value.message_dict


def test_only_a_party_records_a_cooperation(outsider: Any, organization: Any, partner: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.cooperation_create(
            actor=outsider, organizations=[organization, partner], title="Not mine"
        )


def test_value_needs_a_currency(member: Any, organization: Any, partner: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.cooperation_create(
            actor=member,
            organizations=[organization, partner],
            title="Licence",
            value=Decimal("50000"),
        )
    assert "currency" in error.value.message_dict


def test_move_is_recorded_with_who_and_when(cooperation: Any, partner_member: Any) -> None:
    services.cooperation_move(
        actor=partner_member, cooperation=cooperation, stage=CooperationStage.MEETING_HELD
    )
    cooperation.refresh_from_db()
    assert cooperation.stage == CooperationStage.MEETING_HELD
    move = cooperation.activities.filter(from_stage=CooperationStage.LEAD).get()
    assert move.to_stage == CooperationStage.MEETING_HELD
    assert move.actor == partner_member


def test_closing_as_lost_needs_a_reason(cooperation: Any, member: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.cooperation_move(
            actor=member, cooperation=cooperation, stage=CooperationStage.CLOSED_LOST
        )
    assert "lost_reason" in error.value.message_dict
    services.cooperation_move(
        actor=member,
        cooperation=cooperation,
        stage=CooperationStage.CLOSED_LOST,
        lost_reason="The partner chose a local supplier.",
    )
    cooperation.refresh_from_db()
    assert cooperation.stage == CooperationStage.CLOSED_LOST
    assert cooperation.activities.first().text == "The partner chose a local supplier."


def test_commercialised_says_how(cooperation: Any, member: Any) -> None:
    with pytest.raises(ValidationError):
        services.cooperation_move(
            actor=member, cooperation=cooperation, stage=CooperationStage.COMMERCIALISED
        )
    services.cooperation_move(
        actor=member,
        cooperation=cooperation,
        stage=CooperationStage.COMMERCIALISED,
        commercialisation="licence_sold",
    )
    cooperation.refresh_from_db()
    assert cooperation.get_commercialisation_display() == "Licence sold"


def test_outsiders_cannot_move_or_see(cooperation: Any, outsider: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.cooperation_move(
            actor=outsider, cooperation=cooperation, stage=CooperationStage.CONTACTED
        )
    assert not selectors.cooperation_list(viewer=outsider).exists()


def test_activity_needs_text_and_documents_need_a_file(cooperation: Any, member: Any) -> None:
    with pytest.raises(ValidationError):
        services.activity_add(actor=member, cooperation=cooperation, kind="call", text=" ")
    with pytest.raises(ValidationError):
        services.activity_add(actor=member, cooperation=cooperation, kind="document", text="x")
    with pytest.raises(ValidationError):
        services.activity_add(
            actor=member,
            cooperation=cooperation,
            kind="note",
            text="Tomorrow",
            happened_at=timezone.now() + datetime.timedelta(days=1),
        )
    document = services.activity_add(
        actor=member,
        cooperation=cooperation,
        kind="document",
        text="Draft NDA",
        attachment=SimpleUploadedFile("nda.pdf", b"%PDF-1.4 draft"),
    )
    assert document.attachment.name.endswith(".pdf")
    assert cooperation.activities.filter(kind="document").count() == 1


def test_tasks_belong_to_one_side(
    cooperation: Any, member: Any, partner_member: Any, organization: Any
) -> None:
    with pytest.raises(ValidationError):
        services.task_create(
            actor=member,
            organization=organization,
            cooperation=cooperation,
            title="Send NDA",
            assignee=partner_member,
        )
    task = services.task_create(
        actor=member,
        organization=organization,
        cooperation=cooperation,
        title="Send NDA",
        assignee=member,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert task.is_overdue
    assert list(selectors.task_list(viewer=member)) == [task]
    assert not selectors.task_list(viewer=partner_member).exists()
    services.task_complete(actor=member, task=task)
    assert not selectors.task_list(viewer=member).exists()
    assert cooperation.activities.filter(text__contains="Send NDA").exists()


def test_board_groups_by_stage_with_totals(
    cooperation: Any, member: Any, organization: Any, partner: Any
) -> None:
    services.cooperation_create(
        actor=member,
        organizations=[organization, partner],
        title="Licence",
        stage=CooperationStage.NEGOTIATION,
        value=Decimal("120000"),
        currency="EUR",
    )
    columns = {column.stage: column for column in selectors.cooperation_board(viewer=member)}
    assert [c.title for c in columns[CooperationStage.LEAD].cooperations] == [cooperation.title]
    assert columns[CooperationStage.NEGOTIATION].totals == {"EUR": Decimal("120000")}
    assert columns[CooperationStage.LEAD].next_stage == CooperationStage.CONTACTED


# Leads from mutual interest ------------------------------------------------------------------


@pytest.fixture
def project(organization: Any, member: Any) -> Any:
    from parkbridge.portfolio import services as portfolio_services

    return portfolio_services.project_create(
        actor=member,
        owner=organization,
        kind="technology",
        title="Solid-state hydrogen storage",
        summary="Metal hydride tanks for trucks.",
        language="en",
        confidentiality=Confidentiality.NETWORK,
    )


@pytest.fixture
def offer(partner: Any, partner_member: Any) -> Any:
    from parkbridge.offers import services as offer_services

    return offer_services.offer_create(
        actor=partner_member,
        owner=partner,
        kind="mentoring",
        title="Green-tech fund",
        description="We invest in hydrogen startups.",
        language="en",
        confidentiality=Confidentiality.NETWORK,
    )


def test_mutual_interest_opens_one_lead(
    project: Any, offer: Any, member: Any, partner_member: Any
) -> None:
    from parkbridge.matching import services as matching_services

    matching_services.feedback_set(actor=member, source=project, target=offer, verdict="interested")
    assert not selectors.cooperation_list(viewer=member).exists()

    matching_services.feedback_set(
        actor=partner_member, source=offer, target=project, verdict="interested"
    )
    lead = selectors.cooperation_list(viewer=member).get()
    assert lead.source == LeadSource.MUTUAL_INTEREST
    assert lead.stage == CooperationStage.LEAD
    assert lead.project == project and lead.offer == offer
    assert {o.pk for o in lead.organizations.all()} == {project.owner_id, offer.owner_id}
    assert selectors.cooperation_list(viewer=partner_member).get() == lead

    # Saying it again (or the other way round) never opens a second lead.
    matching_services.feedback_set(actor=member, source=project, target=offer, verdict="interested")
    assert selectors.cooperation_list(viewer=member).count() == 1


def test_interest_from_someone_who_does_not_speak_for_the_item_is_not_mutual(
    project: Any, offer: Any, member: Any, outsider: Any
) -> None:
    from parkbridge.matching import services as matching_services

    matching_services.feedback_set(actor=member, source=project, target=offer, verdict="interested")
    # The outsider may see the offer but does not belong to its owner.
    matching_services.feedback_set(
        actor=outsider, source=offer, target=project, verdict="interested"
    )
    assert not selectors.cooperation_list(viewer=member).exists()


def test_not_relevant_is_not_interest(
    project: Any, offer: Any, member: Any, partner_member: Any
) -> None:
    from parkbridge.matching import services as matching_services

    matching_services.feedback_set(actor=member, source=project, target=offer, verdict="interested")
    matching_services.feedback_set(
        actor=partner_member, source=offer, target=project, verdict="not_relevant"
    )
    assert not selectors.cooperation_list(viewer=member).exists()
