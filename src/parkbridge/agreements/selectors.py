"""Reads of agreements, through the confidentiality policy, and the NDA access grant."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkbridge.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatus,
)
from parkbridge.agreements.services import can_download_documents
from parkbridge.core import permissions
from parkbridge.core.models import Confidentiality
from parkbridge.pipeline.models import Cooperation
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

IN_FORCE = "in_force"
EXPIRING = "expiring"
EXPIRED = "expired"
VALIDITY_CHOICES = [
    (IN_FORCE, gettext_lazy("In force")),
    (EXPIRING, gettext_lazy("Expiring soon")),
    (EXPIRED, gettext_lazy("Expired")),
]
DEFAULT_EXPIRING_DAYS = 90
# The dashboard keeps reminding of an agreement this long after it has expired.
RECENTLY_EXPIRED_DAYS = 30


@dataclass(frozen=True)
class AgreementFilters:
    query: str = ""
    kind: str = ""
    status: str = ""
    party: str = ""  # organization slug
    validity: str = ""  # IN_FORCE, EXPIRING (within `within_days`) or EXPIRED
    within_days: int = DEFAULT_EXPIRING_DAYS


def in_force_filter(day: datetime.date | None = None) -> Q:
    """The agreements in force on `day` (today): signed, and the day within their validity."""
    day = day or timezone.localdate()
    return (
        Q(status=AgreementStatus.SIGNED)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def _words(query: str) -> list[str]:
    return [word.lower() for word in query.split() if word][:8]


def agreement_list(*, viewer: Any, filters: AgreementFilters | None = None) -> QuerySet[Agreement]:
    filters = filters or AgreementFilters()
    today = timezone.localdate()
    agreements = permissions.visible(Agreement.objects.all(), viewer)
    for word in _words(filters.query):
        agreements = agreements.filter(search_text__contains=word)
    if filters.kind:
        agreements = agreements.filter(kind=filters.kind)
    if filters.status:
        agreements = agreements.filter(status=filters.status)
    if filters.party:
        agreements = agreements.filter(parties__slug=filters.party)
    if filters.validity == IN_FORCE:
        agreements = agreements.filter(in_force_filter(today))
    elif filters.validity == EXPIRING:
        horizon = today + datetime.timedelta(days=max(filters.within_days, 0))
        agreements = agreements.filter(in_force_filter(today), valid_until__lte=horizon)
    elif filters.validity == EXPIRED:
        agreements = agreements.filter(status=AgreementStatus.SIGNED, valid_until__lt=today)
    return (
        agreements.distinct()
        .select_related("owner")
        .prefetch_related("parties")
        .order_by("-signed_on", "-created_at", "-id")
    )


def agreement_get(*, viewer: Any, pk: int) -> Agreement:
    """The agreement, or Agreement.DoesNotExist when it is missing or not visible to the viewer."""
    return (
        permissions.visible(Agreement.objects.all(), viewer)
        .select_related("owner", "created_by")
        .prefetch_related("parties")
        .get(pk=pk)
    )


def agreements_expiring(
    *,
    viewer: Any,
    within_days: int | None = None,
    expired_days: int = RECENTLY_EXPIRED_DAYS,
) -> QuerySet[Agreement]:
    """Signed agreements of the viewer's own organizations that end within `within_days` (by
    default each agreement's own `remind_days_before`) or ended in the last `expired_days`."""
    mine = permissions.contributable_organization_ids(viewer)
    if not mine:
        return Agreement.objects.none()
    today = timezone.localdate()
    candidates = permissions.visible(
        Agreement.objects.filter(
            status=AgreementStatus.SIGNED,
            parties__in=mine,
            valid_until__gte=today - datetime.timedelta(days=expired_days),
        ),
        viewer,
    ).values_list("pk", "valid_until", "remind_days_before")
    # The horizon differs per agreement; comparing in Python keeps it the same on every database.
    ids = [
        pk
        for pk, valid_until, remind_days_before in candidates
        if (valid_until - today).days
        <= (within_days if within_days is not None else remind_days_before)
    ]
    return (
        Agreement.objects.filter(pk__in=ids)
        .select_related("owner")
        .prefetch_related("parties")
        .order_by("valid_until", "id")
    )


def agreement_documents(*, viewer: Any, agreement: Agreement) -> QuerySet[AgreementDocument]:
    """The documents, for those who may download them (the parties and staff); else none."""
    if not can_download_documents(viewer, agreement):
        return AgreementDocument.objects.none()
    return agreement.documents.select_related("uploaded_by")


def agreement_document_get(*, viewer: Any, agreement_pk: int, pk: int) -> AgreementDocument:
    """A document to download: DoesNotExist where the agreement is not visible or the document
    missing; PermissionDenied for those who see the agreement but are not one of its parties."""
    agreement = agreement_get(viewer=viewer, pk=agreement_pk)
    document = agreement.documents.get(pk=pk)
    if not can_download_documents(viewer, agreement):
        raise PermissionDenied(_("Only the parties to the agreement may download its documents."))
    return document


def agreement_projects(*, viewer: Any, agreement: Agreement) -> QuerySet[Project]:
    return permissions.visible(agreement.projects.all(), viewer).select_related("owner")


def agreement_granted_projects(*, viewer: Any, agreement: Agreement) -> QuerySet[Project]:
    return permissions.visible(agreement.granted_projects.all(), viewer).select_related("owner")


def visible_cooperations(*, viewer: Any) -> QuerySet[Cooperation]:
    return Cooperation.objects.filter(
        permissions.party_filter(viewer, field="organizations")
    ).distinct()


def agreement_cooperations(*, viewer: Any, agreement: Agreement) -> QuerySet[Cooperation]:
    return agreement.cooperations.filter(
        pk__in=visible_cooperations(viewer=viewer).values("pk")
    ).order_by("title")


def party_choices() -> QuerySet[Organization]:
    # The registry is public: any organization can be the other party.
    return Organization.objects.order_by("name_en")


def project_choices(*, viewer: Any) -> QuerySet[Project]:
    return (
        permissions.visible(Project.objects.all(), viewer)
        .select_related("owner")
        .order_by("owner__name_en", "title")
    )


def grantable_project_choices(*, viewer: Any) -> QuerySet[Project]:
    """Restricted projects that the viewer's organizations may open to others under an NDA."""
    projects = Project.objects.filter(confidentiality=Confidentiality.RESTRICTED)
    if not permissions.is_platform_staff(viewer):
        projects = projects.filter(owner__in=permissions.contributable_organization_ids(viewer))
    return projects.select_related("owner").order_by("owner__name_en", "title")


def cooperation_choices(*, viewer: Any) -> QuerySet[Cooperation]:
    return visible_cooperations(viewer=viewer).order_by("title")


def projects_granted_by_ndas(organization_ids: Iterable[int]) -> set[int]:
    """Projects that NDAs in force today open to these organizations: each granted project
    belongs to a party of the NDA, and one of `organization_ids` is another party."""
    agreement_ids = set(
        Agreement.objects.filter(
            in_force_filter(), kind=AgreementKind.NDA, parties__in=list(organization_ids)
        ).values_list("pk", flat=True)
    )
    if not agreement_ids:
        return set()
    parties: dict[int, set[int]] = defaultdict(set)
    for agreement_id, organization_id in Agreement.parties.through.objects.filter(
        agreement_id__in=agreement_ids
    ).values_list("agreement_id", "organization_id"):
        parties[agreement_id].add(organization_id)
    granted = Agreement.granted_projects.through.objects.filter(
        agreement_id__in=agreement_ids
    ).values_list("agreement_id", "project_id", "project__owner_id")
    # The services check ownership when a project is named; a project that changed hands
    # since then no longer comes with the NDA.
    return {project for agreement, project, owner in granted if owner in parties[agreement]}
