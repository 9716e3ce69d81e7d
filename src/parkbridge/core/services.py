"""Writes shared by every domain: the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from parkbridge.core.models import AuditAction, AuditEvent


def audit_record(
    *, actor: Any, action: AuditAction | str, target: Model, changes: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=changes or {},
    )


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
