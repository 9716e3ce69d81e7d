from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "parkbridge.matching"
    label = "matching"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from django.core.checks import register

        from parkbridge.core.services import register_change_listener
        from parkbridge.matching.checks import glossaries_readable
        from parkbridge.matching.services import item_changed

        register_change_listener(item_changed)
        register(glossaries_readable)
