"""Matchmaking pages: the Matches panel on item pages, the search page, feedback."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from parkbridge.core import permissions
from parkbridge.matching import selectors, services
from parkbridge.matching.embedders import IndexMismatch
from parkbridge.matching.forms import FeedbackForm, MatchSearchForm
from parkbridge.matching.models import FeedbackVerdict, MatchableKind
from parkbridge.matching.ranking import target_kinds_for

TARGET_LABELS = dict(MatchableKind.choices)


def _target(request: HttpRequest, allowed: list[str]) -> str:
    target = request.GET.get("target") or allowed[0]
    if target not in allowed:
        raise Http404
    return target


def _results_context(request: HttpRequest, kind: str, slug: str) -> dict[str, Any]:
    source = selectors.matchable_by_slug(kind, slug, viewer=request.user)
    allowed = target_kinds_for(source)
    target = _target(request, allowed)
    context: dict[str, Any] = {
        "source": source,
        "source_kind": kind,
        "target": target,
        "targets": [(value, TARGET_LABELS[value]) for value in allowed],
        "can_rate": permissions.is_network_member(request.user),
        "indexed": selectors.is_item_indexed(source, kind),
        "error": "",
    }
    try:
        context["matches"] = selectors.matches_for_item(source, target, viewer=request.user)
    except IndexMismatch as error:
        context["matches"], context["error"] = [], str(error)
    return context


def match_panel(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """The Matches panel of an item page: a tab per target kind, the chosen tab's suggestions."""
    return render(request, "matching/_panel.html", _results_context(request, kind, slug))


@require_POST
@login_required
def match_feedback(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    source = selectors.matchable_by_slug(kind, slug, viewer=request.user)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    target = selectors.matchable_by_slug(
        form.cleaned_data["target_kind"], form.cleaned_data["target_slug"], viewer=request.user
    )
    verdict = form.cleaned_data["verdict"]
    if not permissions.is_network_member(request.user):
        raise PermissionDenied
    if verdict == "clear":
        services.feedback_clear(actor=request.user, source=source, target=target)
    else:
        services.feedback_set(actor=request.user, source=source, target=target, verdict=verdict)
    return render(
        request,
        "matching/_feedback.html",
        {
            "source": source,
            "source_kind": kind,
            "target": target,
            "target_kind": form.cleaned_data["target_kind"],
            "verdict": None if verdict == "clear" else verdict,
            "hidden": verdict == FeedbackVerdict.NOT_RELEVANT,
            "restored": verdict == "clear" and request.POST.get("undo") == "1",
        },
    )


def match_search(request: HttpRequest) -> HttpResponse:
    form = MatchSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "matches": None, "error": ""}
    if form.is_valid():
        try:
            context["matches"] = selectors.matches_for_text(
                form.cleaned_data["q"],
                form.cleaned_data["target"],
                viewer=request.user,
                language=form.cleaned_data["language"],
                limit=20,
            )
        except IndexMismatch as error:
            context["error"] = str(error)
        context["target"] = form.cleaned_data["target"]
    partial = request.headers.get("HX-Request") == "true"
    template = "matching/_search_results.html" if partial else "matching/search.html"
    return render(request, template, context)
