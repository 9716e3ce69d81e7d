"""Panels that apps higher up add to the pages of apps below them: the agreements on a
cooperation's page, the cooperations on a project's page. The page's app renders whatever is
registered for its model without importing the apps that register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

# Given the viewer and the object of the page, the template's context, or None to show nothing.
PanelContext = Callable[[Any, Model], dict[str, Any] | None]


@dataclass(frozen=True)
class RelatedPanel:
    template: str
    context: PanelContext
    order: int = 100


_panels: dict[str, list[RelatedPanel]] = {}


def register_related_panel(
    model_label: str, *, template: str, context: PanelContext, order: int = 100
) -> None:
    panels = _panels.setdefault(model_label.lower(), [])
    if all(panel.context is not context for panel in panels):
        panels.append(RelatedPanel(template, context, order))
        panels.sort(key=lambda panel: panel.order)


def related_panels(viewer: Any, obj: Model) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel that has something to show this viewer."""
    shown = []
    for panel in _panels.get(obj._meta.label_lower, []):
        context = panel.context(viewer, obj)
        if context is not None:
            shown.append((panel.template, context))
    return shown


LIST_PANEL_TEMPLATE = "includes/related_list_panel.html"


@dataclass(frozen=True)
class PanelItem:
    url: str
    label: str
    detail: str = ""
    badge: str = ""
    language: str = ""


def list_panel(
    *, key: str, title: Any, icon: str, items: list[PanelItem], more_url: str = ""
) -> dict[str, Any] | None:
    """The context of a panel that lists related records; None when there are none."""
    if not items:
        return None
    return {"key": key, "title": title, "icon": icon, "items": items, "more_url": more_url}
