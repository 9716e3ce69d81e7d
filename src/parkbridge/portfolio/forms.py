from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.core.models import Confidentiality
from parkbridge.portfolio.models import (
    TRL_CHOICES,
    Currency,
    IPAsset,
    NeedKind,
    ParticipantRole,
    Project,
    ProjectKind,
    ProjectStage,
)
from parkbridge.registry import selectors as registry_selectors
from parkbridge.registry.forms import present_country_choices
from parkbridge.registry.models import FocusArea, Organization, Person


def focus_area_label(area: FocusArea) -> str:
    return f"{registry_selectors.EM_SPACE * (area.level - 1)}{area.code} {area.name}"


class FocusAreaMultipleField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=FocusArea.objects.order_by("position"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            label=_("Focus areas"),
            **kwargs,
        )

    def label_from_instance(self, obj: FocusArea) -> str:
        return focus_area_label(obj)


class KeywordsField(forms.CharField):
    """Keywords typed as one line, separated by commas or semicolons."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]


def _choices_with_any(choices: Any, any_label: Any) -> list[tuple[str, Any]]:
    return [("", any_label), *choices]


def _trl_filter_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *[(str(level), str(level)) for level in range(1, 10)]]


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    owner = forms.SlugField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_choices_with_any(ProjectKind.choices, _("Any kind")),
    )
    focus_area = forms.ChoiceField(
        label=_("Focus area"),
        required=False,
        choices=lambda: [
            ("", _("Any focus area")),
            *registry_selectors.focus_area_choices(max_level=2),
        ],
    )
    trl_min = forms.TypedChoiceField(
        label=_("TRL from"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_trl_filter_choices,
    )
    trl_max = forms.TypedChoiceField(
        label=_("TRL to"), required=False, coerce=int, empty_value=None, choices=_trl_filter_choices
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=_choices_with_any(ProjectStage.choices, _("Any stage")),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=present_country_choices,
    )
    need = forms.ChoiceField(
        label=_("Seeks"), required=False, choices=_choices_with_any(NeedKind.choices, _("Anything"))
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_choices_with_any(CONTENT_LANGUAGES, _("Any language")),
    )


class ProjectForm(forms.ModelForm):
    focus_areas = FocusAreaMultipleField()
    keywords = KeywordsField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect automatically")), *CONTENT_LANGUAGES],
        help_text=_("The language the title and summary are written in."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Project
        fields = [
            "kind",
            "owner",
            "title",
            "summary",
            "language",
            "keywords",
            "focus_areas",
            "trl",
            "stage",
            "founded_on",
            "legal_form",
            "team_size",
            "revenue_band",
            "website",
            "confidentiality",
            "shared_with",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "shared_with": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "trl": _(
                "Technology readiness level (EU/NASA scale): 1–3 research, 4–6 development "
                "and validation, 7–9 demonstration and use in operation."
            ),
            "founded_on": _("Startups only, like legal form, team size and revenue."),
        }

    def __init__(self, *args: Any, owner_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices  # type: ignore[attr-defined]
        self.fields["shared_with"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]
        self.fields["shared_with"].help_text = _(
            "For restricted projects: organizations that may see it (e.g. after an NDA)."
        )
        self.fields["trl"].widget.choices = [("", "—"), *TRL_CHOICES]

    def _post_clean(self) -> None:
        # The service validates the whole project (language detection, sharing, needs) and
        # reports back through the form; the model instance is not touched here.
        pass


class NeedForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Need"), choices=[("", "—"), *NeedKind.choices], required=False
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, min_value=0, decimal_places=0
    )
    amount_max = forms.DecimalField(
        label=_("Amount to"), required=False, min_value=0, decimal_places=0
    )
    currency = forms.ChoiceField(
        label=_("Currency"), required=False, choices=[("", "—"), *Currency.choices]
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=list(all_countries),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class ParticipantForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.order_by("name_en"), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, required=False)


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("full_name_latin"), required=False
    )
    role = forms.CharField(label=_("Role"), max_length=120, required=False)


class TranslationForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *CONTENT_LANGUAGES], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def filled_rows(formset: Any, key: str) -> list[dict[str, Any]]:
    """The cleaned rows of a formset that the user filled in (the `key` field is set)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get(key) and not data.get("DELETE"):
            rows.append({name: value for name, value in data.items() if name != "DELETE"})
    return rows


NeedFormSet = forms.formset_factory(NeedForm, extra=2, can_delete=True, max_num=8)
ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=1, can_delete=True, max_num=20)
TeamFormSet = forms.formset_factory(TeamMemberForm, extra=1, can_delete=True, max_num=30)
TranslationFormSet = forms.formset_factory(TranslationForm, extra=1, can_delete=True, max_num=10)


class IPAssetForm(forms.ModelForm):
    class Meta:
        model = IPAsset
        fields = [
            "kind",
            "title",
            "number",
            "jurisdiction",
            "filing_date",
            "grant_date",
            "status",
            "owner",
            "co_owners",
            "projects",
            "confidentiality",
            "shared_with",
        ]
        widgets = {
            "filing_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "grant_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "co_owners": forms.SelectMultiple(attrs={"size": 5}),
            "projects": forms.SelectMultiple(attrs={"size": 5}),
            "shared_with": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: Any, owner_choices: Any, project_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices  # type: ignore[attr-defined]
        self.fields["projects"].queryset = project_choices  # type: ignore[attr-defined]
        self.fields["co_owners"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]
        self.fields["shared_with"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


CONFIDENTIALITY_HELP = {
    Confidentiality.PUBLIC: _("Anyone can see it, also without signing in."),
    Confidentiality.NETWORK: _("Signed-in members of any organization can see it."),
    Confidentiality.RESTRICTED: _("Only your organization and the organizations you name."),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A .csv (UTF-8) or .xlsx file whose first row names the columns."),
    )
