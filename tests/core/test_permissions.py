from __future__ import annotations

from typing import Any

from parkbridge.core.permissions import can_view, visible
from parkbridge.portfolio.models import Project
from parkbridge.portfolio.services import project_create
from tests.factories import OrganizationFactory


def test_park_admins_see_what_their_branches_keep_restricted(
    org_admin: Any, member: Any, organization: Any, outsider: Any, staff_user: Any
) -> None:
    branch = OrganizationFactory(slug="polytech-branch", name_en="Branch", parent=organization)
    secret = project_create(
        actor=staff_user,
        owner=branch,
        kind="research",
        title="Branch-only prototype",
        summary="Kept within the branch.",
        language="en",
        confidentiality="restricted",
    )
    # The admin of the parent runs the branch: may edit its items, so may see them.
    assert can_view(org_admin, secret)
    assert secret in visible(Project.objects.all(), org_admin)
    # A plain member of the parent and members of other organizations do not.
    assert not can_view(member, secret)
    assert not can_view(outsider, secret)
    assert secret not in visible(Project.objects.all(), member)


def test_memberships_are_looked_up_once_per_request_and_fresh_outside(
    member: Any, other_organization: Any, django_assert_num_queries: Any
) -> None:
    from parkbridge.accounts.models import Membership
    from parkbridge.core.permissions import organization_ids, remembered_for_request

    with remembered_for_request():
        first = organization_ids(member)
        with django_assert_num_queries(0):
            assert organization_ids(member) == first
    Membership.objects.create(user=member, organization=other_organization)
    assert organization_ids(member) == first | {other_organization.pk}


def test_a_list_page_asks_for_memberships_once(
    member: Any, organization: Any, staff_user: Any, client: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(12):
        project_create(
            actor=staff_user,
            owner=organization,
            kind="research",
            title=f"Restricted study {number}",
            summary="Internal.",
            language="en",
            confidentiality="restricted",
        )
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/projects/").status_code == 200
    membership_reads = [q for q in queries.captured_queries if "accounts_membership" in q["sql"]]
    assert len(membership_reads) <= 4
