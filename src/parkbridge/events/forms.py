from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkbridge.core.i18n import CONTENT_LANGUAGES
from parkbridge.events.models import Event, EventKind, ParticipantRole
from parkbridge.events.selectors import PAST, UPCOMING
from parkbridge.registry.models import Organization, Person

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def language_field(help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect automatically")), *CONTENT_LANGUAGES],
        help_text=help_text,
    )


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *EventKind.choices]
    )
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Upcoming and past")), (UPCOMING, _("Upcoming")), (PAST, _("Past"))],
    )
    person = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", _("Any organization")),
            *[(organization.slug, organization.display_name) for organization in organizations],
        ]


class EventForm(forms.ModelForm):
    language = language_field(_("The language the title and description are written in."))

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "language",
            "starts_at",
            "ends_at",
            "place",
            "city",
            "country",
            "host",
            "visiting_organizations",
            "confidentiality",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "visiting_organizations": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "place": _("Building, room or address."),
            "visiting_organizations": _("The delegations or guests; none for an internal meeting."),
        }

    def __init__(self, *args: Any, host_choices: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = host_choices  # type: ignore[attr-defined]
        self.fields["visiting_organizations"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]
        self.fields["starts_at"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }
        self.fields["starts_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["ends_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates the whole event and reports back through the form.
        pass


class PersonField(forms.ChoiceField):
    """A person picked from groups (participants first); cleans to a Person or None."""

    def __init__(self, *, groups: list[tuple[Any, list[tuple[str, str]]]], **kwargs: Any) -> None:
        super().__init__(choices=[("", "—"), *groups], **kwargs)

    def clean(self, value: Any) -> Person | None:
        value = super().clean(value)
        return Person.objects.filter(pk=value).first() if value else None


def person_groups(
    event: Event, *, participants_first: bool
) -> list[tuple[Any, list[tuple[str, str]]]]:
    """People to choose from: the event's participants, the people of its organizations, and
    everyone else."""
    organization_ids = [event.host_id, *event.visiting_organizations.values_list("pk", flat=True)]
    participant_ids = set(event.participants.values_list("person_id", flat=True))
    people = Person.objects.order_by("full_name_latin").prefetch_related("affiliations")
    groups: dict[str, list[tuple[str, str]]] = {
        "participants": [],
        "organizations": [],
        "other": [],
    }
    for person in people:
        affiliated = any(
            affiliation.organization_id in organization_ids
            for affiliation in person.affiliations.all()
        )
        if person.pk in participant_ids and participants_first:
            group = "participants"
        elif affiliated:
            group = "organizations"
        else:
            group = "other"
        groups[group].append((str(person.pk), person.display_name))
    labels = {
        "participants": _("Participants"),
        "organizations": _("People of the host and visiting organizations"),
        "other": _("Other people"),
    }
    return [(labels[key], choices) for key, choices in groups.items() if choices]


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, initial="attendee")
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Empty: the person's primary organization."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonField(
            label=_("Person"), groups=person_groups(event, participants_first=False)
        )
        self.order_fields(["person", "role", "organization", "position"])
        self.fields["organization"].queryset = Organization.objects.order_by("name_en")  # type: ignore[attr-defined]


class AgendaItemForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = PersonField(
            label=_("Speaker"), required=False, groups=person_groups(event, participants_first=True)
        )
        self.order_fields(["starts_at", "ends_at", "title", "speaker", "details"])


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    language = language_field()


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A direction for cooperation, a decision or a follow-up."),
    )


class OutcomeTaskForm(forms.Form):
    """Every field may stay empty: the task then belongs to the host, unassigned, undated."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=Organization.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        assignees: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["organization"].empty_label = _("The host")  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()  # type: ignore[attr-defined]


class OutcomeCooperationForm(forms.Form):
    """Empty fields take the defaults: the host and visitors, the outcome's text as title."""

    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Organization.objects.none(), required=False
    )
    offer = forms.ModelChoiceField(
        label=_("Offer or request"), queryset=Organization.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        projects: QuerySet[Any],
        offers: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
