from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.matching.models import MatchableKind


class MatchSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        min_length=3,
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("Find partners for … (in any language: English, Русский, 中文 …)"),
            }
        ),
    )
    target = forms.ChoiceField(
        label=_("Find"), choices=MatchableKind.choices, initial=MatchableKind.ORGANIZATION
    )
    language = forms.ChoiceField(
        label=_("Language of the request"),
        choices=[("", _("Detect")), *CONTENT_LANGUAGES],
        required=False,
    )


class FeedbackForm(forms.Form):
    target_kind = forms.ChoiceField(choices=MatchableKind.choices)
    target_slug = forms.SlugField(max_length=140)
    verdict = forms.ChoiceField(
        choices=[("interested", "interested"), ("not_relevant", "not_relevant"), ("clear", "clear")]
    )
