"""Reads of matchmaking: suggestions for an item or a free-text request, for one viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import Http404

from parkbridge.core import permissions
from parkbridge.matching.documents import CONFIDENTIAL_KINDS, MODEL_OF_KIND
from parkbridge.matching.models import IndexedItem, MatchableKind
from parkbridge.matching.ranking import (
    Match,
    MatchSource,
    matches,
    target_kinds_for,
)

MAX_LIMIT = 50


def matchable_by_slug(kind: str, slug: str, *, viewer: Any) -> Model:
    """The item of `kind` with `slug`, if the viewer may see it; otherwise Http404, the same
    answer as for an item that does not exist."""
    model = MODEL_OF_KIND.get(kind)
    if model is None:
        raise Http404
    queryset = model._default_manager.filter(slug=slug)
    if kind in CONFIDENTIAL_KINDS:
        queryset = permissions.visible(queryset, viewer)
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


def matches_for_item(obj: Model, target_kind: str, *, viewer: Any, limit: int = 10) -> list[Match]:
    if hasattr(obj, "confidentiality") and not permissions.can_view(viewer, obj):
        raise Http404
    if target_kind not in target_kinds_for(obj):
        raise ValueError(target_kind)
    return matches(MatchSource.of(obj), target_kind, viewer=viewer, limit=min(limit, MAX_LIMIT))


def matches_for_text(
    text: str, target_kind: str, *, viewer: Any, language: str = "", limit: int = 10
) -> list[Match]:
    if target_kind not in MatchableKind.values:
        raise ValueError(target_kind)
    return matches(
        MatchSource.text(text, language), target_kind, viewer=viewer, limit=min(limit, MAX_LIMIT)
    )


def is_item_indexed(obj: Model, kind: str) -> bool:
    return IndexedItem.objects.filter(kind=kind, object_id=obj.pk).exists()
