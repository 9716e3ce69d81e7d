"""Reads shared by every domain: the activity feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from parkbridge.core.models import AuditEvent

# Each domain app registers how to decide visibility of its objects in the feed
# (an app without an entry is not shown). Keys are "app_label.model".
_feed_visibility: dict[str, Callable[[Any, Model], bool]] = {}


def register_feed_visibility(model_label: str, rule: Callable[[Any, Model], bool]) -> None:
    _feed_visibility[model_label.lower()] = rule


def activity_list(*, viewer: Any, limit: int = 10) -> list[AuditEvent]:
    """The newest events about objects the viewer may see."""
    shown: list[AuditEvent] = []
    candidates = AuditEvent.objects.select_related("actor", "target_type").order_by(
        "-created_at", "-id"
    )
    for event in candidates[: limit * 10]:
        label = f"{event.target_type.app_label}.{event.target_type.model}"
        rule = _feed_visibility.get(label)
        if rule is None:
            continue
        target = event.target
        if target is None or not rule(viewer, target):
            continue
        shown.append(event)
        if len(shown) >= limit:
            break
    return shown
