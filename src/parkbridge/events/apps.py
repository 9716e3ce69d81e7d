from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "parkbridge.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from parkbridge.core.panels import LIST_PANEL_TEMPLATE, register_related_panel
        from parkbridge.core.permissions import can_view
        from parkbridge.core.selectors import register_feed_visibility
        from parkbridge.events.panels import originating_events_panel

        register_feed_visibility("events.event", can_view)
        register_related_panel(
            "pipeline.cooperation",
            template=LIST_PANEL_TEMPLATE,
            context=originating_events_panel,
            order=50,
        )
