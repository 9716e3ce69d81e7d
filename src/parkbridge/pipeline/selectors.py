"""Reads of cooperations and tasks: only those of the viewer's organizations (staff: all)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from parkbridge.core import permissions
from parkbridge.pipeline.models import OPEN_STAGES, Cooperation, CooperationStage, Task


@dataclass(frozen=True)
class CooperationFilters:
    query: str = ""
    stage: str = ""
    organization: str = ""  # slug
    owner: str = ""  # "me" for the viewer's own, or an e-mail
    source: str = ""
    open_only: bool = False
    overdue_only: bool = False


def cooperation_list(
    *, viewer: Any, filters: CooperationFilters | None = None
) -> QuerySet[Cooperation]:
    filters = filters or CooperationFilters()
    cooperations = Cooperation.objects.filter(permissions.party_filter(viewer))
    for word in [word.lower() for word in filters.query.split() if word][:8]:
        cooperations = cooperations.filter(
            Q(search_text__contains=word)
            | Q(organizations__search_text__contains=word)
            | Q(project__search_text__contains=word)
        )
    if filters.stage:
        cooperations = cooperations.filter(stage=filters.stage)
    if filters.organization:
        cooperations = cooperations.filter(organizations__slug=filters.organization)
    if filters.owner == "me":
        cooperations = cooperations.filter(owner=viewer if viewer.is_authenticated else None)
    elif filters.owner:
        cooperations = cooperations.filter(owner__email__iexact=filters.owner)
    if filters.source:
        cooperations = cooperations.filter(source=filters.source)
    if filters.open_only:
        cooperations = cooperations.filter(stage__in=OPEN_STAGES)
    if filters.overdue_only:
        cooperations = cooperations.filter(
            stage__in=OPEN_STAGES, next_step_due__lt=timezone.localdate()
        )
    return (
        Cooperation.objects.filter(pk__in=cooperations.values("pk"))
        .select_related("project", "offer", "owner")
        .prefetch_related("organizations")
        .order_by("-updated_at", "-id")
    )


def cooperation_get(*, viewer: Any, pk: int) -> Cooperation:
    """The cooperation, or Cooperation.DoesNotExist when missing or not the viewer's."""
    return (
        Cooperation.objects.filter(permissions.party_filter(viewer))
        .distinct()
        .select_related("project", "offer", "owner", "created_by")
        .prefetch_related("organizations")
        .get(pk=pk)
    )


@dataclass
class BoardColumn:
    stage: CooperationStage
    cooperations: list[Cooperation]
    totals: dict[str, Decimal]  # value per currency
    previous_stage: str | None
    next_stage: str | None

    @property
    def count(self) -> int:
        return len(self.cooperations)


def cooperation_board(
    *, viewer: Any, filters: CooperationFilters | None = None
) -> list[BoardColumn]:
    """The cooperations by stage, in pipeline order, with the value per currency of each."""
    by_stage: dict[str, list[Cooperation]] = defaultdict(list)
    for cooperation in cooperation_list(viewer=viewer, filters=filters).order_by(
        "stage_changed_at", "id"
    ):
        by_stage[cooperation.stage].append(cooperation)
    columns = []
    stages = list(CooperationStage)
    for position, stage in enumerate(stages):
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for cooperation in by_stage[stage]:
            if cooperation.value is not None:
                totals[cooperation.currency] += cooperation.value
        columns.append(
            BoardColumn(
                stage,
                by_stage[stage],
                dict(sorted(totals.items())),
                previous_stage=str(stages[position - 1]) if position else None,
                next_stage=str(stages[position + 1]) if position + 1 < len(stages) else None,
            )
        )
    return columns


def task_list(*, viewer: Any, include_done: bool = False) -> QuerySet[Task]:
    """Tasks of the viewer's organizations, open first and by due date."""
    tasks = Task.objects.filter(permissions.party_filter(viewer, field="organization"))
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    return tasks.select_related("organization", "cooperation", "assignee").order_by(
        "done_at", "due_on", "id"
    )


def task_get(*, viewer: Any, pk: int) -> Task:
    return task_list(viewer=viewer, include_done=True).get(pk=pk)


def pipeline_summary(*, viewer: Any) -> dict[str, int]:
    """Counts for the dashboard: open cooperations, overdue next steps, open tasks."""
    cooperations = cooperation_list(viewer=viewer, filters=CooperationFilters(open_only=True))
    today = timezone.localdate()
    return {
        "open": cooperations.count(),
        "overdue": cooperations.filter(next_step_due__lt=today).count(),
        "tasks": task_list(viewer=viewer).count(),
        "tasks_overdue": task_list(viewer=viewer).filter(due_on__lt=today).count(),
    }
