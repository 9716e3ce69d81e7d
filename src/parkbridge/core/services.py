"""Writes shared by every domain: the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from parkbridge.core.models import AuditAction, AuditEvent

ChangeListener = Callable[[Model, str], None]
_change_listeners: list[ChangeListener] = []


def register_change_listener(listener: ChangeListener) -> None:
    """Call `listener(target, action)` for every audited change. Apps above the domain (such as
    matching, which indexes what changed) follow changes here instead of each domain service
    knowing about them."""
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def audit_record(
    *, actor: Any, action: AuditAction | str, target: Model, changes: dict[str, Any] | None = None
) -> AuditEvent:
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=changes or {},
    )
    for listener in _change_listeners:
        listener(target, str(action))
    return event


def changed_fields(instance: Model, values: dict[str, Any]) -> dict[str, Any]:
    """Set `values` on `instance` and return {field: [old, new]} for the ones that changed."""
    changes: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if _comparable(old) != _comparable(new):
            changes[field] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
    return changes


def _comparable(value: Any) -> Any:
    # Lists (countries, stages, keywords) are sets to a user; multi-country fields also hold
    # Country objects in an order of their own. Compare sorted codes.
    if not isinstance(value, str | bytes | dict) and hasattr(value, "__iter__"):
        return sorted(str(getattr(item, "code", item)) for item in value)
    return value


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    if hasattr(value, "__iter__"):
        return [str(getattr(item, "code", item)) for item in value]
    return str(value)
