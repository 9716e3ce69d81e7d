"""The cooperations shown to their parties on the pages of the projects, offers and
organizations they involve."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from parkbridge.core.panels import PanelItem, list_panel
from parkbridge.pipeline import selectors
from parkbridge.pipeline.models import Cooperation
from parkbridge.registry.models import Organization


def cooperations_panel(viewer: Any, obj: Model) -> dict[str, Any] | None:
    if not getattr(viewer, "is_authenticated", False):
        return None
    cooperations = selectors.cooperation_list(viewer=viewer)
    more_url = ""
    if isinstance(obj, Organization):
        cooperations = cooperations.filter(organizations=obj)
        more_url = f"{reverse('pipeline:cooperation_list')}?organization={obj.slug}"
    elif isinstance(obj, Cooperation):
        return None
    else:
        field = str(obj._meta.model_name)  # "project" or "offer"
        cooperations = cooperations.filter(**{field: obj})
    return list_panel(
        key="cooperations",
        title=_("Cooperations"),
        icon="bi-kanban",
        more_url=more_url,
        items=[
            PanelItem(
                url=cooperation.get_absolute_url(),
                label=cooperation.title,
                badge=cooperation.get_stage_display(),
                detail=cooperation.next_step,
            )
            for cooperation in cooperations[:10]
        ],
    )
