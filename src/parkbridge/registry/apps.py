from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "parkbridge.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from parkbridge.core.selectors import register_feed_visibility

        # The registry is a public directory: every organization and person shows in the feed.
        register_feed_visibility("registry.organization", lambda viewer, obj: True)
        register_feed_visibility("registry.person", lambda viewer, obj: True)
