from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "parkbridge.offers"
    label = "offers"
    verbose_name = _("Offers and requests")

    def ready(self) -> None:
        from parkbridge.core.permissions import can_view
        from parkbridge.core.selectors import register_feed_visibility

        register_feed_visibility("offers.offer", can_view)
