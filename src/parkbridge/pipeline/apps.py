from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "parkbridge.pipeline"
    label = "pipeline"
    verbose_name = _("Cooperation pipeline")

    def ready(self) -> None:
        from parkbridge.core.panels import LIST_PANEL_TEMPLATE, register_related_panel
        from parkbridge.core.permissions import is_party
        from parkbridge.core.selectors import register_feed_visibility
        from parkbridge.core.services import register_change_listener
        from parkbridge.pipeline.panels import cooperations_panel

        register_change_listener(_open_lead_on_mutual_interest)
        for model_label in ("portfolio.project", "offers.offer", "registry.organization"):
            register_related_panel(
                model_label, template=LIST_PANEL_TEMPLATE, context=cooperations_panel, order=10
            )
        register_feed_visibility(
            "pipeline.cooperation",
            lambda user, cooperation: is_party(
                user,
                cooperation.organizations.values_list("pk", flat=True),  # type: ignore[attr-defined]
            ),
        )


def _open_lead_on_mutual_interest(target: Any, action: str) -> None:
    from parkbridge.matching.documents import MODEL_OF_KIND
    from parkbridge.matching.models import FeedbackVerdict, MatchFeedback
    from parkbridge.pipeline.services import lead_from_mutual_interest

    if not isinstance(target, MatchFeedback) or target.verdict != FeedbackVerdict.INTERESTED:
        return
    source = MODEL_OF_KIND[target.source_kind]._default_manager.filter(pk=target.source_id).first()
    matched = MODEL_OF_KIND[target.target_kind]._default_manager.filter(pk=target.target_id).first()
    if source is not None and matched is not None:
        lead_from_mutual_interest(actor=target.user, source=source, target=matched)
