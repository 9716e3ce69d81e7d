from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parkbridge.offers.models import Offer
from parkbridge.pipeline.models import (
    ActivityKind,
    CommercialisationKind,
    Cooperation,
    CooperationStage,
    LeadSource,
)
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CooperationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("Any stage")), *CooperationStage.choices],
    )
    organization = forms.SlugField(required=False, widget=forms.HiddenInput)
    owner = forms.ChoiceField(
        label=_("Responsible"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me"))],
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *LeadSource.choices]
    )
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    overdue_only = forms.BooleanField(label=_("Next step overdue"), required=False)


class BoardFilterForm(CooperationFilterForm):
    """The board shows every stage as a column, so it filters by everything but the stage (and
    a move's `stage` travels with these filters)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["stage"]


class CooperationForm(forms.ModelForm):
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.none(),
        help_text=_("Your organization and its partners in this cooperation."),
    )

    class Meta:
        model = Cooperation
        fields = [
            "title",
            "organizations",
            "description",
            "project",
            "offer",
            "value",
            "currency",
            "owner",
            "next_step",
            "next_step_due",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "next_step_due": DATE_WIDGET,
        }

    def __init__(
        self,
        *args: Any,
        organization_choices: QuerySet[Organization],
        project_choices: QuerySet[Project],
        offer_choices: QuerySet[Offer],
        owner_choices: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organization_choices  # type: ignore[attr-defined]
        self.fields["project"].queryset = project_choices  # type: ignore[attr-defined]
        self.fields["offer"].queryset = offer_choices  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owner_choices  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.email
        )
        if self.instance.pk:
            self.initial.setdefault("organizations", list(self.instance.organizations.all()))


def owner_choices(organization_ids: set[int]) -> QuerySet[Any]:
    """People who may be responsible for a cooperation: members of the given organizations."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organization__in=organization_ids)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=CooperationStage.choices)
    lost_reason = forms.CharField(
        label=_("Reason it was lost"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    commercialisation = forms.ChoiceField(
        label=_("Commercialised as"),
        required=False,
        choices=[("", "—"), *CommercialisationKind.choices],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (value, label)
            for value, label in ActivityKind.choices
            if value != ActivityKind.STAGE_CHANGE
        ],
        initial=ActivityKind.NOTE,
    )
    text = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    attachment = forms.FileField(label=_("Document"), required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_WIDGET)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), required=False, queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, assignee_choices: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignee_choices  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.email
        )
