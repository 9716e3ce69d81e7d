from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.registry import selectors
from parkbridge.registry.models import FocusArea, Organization, OrganizationKind, Person


def _kind_choices() -> list[tuple[str, Any]]:
    return [("", _("Any kind")), *OrganizationKind.choices]


def present_country_choices() -> list[tuple[str, Any]]:
    """Any country, then the countries where member organizations sit."""
    from django_countries import countries

    present = set(selectors.organization_countries())
    return [("", _("Any country"))] + [(code, name) for code, name in countries if code in present]


def _focus_area_choices() -> list[tuple[str, Any]]:
    return [("", _("Any focus area")), *selectors.focus_area_choices(max_level=2)]


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Any language")), *CONTENT_LANGUAGES]


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_kind_choices)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=present_country_choices)
    focus_area = forms.ChoiceField(
        label=_("Focus area"), required=False, choices=_focus_area_choices
    )

    def to_filters(self) -> selectors.OrganizationFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.OrganizationFilters(
            query=data.get("q", ""),
            kind=data.get("kind", ""),
            country=data.get("country", ""),
            focus_area=data.get("focus_area", ""),
        )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=present_country_choices)
    focus_area = forms.ChoiceField(
        label=_("Focus area"), required=False, choices=_focus_area_choices
    )
    language = forms.ChoiceField(label=_("Speaks"), required=False, choices=_language_choices)

    def to_filters(self) -> selectors.PersonFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.PersonFilters(
            query=data.get("q", ""),
            country=data.get("country", ""),
            focus_area=data.get("focus_area", ""),
            language=data.get("language", ""),
        )


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.filter(level__lte=3).order_by("position"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "name_language",
            "name_en",
            "name_ru",
            "name_zh",
            "short_name",
            "kind",
            "country",
            "city",
            "website",
            "email",
            "parent",
            "description",
            "description_language",
            "focus_areas",
            "logo",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, parent_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent_choices is not None:
            self.fields["parent"].queryset = parent_choices  # type: ignore[attr-defined]
        focus_field = self.fields["focus_areas"]
        focus_field.label_from_instance = lambda area: (  # type: ignore[attr-defined]
            f"{selectors.EM_SPACE * (area.level - 1)}{area.code} {area.name}"
        )


class PersonForm(forms.ModelForm):
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.filter(level__lte=3).order_by("position"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=CONTENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "full_name_latin",
            "name_language",
            "expertise",
            "expertise_language",
            "languages",
            "focus_areas",
            "email",
            "phone",
            "messenger",
        ]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].label_from_instance = lambda area: (  # type: ignore[attr-defined]
            f"{selectors.EM_SPACE * (area.level - 1)}{area.code} {area.name}"
        )


class AffiliationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    position_en = forms.CharField(label=_("Position in English"), max_length=200, required=False)
    is_primary = forms.BooleanField(label=_("Primary affiliation"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
