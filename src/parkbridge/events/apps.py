from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "parkbridge.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from parkbridge.core.permissions import can_view
        from parkbridge.core.selectors import register_feed_visibility

        register_feed_visibility("events.event", can_view)
