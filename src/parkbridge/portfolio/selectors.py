"""Reads of the portfolio. Every list and lookup goes through the confidentiality policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from parkbridge.core import permissions
from parkbridge.portfolio.models import IPAsset, Project
from parkbridge.registry.models import FocusArea


@dataclass(frozen=True)
class ProjectFilters:
    query: str = ""
    kind: str = ""
    focus_area: str = ""
    trl_min: int | None = None
    trl_max: int | None = None
    stage: str = ""
    country: str = ""  # the owner organization's country
    need: str = ""
    language: str = ""
    owner: str = ""  # organization slug


def _words(query: str) -> list[str]:
    return [word.lower() for word in query.split() if word][:8]


def focus_area_ids(code: str) -> set[int] | None:
    area = FocusArea.objects.filter(code=code).first()
    return area.descendant_ids() if area else None


def project_list(*, viewer: Any, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    filters = filters or ProjectFilters()
    projects = permissions.visible(Project.objects.all(), viewer)
    for word in _words(filters.query):
        projects = projects.filter(search_text__contains=word)
    if filters.kind:
        projects = projects.filter(kind=filters.kind)
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.trl_min is not None:
        projects = projects.filter(trl__gte=filters.trl_min)
    if filters.trl_max is not None:
        projects = projects.filter(trl__lte=filters.trl_max)
    if filters.country:
        projects = projects.filter(owner__country=filters.country.upper())
    if filters.need:
        projects = projects.filter(needs__kind=filters.need)
    if filters.language:
        projects = projects.filter(language=filters.language)
    if filters.owner:
        projects = projects.filter(owner__slug=filters.owner)
    if filters.focus_area:
        area_ids = focus_area_ids(filters.focus_area)
        if area_ids is None:
            return projects.none()
        projects = projects.filter(focus_areas__in=area_ids)
    return (
        projects.distinct()
        .select_related("owner")
        .prefetch_related("needs", "focus_areas", "translations")
        .order_by("-updated_at", "-id")
    )


def project_get(*, viewer: Any, slug: str) -> Project:
    """The project, or Project.DoesNotExist when it is missing or not visible to the viewer."""
    return (
        permissions.visible(Project.objects.all(), viewer)
        .select_related("owner", "owner__parent")
        .prefetch_related(
            "needs",
            "focus_areas",
            "translations",
            "shared_with",
            "participants__organization",
            "team__person",
        )
        .get(slug=slug)
    )


def project_ip_assets(*, viewer: Any, project: Project) -> QuerySet[IPAsset]:
    return permissions.visible(project.ip_assets.all(), viewer).select_related("owner")


def ip_asset_list(
    *, viewer: Any, query: str = "", owner: str = "", kind: str = ""
) -> QuerySet[IPAsset]:
    assets = permissions.visible(IPAsset.objects.all(), viewer)
    for word in _words(query):
        assets = assets.filter(Q(title__icontains=word) | Q(number__icontains=word))
    if owner:
        assets = assets.filter(owner__slug=owner)
    if kind:
        assets = assets.filter(kind=kind)
    return assets.distinct().select_related("owner").order_by("-filing_date", "title")


def ip_asset_get(*, viewer: Any, slug: str) -> IPAsset:
    return (
        permissions.visible(IPAsset.objects.all(), viewer)
        .select_related("owner")
        .prefetch_related("co_owners", "shared_with")
        .get(slug=slug)
    )


def ip_asset_projects(*, viewer: Any, asset: IPAsset) -> QuerySet[Project]:
    return permissions.visible(asset.projects.all(), viewer)


def project_counts(*, viewer: Any) -> dict[str, int]:
    projects = permissions.visible(Project.objects.all(), viewer)
    return {
        "projects": projects.count(),
        "startups": projects.filter(kind="startup").count(),
        "ip_assets": permissions.visible(IPAsset.objects.all(), viewer).count(),
    }
