"""Who sees which agreement, the list filters and the expiry reminders."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from parkbridge.agreements import selectors
from parkbridge.agreements.selectors import AgreementFilters
from parkbridge.agreements.services import can_download_documents
from tests.agreements.conftest import days, make_agreement, make_project, signed
from tests.factories import (
    AgreementFactory,
    OrganizationFactory,
)

AUDIENCES = ["anonymous", "loner", "outsider", "member", "partner_member", "staff_user"]
SEES = {
    "anonymous": {"public"},
    "loner": {"public"},
    "outsider": {"public", "network"},
    "member": {"public", "network", "restricted"},
    "partner_member": {"public", "network", "restricted"},
    "staff_user": {"public", "network", "restricted"},
}
DOWNLOADS = {"member", "partner_member", "staff_user"}


@pytest.fixture
def by_level(staff_user, organization, partner):
    return {
        level: make_agreement(
            staff_user,
            organization,
            [organization, partner],
            title=f"Agreement {level}",
            confidentiality=level,
        )
        for level in ("public", "network", "restricted")
    }


def _viewer(request, audience):
    return AnonymousUser() if audience == "anonymous" else request.getfixturevalue(audience)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_visibility_for_every_audience(request, audience, by_level, loner, outsider):
    viewer = _viewer(request, audience)
    listed = {agreement.confidentiality for agreement in selectors.agreement_list(viewer=viewer)}
    assert listed == SEES[audience]
    for level, agreement in by_level.items():
        if level in SEES[audience]:
            assert selectors.agreement_get(viewer=viewer, pk=agreement.pk) == agreement
        else:
            with pytest.raises(type(agreement).DoesNotExist):
                selectors.agreement_get(viewer=viewer, pk=agreement.pk)
    # The documents of even a public agreement are for the parties only.
    assert can_download_documents(viewer, by_level["public"]) == (audience in DOWNLOADS)


def test_filters(staff_user, organization, partner, other_organization):
    nda = make_agreement(
        staff_user,
        organization,
        [organization, partner],
        kind="nda",
        title="Mutual NDA on zircon",
        **signed(valid_until=days(20)),
    )
    memorandum = make_agreement(
        staff_user,
        organization,
        [organization, other_organization],
        kind="memorandum",
        title="Memorandum of understanding",
        **signed(valid_until=days(400)),
    )
    expired = make_agreement(
        staff_user,
        organization,
        [organization, partner],
        kind="licence",
        title="Old licence",
        **signed(valid_from=days(-400), valid_until=days(-5)),
    )
    draft = make_agreement(staff_user, organization, [organization, partner], title="Draft")

    def titles(**filters):
        agreements = selectors.agreement_list(
            viewer=staff_user, filters=AgreementFilters(**filters)
        )
        return {agreement.title for agreement in agreements}

    assert titles(kind="nda") == {nda.title}
    assert titles(status="draft") == {draft.title}
    assert titles(party="far-park") == {memorandum.title}
    assert titles(party="wuxi-park") == {nda.title, expired.title, draft.title}
    assert titles(validity="in_force") == {nda.title, memorandum.title}
    assert titles(validity="expiring") == {nda.title}
    assert titles(validity="expiring", within_days=500) == {nda.title, memorandum.title}
    assert titles(validity="expired") == {expired.title}
    assert titles(query="zircon") == {nda.title}
    assert titles(query="saint petersburg") == {nda.title, memorandum.title, expired.title}


def test_expiring_uses_each_agreements_reminder(member, organization, partner):
    make_agreement(
        member, organization, [organization, partner], title="Soon", **signed(valid_until=days(50))
    )
    make_agreement(
        member,
        organization,
        [organization, partner],
        title="Later",
        remind_days_before=30,
        **signed(valid_until=days(50)),
    )
    make_agreement(
        member,
        organization,
        [organization, partner],
        title="Just expired",
        **signed(valid_from=days(-300), valid_until=days(-29)),
    )
    make_agreement(
        member,
        organization,
        [organization, partner],
        title="Long expired",
        **signed(valid_from=days(-300), valid_until=days(-31)),
    )
    make_agreement(
        member,
        organization,
        [organization, partner],
        title="Terminated",
        status="terminated",
        valid_until=days(5),
    )
    make_agreement(
        member,
        organization,
        [organization, partner],
        title="Open-ended",
        **signed(valid_until=None),
    )
    expiring = selectors.agreements_expiring(viewer=member)
    assert [agreement.title for agreement in expiring] == ["Just expired", "Soon"]
    assert {a.title for a in selectors.agreements_expiring(viewer=member, within_days=60)} == {
        "Just expired",
        "Soon",
        "Later",
    }


def test_expiring_lists_only_the_viewers_organizations(
    staff_user, member, partner_member, outsider, loner, organization, partner, other_organization
):
    make_agreement(
        staff_user,
        organization,
        [organization, partner],
        title="Ours",
        confidentiality="network",
        **signed(valid_until=days(10)),
    )
    assert [a.title for a in selectors.agreements_expiring(viewer=member)] == ["Ours"]
    assert [a.title for a in selectors.agreements_expiring(viewer=partner_member)] == ["Ours"]
    # Outsiders see the network agreement in the list, but it is not theirs to be reminded of.
    assert not selectors.agreements_expiring(viewer=outsider).exists()
    assert not selectors.agreements_expiring(viewer=loner).exists()
    assert not selectors.agreements_expiring(viewer=AnonymousUser()).exists()
    # Staff are reminded of their own organizations' agreements, not of everyone's.
    assert not selectors.agreements_expiring(viewer=staff_user).exists()


def test_grant_provider_requires_the_project_owner_to_be_a_party(organization, partner, staff_user):
    third = OrganizationFactory(slug="third")
    ours = make_project(staff_user, organization, slug="ours")
    stranger = make_project(staff_user, third, slug="strangers")
    AgreementFactory(
        kind="nda",
        owner=organization,
        parties=[partner],
        granted_projects=[ours, stranger],
        **signed(),
    )
    assert selectors.projects_granted_by_ndas({partner.pk}) == {ours.pk}
    assert selectors.projects_granted_by_ndas({third.pk}) == set()
