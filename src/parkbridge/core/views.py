from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parkbridge.core.selectors import activity_list
from parkbridge.registry import selectors as registry_selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "counts": registry_selectors.registry_counts(),
            "kinds": registry_selectors.organizations_by_kind(),
            "activity": activity_list(viewer=request.user, limit=12),
            "recent_organizations": registry_selectors.organization_list(
                viewer=request.user
            ).order_by("-created_at")[:6],
        },
    )
