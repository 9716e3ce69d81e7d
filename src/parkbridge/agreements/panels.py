"""The agreements shown on the pages of the cooperations and projects they are linked to."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from parkbridge.agreements.models import Agreement
from parkbridge.core import permissions
from parkbridge.core.panels import PanelItem, list_panel


def _agreement_item(agreement: Agreement) -> PanelItem:
    when = _("signed %(date)s") % {"date": agreement.signed_on} if agreement.signed_on else ""
    if agreement.is_expired:
        state = _("Expired")
    elif agreement.is_in_force():
        state = _("In force")
    else:
        state = agreement.get_status_display()
    return PanelItem(
        url=agreement.get_absolute_url(),
        label=agreement.title,
        detail=" · ".join(part for part in (agreement.get_kind_display(), when) if part),
        badge=str(state),
        language=agreement.language,
    )


def linked_agreements_panel(viewer: Any, obj: Model) -> dict[str, Any] | None:
    linked = obj.agreements.all()  # type: ignore[attr-defined]
    agreements = permissions.visible(linked, viewer).order_by("-signed_on", "-id")
    return list_panel(
        key="agreements",
        title=_("Agreements"),
        icon="bi-file-earmark-text",
        items=[_agreement_item(agreement) for agreement in agreements[:10]],
    )
