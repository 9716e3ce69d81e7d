"""Event services: validation, who may change what, and outcomes turned into tasks and
cooperations in one step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parkbridge.accounts.models import MembershipRole
from parkbridge.core.models import AuditEvent
from parkbridge.events import services
from parkbridge.events.models import Event, Outcome
from parkbridge.pipeline.models import (
    Activity,
    ActivityKind,
    Cooperation,
    CooperationStage,
    LeadSource,
    Task,
)
from tests.factories import (
    AffiliationFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OutcomeFactory,
    PersonFactory,
    UserFactory,
    event_time,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wuxi() -> Any:
    return OrganizationFactory(
        slug="wuxi-branch", name="无锡分园", name_en="Wuxi branch", name_language="zh", country="CN"
    )


@pytest.fixture
def visitor(wuxi: Any) -> Any:
    """A member of the visiting organization."""
    user = UserFactory(email="visitor@wuxi.example")
    MembershipFactory(user=user, organization=wuxi, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def visit(organization: Any, wuxi: Any) -> Event:
    """A restricted visit of the Wuxi branch to Polytech, on 15 September 2031."""
    return EventFactory(
        slug="wuxi-visit",
        kind="delegation_visit",
        title="Visit of the Wuxi branch",
        host=organization,
        visiting_organizations=[wuxi],
        confidentiality="restricted",
    )


@pytest.fixture
def past_visit(organization: Any, wuxi: Any) -> Event:
    start = timezone.now() - datetime.timedelta(days=3)
    return EventFactory(
        slug="past-visit",
        kind="delegation_visit",
        title="Visit in the past",
        host=organization,
        visiting_organizations=[wuxi],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )


# Events ----------------------------------------------------------------------------------------


def test_member_records_a_visit_with_a_readable_slug(member, organization, wuxi):
    event = services.event_create(
        actor=member,
        host=organization,
        visiting_organizations=[wuxi],
        kind="delegation_visit",
        title="Визит филиала в Уси",
        description="Обсуждение сотрудничества технопарков.",
        starts_at=event_time(10),
        ends_at=event_time(13),
        place="Технопарк, зал 1",
        city="Санкт-Петербург",
        country="RU",
        confidentiality="restricted",
    )
    assert event.slug == "2031-09-15"  # Cyrillic gives no Latin slug; the date does
    assert event.language == "ru"
    assert event.created_by == member
    assert list(event.visiting_organizations.all()) == [wuxi]
    assert AuditEvent.objects.filter(action="created", target_id=str(event.pk)).exists()
    second = services.event_create(
        actor=member,
        host=organization,
        kind="meeting",
        title="Weekly meeting",
        starts_at=event_time(15),
        ends_at=event_time(16),
    )
    assert second.slug == "weekly-meeting-2031-09-15"


def test_only_members_of_the_host_record_its_events(outsider, loner, organization):
    for actor in (outsider, loner):
        with pytest.raises(PermissionDenied):
            services.event_create(
                actor=actor,
                host=organization,
                kind="meeting",
                title="Not ours",
                starts_at=event_time(10),
                ends_at=event_time(11),
            )


def test_event_dates_and_visitors_are_validated(member, organization):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=member,
            host=organization,
            kind="meeting",
            title="Backwards",
            starts_at=event_time(12),
            ends_at=event_time(10),
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=member,
            host=organization,
            visiting_organizations=[organization],
            kind="meeting",
            title="Visiting ourselves",
            starts_at=event_time(10),
            ends_at=event_time(11),
        )
    assert "visiting_organizations" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.event_create(
            actor=member,
            host=organization,
            kind="party",
            title="Unknown kind",
            starts_at=event_time(10),
            ends_at=event_time(11),
        )


def test_update_checks_editors_and_keeps_the_agenda_inside(member, visitor, staff_user, visit):
    with pytest.raises(PermissionDenied):
        services.event_update(actor=visitor, event=visit, title="Taken over")
    services.agenda_item_add(
        actor=member, event=visit, starts_at=event_time(12), title="Tour of the labs"
    )
    with pytest.raises(ValidationError) as error:
        services.event_update(
            actor=member, event=Event.objects.get(pk=visit.pk), ends_at=event_time(11)
        )
    assert "starts_at" in error.value.message_dict
    updated = services.event_update(
        actor=staff_user, event=Event.objects.get(pk=visit.pk), place="Main building"
    )
    assert updated.place == "Main building"
    audit = AuditEvent.objects.filter(action="updated", target_id=str(visit.pk)).get()
    assert audit.changes["place"] == ["Technopark, room 101", "Main building"]


def test_update_cannot_move_the_event_to_a_foreign_host(member, visit, other_organization):
    with pytest.raises(PermissionDenied):
        services.event_update(actor=member, event=visit, host=other_organization)


def test_delete_keeps_the_tasks_made_from_outcomes(member, visitor, visit):
    outcome = services.outcome_add(actor=member, event=visit, text="Joint market launch")
    task = services.outcome_to_task(actor=member, outcome=outcome)
    with pytest.raises(PermissionDenied):
        services.event_delete(actor=visitor, event=visit)
    services.event_delete(actor=member, event=visit)
    assert not Event.objects.filter(pk=visit.pk).exists()
    assert Task.objects.filter(pk=task.pk).exists()


# Participants and agenda -----------------------------------------------------------------------


def test_participants_default_to_their_primary_organization(member, visitor, visit, wuxi):
    person = PersonFactory(slug="li-wei", full_name="李伟", full_name_latin="Li Wei")
    AffiliationFactory(
        person=person, organization=wuxi, position="Director", position_en="Director"
    )
    participant = services.participant_add(actor=member, event=visit, person=person, role="guest")
    assert (participant.organization, participant.role, participant.position) == (
        wuxi,
        "guest",
        "Director",
    )
    with pytest.raises(ValidationError) as error:
        services.participant_add(actor=member, event=visit, person=person)
    assert "person" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.participant_remove(actor=visitor, participant=participant)
    services.participant_update(actor=member, participant=participant, role="speaker")
    assert participant.role == "speaker"
    services.participant_remove(actor=member, participant=participant)
    assert not visit.participants.exists()


def test_agenda_items_must_fit_inside_the_event(member, visit):
    cases = [
        (event_time(9), None, "starts_at"),  # before the event
        (event_time(14), None, "starts_at"),  # after it
        (event_time(11), event_time(10, 30), "ends_at"),  # ends before it starts
        (event_time(12), event_time(13, 30), "ends_at"),  # ends after the event
    ]
    for starts_at, ends_at, field in cases:
        with pytest.raises(ValidationError) as error:
            services.agenda_item_add(
                actor=member, event=visit, starts_at=starts_at, ends_at=ends_at, title="Talk"
            )
        assert field in error.value.message_dict, (starts_at, ends_at)
    speaker = PersonFactory()
    item = services.agenda_item_add(
        actor=member,
        event=visit,
        starts_at=event_time(10),
        ends_at=event_time(13),
        title="  Research focus areas of the university ",
        speaker=speaker,
    )
    assert item.title == "Research focus areas of the university"
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=member, item=item, starts_at=event_time(8))
    services.agenda_item_update(
        actor=member, item=item, starts_at=event_time(10, 15), ends_at=event_time(10, 45)
    )
    item.refresh_from_db()
    assert item.starts_at == event_time(10, 15)
    services.agenda_item_delete(actor=member, item=item)
    assert not visit.agenda.exists()


def test_visitors_and_outsiders_cannot_change_the_agenda(visitor, outsider, visit):
    for actor in (visitor, outsider):
        with pytest.raises(PermissionDenied):
            services.agenda_item_add(
                actor=actor, event=visit, starts_at=event_time(10), title="Our talk"
            )


def test_minutes_keep_their_language(member, visit):
    services.minutes_save(
        actor=member,
        event=visit,
        text="双方讨论了科技园之间的合作，以及技术成果共同推向国际市场。",
    )
    visit.refresh_from_db()
    assert visit.minutes_language == "zh"
    services.minutes_save(actor=member, event=visit, text="Notes", language="en")
    visit.refresh_from_db()
    assert (visit.minutes, visit.minutes_language) == ("Notes", "en")
    services.minutes_save(actor=member, event=visit, text="  ")
    visit.refresh_from_db()
    assert (visit.minutes, visit.minutes_language) == ("", "")


def test_outcomes_are_numbered_in_order(member, visit):
    first = services.outcome_add(actor=member, event=visit, text="Joint introduction")
    second = services.outcome_add(actor=member, event=visit, text="Sources of finance")
    assert (first.position, second.position) == (0, 1)
    services.outcome_update(actor=member, outcome=second, text="Sources of finance: grants")
    assert Outcome.objects.get(pk=second.pk).text == "Sources of finance: grants"
    services.outcome_delete(actor=member, outcome=first)
    assert list(visit.outcomes.values_list("text", flat=True)) == ["Sources of finance: grants"]
    with pytest.raises(ValidationError):
        services.outcome_add(actor=member, event=visit, text="  ")


# Outcomes into tasks and cooperations ---------------------------------------------------------


def test_outcome_becomes_a_task_of_the_host_once(member, visit, organization):
    outcome = services.outcome_add(
        actor=member,
        event=visit,
        text="Use of the university's research facilities\nStart with the materials lab.",
    )
    task = services.outcome_to_task(
        actor=member, outcome=outcome, assignee=member, due_on=datetime.date(2031, 10, 1)
    )
    assert task.organization == organization
    assert task.title == "Use of the university's research facilities"
    assert "Visit of the Wuxi branch" in task.details and "/events/wuxi-visit/" in task.details
    assert (task.assignee, task.due_on, task.created_by) == (
        member,
        datetime.date(2031, 10, 1),
        member,
    )
    assert Outcome.objects.get(pk=outcome.pk).task == task
    with pytest.raises(ValidationError) as error:
        services.outcome_to_task(actor=member, outcome=Outcome.objects.get(pk=outcome.pk))
    assert "already" in str(error.value)
    assert Task.objects.count() == 1


def test_task_for_another_organization_of_the_event(member, visitor, visit, wuxi, organization):
    outcome = OutcomeFactory(event=visit)
    with pytest.raises(PermissionDenied):
        services.outcome_to_task(actor=visitor, outcome=outcome)  # visitors do not run the event
    with pytest.raises(PermissionDenied):
        # The host's member is no member of the Wuxi branch: pipeline refuses the task.
        services.outcome_to_task(actor=member, outcome=outcome, organization=wuxi)
    with pytest.raises(ValidationError) as error:
        services.outcome_to_task(actor=member, outcome=outcome, organization=OrganizationFactory())
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.outcome_to_task(actor=member, outcome=outcome, assignee=visitor)
    assert "assignee" in error.value.message_dict
    assert Outcome.objects.get(pk=outcome.pk).task is None


def test_outcome_opens_a_cooperation_between_the_event_organizations_once(
    member, past_visit, organization, wuxi
):
    outcome = services.outcome_add(
        actor=member,
        event=past_visit,
        text="Joint introduction of technical developments and their launch on the world market",
    )
    cooperation = services.outcome_to_cooperation(actor=member, outcome=outcome)
    assert set(cooperation.organizations.all()) == {organization, wuxi}
    assert cooperation.title == outcome.text
    assert cooperation.source == LeadSource.EVENT_OUTCOME
    # The event has taken place: the cooperation starts at "meeting held", with the meeting.
    assert cooperation.stage == CooperationStage.MEETING_HELD
    meeting = Activity.objects.get(cooperation=cooperation, kind=ActivityKind.MEETING)
    assert meeting.happened_at == past_visit.starts_at
    assert Outcome.objects.get(pk=outcome.pk).cooperation == cooperation
    with pytest.raises(ValidationError) as error:
        services.outcome_to_cooperation(actor=member, outcome=outcome)
    assert "already" in str(error.value)
    assert Cooperation.objects.count() == 1
    # A task made afterwards belongs to the cooperation.
    task = services.outcome_to_task(actor=member, outcome=outcome)
    assert task.cooperation == cooperation


def test_cooperation_from_a_future_event_is_a_lead(member, visit):
    outcome = OutcomeFactory(event=visit, text="Involvement of international companies")
    cooperation = services.outcome_to_cooperation(
        actor=member, outcome=outcome, title="International companies"
    )
    assert (cooperation.stage, cooperation.title) == (
        CooperationStage.LEAD,
        "International companies",
    )
    assert not Activity.objects.filter(cooperation=cooperation, kind=ActivityKind.MEETING).exists()


def test_cooperation_needs_two_organizations(member, organization):
    internal = EventFactory(host=organization)
    outcome = OutcomeFactory(event=internal)
    with pytest.raises(ValidationError) as error:
        services.outcome_to_cooperation(actor=member, outcome=outcome)
    assert "organizations" in error.value.message_dict
    assert Outcome.objects.get(pk=outcome.pk).cooperation is None


def test_staff_converts_outcomes_of_any_event(staff_user, visit, organization):
    outcome = OutcomeFactory(event=visit)
    task = services.outcome_to_task(actor=staff_user, outcome=outcome)
    assert task.organization == organization
