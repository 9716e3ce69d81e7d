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
