from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.offers.models import Offer, OfferKind
from parkbridge.portfolio.forms import FocusAreaMultipleField
from parkbridge.portfolio.models import TRL_CHOICES, ProjectStage
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.models import Organization

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices_with_any(choices: Any, any_label: Any) -> list[tuple[str, Any]]:
    return [("", any_label), *choices]


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    owner = forms.SlugField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_choices_with_any(OfferKind.choices, _("Any kind")),
    )
    focus_area = forms.ChoiceField(
        label=_("Focus area"),
        required=False,
        choices=lambda: [
            ("", _("Any focus area")),
            *registry_selectors.focus_area_choices(max_level=2),
        ],
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        # Offers apply to markets anywhere, not only where member organizations sit.
        choices=lambda: [("", _("Any country")), *all_countries],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_choices_with_any(CONTENT_LANGUAGES, _("Any language")),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any TRL")), *[(str(level), f"TRL {level}") for level in range(1, 10)]],
    )
    current = forms.BooleanField(label=_("Current only"), required=False)


class OfferForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect automatically")), *CONTENT_LANGUAGES],
        help_text=_("The language the title and description are written in."),
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages"),
        required=False,
        choices=ProjectStage.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("The project stages the offer is meant for; none means any stage."),
    )
    focus_areas = FocusAreaMultipleField()

    class Meta:
        model = Offer
        fields = [
            "kind",
            "owner",
            "title",
            "description",
            "language",
            "contact",
            "focus_areas",
            "countries",
            "ticket_min",
            "ticket_max",
            "currency",
            "stages",
            "trl_min",
            "trl_max",
            "channels",
            "valid_from",
            "valid_until",
            "confidentiality",
            "shared_with",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
            "shared_with": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "contact": _("A person of the owner organization whom partners may contact."),
            "ticket_min": _("Investment offers state the ticket size they consider."),
            "trl_min": _(
                "Technology readiness level (EU/NASA scale): 1–3 research, 4–6 development "
                "and validation, 7–9 demonstration and use in operation."
            ),
            "valid_until": _("Leave empty while the offer stands."),
        }

    def __init__(self, *args: Any, owner_choices: Any, contact_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices  # type: ignore[attr-defined]
        self.fields["contact"].queryset = contact_choices  # type: ignore[attr-defined]
        self.fields["shared_with"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]
        self.fields["shared_with"].help_text = _(
            "For restricted offers: organizations that may see it (e.g. after an NDA)."
        )
        for name in ("trl_min", "trl_max"):
            self.fields[name].widget.choices = [("", "—"), *TRL_CHOICES]

    def _post_clean(self) -> None:
        # The service validates the whole offer (language detection, contact, sharing, ranges)
        # and reports back through the form; the model instance is not touched here.
        pass
