from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parkbridge.agreements import services
from parkbridge.agreements.models import Agreement
from parkbridge.core.models import AuditEvent
from parkbridge.pipeline.models import Cooperation
from tests.agreements.conftest import days, make_agreement, make_project, signed
from tests.factories import OrganizationFactory


def test_member_registers_agreement_between_two_parties(member, organization, partner):
    agreement = make_agreement(
        member,
        organization,
        [organization, partner],
        title="Соглашение о сотрудничестве",
        summary="Совместные исследования в области водородной энергетики.",
        language="",
        **signed(signed_place="Санкт-Петербург"),
    )
    assert agreement.language == "ru"
    assert set(agreement.parties.all()) == {organization, partner}
    assert agreement.created_by == member
    assert agreement.is_in_force()
    assert "санкт-петербург" in agreement.search_text
    assert AuditEvent.objects.filter(action="created", target_id=str(agreement.pk)).exists()


def test_staff_registers_for_any_organization(staff_user, organization, partner):
    agreement = make_agreement(staff_user, partner, [organization, partner])
    assert agreement.owner == partner


@pytest.mark.parametrize("actor", ["outsider", "loner", "partner_member"])
def test_only_members_register_for_their_organization(request, actor, organization, partner):
    with pytest.raises(PermissionDenied):
        make_agreement(request.getfixturevalue(actor), organization, [organization, partner])
    assert not Agreement.objects.exists()


def test_registering_organization_must_be_a_party(member, organization, partner):
    third = OrganizationFactory(slug="third")
    with pytest.raises(ValidationError) as error:
        make_agreement(member, organization, [partner, third])
    assert "owner" in error.value.message_dict


def test_at_least_two_parties(member, organization):
    with pytest.raises(ValidationError) as error:
        make_agreement(member, organization, [organization, organization])
    assert "parties" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_signed_agreement_needs_its_date(member, organization, partner):
    with pytest.raises(ValidationError) as error:
        make_agreement(member, organization, [organization, partner], status="signed")
    assert "signed_on" in error.value.message_dict


def test_validity_must_end_after_it_starts(member, organization, partner):
    with pytest.raises(ValidationError) as error:
        make_agreement(
            member, organization, [organization, partner], valid_from=days(10), valid_until=days(1)
        )
    assert "valid_until" in error.value.message_dict


def test_unknown_fields_are_refused(member, organization, partner):
    with pytest.raises(ValidationError):
        make_agreement(member, organization, [organization, partner], colour="red")


def test_linked_cooperation_must_involve_a_party(member, organization, partner, other_organization):
    ours = Cooperation.objects.create(title="Hydrogen drones")
    ours.organizations.set([organization, other_organization])
    theirs = Cooperation.objects.create(title="Someone else's deal")
    theirs.organizations.set([other_organization, OrganizationFactory(slug="fourth")])
    agreement = make_agreement(member, organization, [organization, partner], cooperations=[ours])
    assert list(agreement.cooperations.all()) == [ours]
    with pytest.raises(ValidationError) as error:
        make_agreement(member, organization, [organization, partner], cooperations=[theirs])
    assert "cooperations" in error.value.message_dict


def test_only_visible_projects_are_linked(
    member, outsider, organization, partner, other_organization
):
    secret = make_project(outsider, other_organization, slug="far-secret")
    open_project = make_project(outsider, other_organization, confidentiality="network")
    agreement = make_agreement(
        member, organization, [organization, partner], projects=[open_project]
    )
    assert list(agreement.projects.all()) == [open_project]
    with pytest.raises(ValidationError) as error:
        make_agreement(member, organization, [organization, partner], projects=[secret])
    assert "projects" in error.value.message_dict


def test_links_the_editor_cannot_see_are_kept(
    member, partner_member, organization, partner, other_organization, staff_user
):
    # Staff linked a restricted project of A; B's member edits with the projects they see.
    secret = make_project(member, organization, slug="polytech-secret")
    agreement = make_agreement(staff_user, organization, [organization, partner], projects=[secret])
    services.agreement_update(
        actor=partner_member, agreement=agreement, title="Renamed", projects=[]
    )
    assert list(agreement.projects.all()) == [secret]


class TestNdaGrants:
    def test_nda_names_restricted_projects_of_a_party(self, member, organization, partner):
        project = make_project(member, organization)
        nda = make_agreement(
            member, organization, [organization, partner], kind="nda", granted_projects=[project]
        )
        assert list(nda.granted_projects.all()) == [project]

    def test_only_an_nda_grants_access(self, member, organization, partner):
        project = make_project(member, organization)
        with pytest.raises(ValidationError) as error:
            make_agreement(
                member, organization, [organization, partner], granted_projects=[project]
            )
        assert "granted_projects" in error.value.message_dict

    @pytest.mark.parametrize("level", ["public", "network"])
    def test_granting_an_open_project_makes_no_sense(self, member, organization, partner, level):
        project = make_project(member, organization, confidentiality=level)
        with pytest.raises(ValidationError) as error:
            make_agreement(
                member,
                organization,
                [organization, partner],
                kind="nda",
                granted_projects=[project],
            )
        assert "not restricted" in error.value.message_dict["granted_projects"][0]

    def test_project_must_belong_to_a_party(
        self, member, organization, partner, other_organization, staff_user
    ):
        foreign = make_project(staff_user, other_organization)
        with pytest.raises(ValidationError) as error:
            make_agreement(
                staff_user,
                organization,
                [organization, partner],
                kind="nda",
                granted_projects=[foreign],
            )
        assert "does not belong" in error.value.message_dict["granted_projects"][0]

    def test_a_party_cannot_open_another_partys_project(
        self, member, partner_member, organization, partner
    ):
        project = make_project(member, organization)
        nda = make_agreement(member, organization, [organization, partner], kind="nda")
        project.shared_with.add(partner)  # B sees it, but it is still A's to open
        with pytest.raises(ValidationError) as error:
            services.agreement_update(
                actor=partner_member, agreement=nda, granted_projects=[project]
            )
        assert "granted_projects" in error.value.message_dict
        assert not nda.granted_projects.exists()

    def test_other_partys_edit_keeps_the_grant(self, member, partner_member, organization, partner):
        project = make_project(member, organization)
        nda = make_agreement(
            member, organization, [organization, partner], kind="nda", granted_projects=[project]
        )
        services.agreement_update(
            actor=partner_member,
            agreement=nda,
            granted_projects=[],
            **signed(signed_place="Wuxi"),
        )
        assert list(nda.granted_projects.all()) == [project]

    def test_grant_ends_when_kind_changes(self, member, organization, partner):
        project = make_project(member, organization)
        nda = make_agreement(
            member, organization, [organization, partner], kind="nda", granted_projects=[project]
        )
        services.agreement_update(actor=member, agreement=nda, kind="memorandum")
        assert not nda.granted_projects.exists()

    def test_removing_the_projects_party_is_refused(self, staff_user, organization, partner):
        third = OrganizationFactory(slug="third")
        project = make_project(staff_user, third)
        nda = make_agreement(
            staff_user,
            organization,
            [organization, partner, third],
            kind="nda",
            granted_projects=[project],
        )
        with pytest.raises(ValidationError) as error:
            services.agreement_update(
                actor=staff_user, agreement=nda, parties=[organization, partner]
            )
        assert "granted_projects" in error.value.message_dict
        assert Agreement.objects.get().parties.count() == 3


def test_update_records_what_changed(member, organization, partner):
    agreement = make_agreement(member, organization, [organization, partner])
    third = OrganizationFactory(slug="third", name_en="Third")
    services.agreement_update(
        actor=member,
        agreement=agreement,
        parties=[organization, partner, third],
        status="negotiation",
    )
    event = AuditEvent.objects.get(action="updated", target_id=str(agreement.pk))
    assert event.changes["status"] == ["draft", "negotiation"]
    assert "parties" in event.changes


def test_any_party_edits_but_outsiders_do_not(
    member, partner_member, outsider, loner, organization, partner
):
    agreement = make_agreement(member, organization, [organization, partner])
    services.agreement_update(actor=partner_member, agreement=agreement, title="Renamed by B")
    assert Agreement.objects.get().title == "Renamed by B"
    for actor in (outsider, loner):
        with pytest.raises(PermissionDenied):
            services.agreement_update(actor=actor, agreement=agreement, title="Hijacked")


def test_owner_moves_only_to_own_organizations(member, partner_member, organization, partner):
    agreement = make_agreement(member, organization, [organization, partner])
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=member, agreement=agreement, owner=partner)
    services.agreement_update(actor=partner_member, agreement=agreement, owner=partner)
    assert Agreement.objects.get().owner == partner


def test_only_admins_of_the_registering_organization_delete(
    member, org_admin, partner_member, organization, partner
):
    agreement = make_agreement(member, organization, [organization, partner])
    for actor in (member, partner_member):
        with pytest.raises(PermissionDenied):
            services.agreement_delete(actor=actor, agreement=agreement)
    services.agreement_delete(actor=org_admin, agreement=agreement)
    assert not Agreement.objects.exists()
    assert AuditEvent.objects.filter(action="deleted", target_repr=agreement.title).exists()
