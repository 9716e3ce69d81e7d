"""The home page and the "my organization" dashboard: views across the domain apps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parkbridge.agreements import selectors as agreement_selectors
from parkbridge.core import permissions
from parkbridge.core.selectors import activity_list
from parkbridge.news import selectors as news_selectors
from parkbridge.offers import selectors as offer_selectors
from parkbridge.pipeline import selectors as pipeline_selectors
from parkbridge.portfolio import selectors as portfolio_selectors
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.models import Organization


def home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    counts = {
        **registry_selectors.registry_counts(),
        **portfolio_selectors.project_counts(viewer=viewer),
        "offers": offer_selectors.offer_list(viewer=viewer).count(),
    }
    return render(
        request,
        "dashboard/home.html",
        {
            "counts": counts,
            "kinds": registry_selectors.organizations_by_kind(),
            "activity": activity_list(viewer=viewer, limit=12),
            "latest_news": news_selectors.news_latest(limit=3),
            "recent_projects": portfolio_selectors.project_list(viewer=viewer)[:5],
            "recent_offers": offer_selectors.offer_list(
                viewer=viewer, filters=offer_selectors.OfferFilters(current_only=True)
            )[:5],
        },
    )


@login_required
def my_organizations(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    organizations = Organization.objects.filter(
        pk__in=permissions.contributable_organization_ids(viewer)
    ).order_by("name_en")
    panels: list[dict[str, Any]] = []
    for organization in organizations:
        panels.append(
            {
                "organization": organization,
                "projects": portfolio_selectors.project_list(
                    viewer=viewer,
                    filters=portfolio_selectors.ProjectFilters(owner=organization.slug),
                ),
                "offers": offer_selectors.offer_list(
                    viewer=viewer, filters=offer_selectors.OfferFilters(owner=organization.slug)
                ),
                "ip_assets": portfolio_selectors.ip_asset_list(
                    viewer=viewer, owner=organization.slug
                ),
                "can_manage": permissions.can_manage_members(viewer, organization),
            }
        )
    return render(
        request,
        "dashboard/my_organizations.html",
        {
            "panels": panels,
            "expiring_agreements": agreement_selectors.agreements_expiring(viewer=viewer),
            "pipeline_summary": pipeline_selectors.pipeline_summary(viewer=viewer),
            "due_tasks": pipeline_selectors.task_list(viewer=viewer).exclude(due_on=None)[:5],
        },
    )
