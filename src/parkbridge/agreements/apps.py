from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "parkbridge.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from parkbridge.agreements.panels import linked_agreements_panel
        from parkbridge.agreements.selectors import projects_granted_by_ndas
        from parkbridge.core.panels import LIST_PANEL_TEMPLATE, register_related_panel
        from parkbridge.core.permissions import register_access_grant

        # A signed NDA in force opens the restricted projects it names to the other parties:
        # lists, pages, API and matching all ask the one policy, which asks this provider.
        register_access_grant("portfolio.project", projects_granted_by_ndas)
        for model_label in ("pipeline.cooperation", "portfolio.project"):
            register_related_panel(
                model_label, template=LIST_PANEL_TEMPLATE, context=linked_agreements_panel
            )
