"""Forms of the brokerage pages: registration and availability, meeting requests, and the
organizers' settings, slots and scheduler run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.events.brokerage import DEFAULT_TIME_LIMIT_S, MAX_TIME_LIMIT_S
from parkbridge.events.models import Event, MeetingSlot

PRIORITY_CHOICES = [(2, _("High")), (1, _("Normal")), (0, _("Low"))]


def slot_label(slot: MeetingSlot) -> str:
    starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{formats.date_format(starts, 'D j M, H:i')}–{formats.time_format(ends, 'H:i')}"


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return slot_label(obj)


def _slot_field() -> SlotChoiceField:
    return SlotChoiceField(
        label=_("I am available in"),
        queryset=MeetingSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Meetings are only scheduled in the slots you tick."),
    )


def _limit_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Most meetings"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Leave empty for the event's default."),
    )


class ParticipantForm(forms.Form):
    """Registration, and later the participant's profile."""

    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,  # set in __init__
        required=False,
        empty_label=_("No organization"),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    offering = forms.CharField(
        label=_("What I offer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Technologies, services, investment, access to markets or facilities."),
    )
    seeking = forms.CharField(
        label=_("What I am looking for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Partners, customers, investors, technologies. Write in any language: "
            "suggestions work across Russian, Chinese and English."
        ),
    )
    profile_language = forms.ChoiceField(
        label=_("Language of my profile"),
        required=False,
        choices=[("", _("Detect automatically")), *CONTENT_LANGUAGES],
    )
    available_slots = _slot_field()
    meeting_limit = _limit_field()

    def __init__(self, *args: Any, event: Event, organization_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_choices  # type: ignore[attr-defined]
        self.fields["available_slots"].queryset = MeetingSlot.objects.filter(  # type: ignore[attr-defined]
            event=event
        ).order_by("starts_at")
        if not self.fields["available_slots"].queryset.exists():  # type: ignore[attr-defined]
            del self.fields["available_slots"]


class AvailabilityForm(forms.Form):
    available_slots = _slot_field()
    meeting_limit = _limit_field()

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["available_slots"].queryset = MeetingSlot.objects.filter(  # type: ignore[attr-defined]
            event=event
        ).order_by("starts_at")


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, initial=1
    )


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search participants"), required=False)


class SlotsForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("First meeting starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Last meeting ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    break_start = forms.TimeField(
        label=_("Break from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    break_end = forms.TimeField(
        label=_("Break until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("break_start")) != bool(data.get("break_end")):
            raise forms.ValidationError(_("Give both ends of the break, or neither."))
        return data

    def breaks(self) -> list[tuple[Any, Any]]:
        data = self.cleaned_data
        if data.get("break_start") and data.get("break_end"):
            return [(data["break_start"], data["break_end"])]
        return []


class BrokerageSettingsForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "meeting_minutes",
            "tables",
            "default_meeting_limit",
            "registration_open",
            "requests_open",
        ]

    def _post_clean(self) -> None:
        # The service validates and saves; the form only reads what was typed.
        pass


class ScheduleRunForm(forms.Form):
    time_limit_s = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=int(MAX_TIME_LIMIT_S),
        initial=int(DEFAULT_TIME_LIMIT_S),
        help_text=_("The solver stops after this time with the best schedule found."),
    )
