"""News forms: the item (publisher, picture, links) and one text block per language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parkbridge.core.i18n import CONTENT_LANGUAGES, content_language_label
from parkbridge.news.models import NewsItem
from parkbridge.registry.models import Organization

# The blocks every news form shows: the languages of the platform's users.
FORM_LANGUAGES = ("en", "ru", "zh")


class NewsFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    language = forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Any language")), *CONTENT_LANGUAGES],
    )
    drafts = forms.BooleanField(label=_("Drafts and scheduled only"), required=False)

    def __init__(self, *args: Any, organization_choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", _("Any organization")),
            *[(org.slug, org.display_name) for org in organization_choices],
        ]


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = ["publisher", "image", "organizations", "events", "agreements"]
        widgets = {
            "organizations": forms.SelectMultiple(attrs={"size": 6}),
            "events": forms.SelectMultiple(attrs={"size": 4}),
            "agreements": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "image": _("A photo or illustration shown with the news."),
            "organizations": _("Organizations the news is about."),
            "events": _("The meeting, visit or conference it reports."),
            "agreements": _(
                "Agreements it announces. Readers see only those they are allowed to see."
            ),
        }

    def __init__(
        self,
        *args: Any,
        publisher_choices: Any,
        event_choices: Any,
        agreement_choices: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = publisher_choices  # type: ignore[attr-defined]
        self.fields["organizations"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]
        self.fields["events"].queryset = event_choices  # type: ignore[attr-defined]
        self.fields["agreements"].queryset = agreement_choices  # type: ignore[attr-defined]
        self.fields["publisher"].label_from_instance = lambda org: org.display_name  # type: ignore[attr-defined]
        self.fields["organizations"].label_from_instance = lambda org: org.display_name  # type: ignore[attr-defined]
        if self.instance.pk:
            # Links the editor may not see stay as they are; the service keeps them.
            visible_events = {event.pk for event in event_choices}
            visible_agreements = {agreement.pk for agreement in agreement_choices}
            self.initial["events"] = [
                pk
                for pk in self.instance.events.values_list("pk", flat=True)
                if pk in visible_events
            ]
            self.initial["agreements"] = [
                pk
                for pk in self.instance.agreements.values_list("pk", flat=True)
                if pk in visible_agreements
            ]

    def _post_clean(self) -> None:
        # The service validates and saves; the form only reads what was typed.
        pass


class NewsTextForm(forms.Form):
    """The text in one language; left empty, the language is skipped."""

    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", "—"), *CONTENT_LANGUAGES]
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    lead = forms.CharField(
        label=pgettext_lazy("opening paragraph of a news item", "Lead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in the list and the feed."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.initial.get("language", "")
        # A block for a given language shows its name; the spare block asks for one.
        self.fixed_language = language
        self.legend: Any
        if language:
            self.fields["language"].widget = forms.HiddenInput()
            self.legend = content_language_label(language)
        else:
            self.legend = _("Another language")

    @property
    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("title", "lead", "body"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fixed_language:
            # The block's language is the one it was shown for, whatever came back.
            data["language"] = self.fixed_language
        for name in ("title", "lead", "body"):
            data[name] = (data.get(name) or "").strip()
        if any(data.get(name) for name in ("title", "lead", "body")):
            if not data.get("language"):
                self.add_error("language", _("Choose the language of this text."))
            if not data["title"]:
                self.add_error("title", _("Give this text a title."))
            if not data["body"]:
                self.add_error("body", _("Write the text of the news."))
        return data


class BaseNewsTextFormSet(forms.BaseFormSet):
    def texts(self) -> list[dict[str, str]]:
        """The filled blocks, for the services."""
        return [
            {name: form.cleaned_data[name] for name in ("language", "title", "lead", "body")}
            for form in self.forms
            if form.is_filled
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        languages = [text["language"] for text in self.texts()]
        if not languages:
            raise forms.ValidationError(_("Write the news in at least one language."))
        if len(languages) != len(set(languages)):
            raise forms.ValidationError(_("Each language can have one text only."))


NewsTextFormSet = forms.formset_factory(
    NewsTextForm, formset=BaseNewsTextFormSet, extra=0, max_num=len(CONTENT_LANGUAGES)
)


def news_text_initial(item: NewsItem | None) -> list[dict[str, str]]:
    """English, Russian and Chinese blocks, the item's other languages, and a spare block."""
    texts = {text.language: text for text in item.translations.all()} if item else {}
    languages = [*FORM_LANGUAGES, *[code for code in texts if code not in FORM_LANGUAGES]]
    initial: list[dict[str, str]] = []
    for language in languages:
        text = texts.get(language)
        initial.append(
            {
                "language": language,
                "title": text.title if text else "",
                "lead": text.lead if text else "",
                "body": text.body if text else "",
            }
        )
    initial.append({"language": ""})
    return initial
