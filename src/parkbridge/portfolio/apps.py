from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "parkbridge.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from parkbridge.core.permissions import can_view
        from parkbridge.core.selectors import register_feed_visibility

        # The feed shows a project only to those who may open it.
        register_feed_visibility("portfolio.project", can_view)
        register_feed_visibility("portfolio.ipasset", can_view)
