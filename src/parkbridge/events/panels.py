"""The events shown on the page of a cooperation that one of their outcomes opened."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.panels import PanelItem, list_panel
from parkbridge.events.models import Event


def originating_events_panel(viewer: Any, obj: Model) -> dict[str, Any] | None:
    events = permissions.visible(
        Event.objects.filter(outcomes__cooperation_id=obj.pk), viewer
    ).order_by("-starts_at")
    return list_panel(
        key="events",
        title=_("Events"),
        icon="bi-calendar-event",
        items=[
            PanelItem(
                url=event.get_absolute_url(),
                label=event.title,
                detail=" · ".join(
                    (date_format(localtime(event.starts_at).date()), event.get_kind_display())
                ),
                language=event.language,
            )
            for event in events[:10]
        ],
    )
