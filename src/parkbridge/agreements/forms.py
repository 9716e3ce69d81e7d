from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parkbridge.agreements.document_types import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from parkbridge.agreements.models import Agreement, AgreementKind, AgreementStatus
from parkbridge.agreements.selectors import VALIDITY_CHOICES, party_choices
from parkbridge.agreements.services import max_upload_mb
from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.portfolio.models import Project

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *AgreementKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AgreementStatus.choices],
    )
    party = forms.ChoiceField(
        label=_("Party"),
        required=False,
        choices=lambda: [
            ("", _("Any party")),
            *[(org.slug, org.display_name) for org in party_choices()],
        ],
    )
    validity = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[("", _("Any validity")), *VALIDITY_CHOICES],
        help_text=_("Expiring soon: in force and ending within 90 days."),
    )


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.display_title} · {obj.owner.display_name}"


class AgreementForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect automatically")), *CONTENT_LANGUAGES],
        help_text=_("The language the title and summary are written in."),
    )
    projects = ProjectChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Projects the agreement is about."),
    )
    granted_projects = ProjectChoiceField(
        label=_("Gives access to"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_(
            "NDA only: restricted projects of your organization that the other parties may "
            "see while the NDA is signed and in force."
        ),
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "summary",
            "language",
            "owner",
            "parties",
            "status",
            "signed_on",
            "signed_place",
            "valid_from",
            "valid_until",
            "remind_days_before",
            "confidentiality",
            "cooperations",
            "projects",
            "granted_projects",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "parties": forms.SelectMultiple(attrs={"size": 6}),
            "cooperations": forms.SelectMultiple(attrs={"size": 4}),
            "signed_on": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }
        help_texts = {
            "owner": _("Your organization, which keeps this record; it must be a party."),
            "parties": _("All organizations that signed, yours included (at least two)."),
            "remind_days_before": _(
                "The dashboard reminds the parties this many days before the end of validity."
            ),
        }

    def __init__(
        self,
        *args: Any,
        owner_choices: Any,
        project_choices: Any,
        grantable_choices: Any,
        cooperation_choices: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices  # type: ignore[attr-defined]
        self.fields["parties"].queryset = party_choices()  # type: ignore[attr-defined]
        self.fields["projects"].queryset = project_choices  # type: ignore[attr-defined]
        self.fields["granted_projects"].queryset = grantable_choices  # type: ignore[attr-defined]
        self.fields["cooperations"].queryset = cooperation_choices  # type: ignore[attr-defined]
        self.fields["cooperations"].required = False

    def _post_clean(self) -> None:
        # The service validates the whole agreement (parties, links, NDA grants, dates) and
        # reports back through the form; the model instance is not touched here.
        pass


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Empty: the file name."),
    )
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("%(types)s; at most %(limit)s MB.") % {
            "types": ALLOWED_LABELS,
            "limit": f"{max_upload_mb():g}",
        }
