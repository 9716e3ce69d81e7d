"""Event pages through the Django test client: list, detail, inline editing, forms."""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from parkbridge.accounts.models import MembershipRole
from parkbridge.events.models import AgendaItem, Event, Outcome
from parkbridge.pipeline.models import Cooperation, Task
from tests.conftest import client_for
from tests.factories import (
    AgendaItemFactory,
    EventFactory,
    EventParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    OutcomeFactory,
    PersonFactory,
    UserFactory,
    event_time,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def wuxi() -> Any:
    return OrganizationFactory(slug="wuxi-branch", name_en="Wuxi branch", country="CN")


@pytest.fixture
def visitor(wuxi: Any) -> Any:
    user = UserFactory(email="visitor@wuxi.example")
    MembershipFactory(user=user, organization=wuxi, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def visit(organization: Any, wuxi: Any) -> Event:
    return EventFactory(
        slug="wuxi-visit",
        kind="delegation_visit",
        title="Visit of the Wuxi branch",
        host=organization,
        visiting_organizations=[wuxi],
        confidentiality="restricted",
    )


def _titles(html: str) -> list[str]:
    return [
        title.strip()
        for title in re.findall(r'class="fw-semibold event-title"[^>]*>([^<]+)<', html)
    ]


# List ------------------------------------------------------------------------------------------


def test_list_groups_upcoming_then_past_by_month(member, organization):
    now = timezone.now()
    EventFactory(
        title="Next conference",
        host=organization,
        starts_at=now + datetime.timedelta(days=40),
        ends_at=now + datetime.timedelta(days=41),
    )
    EventFactory(
        title="Spring visit",
        host=organization,
        starts_at=now - datetime.timedelta(days=200),
        ends_at=now - datetime.timedelta(days=200) + datetime.timedelta(hours=4),
    )
    html = client_for(member).get("/events/").content.decode()
    assert _titles(html) == ["Next conference", "Spring visit"]
    upcoming, past = '<h2 class="h5 mt-3">Upcoming</h2>', '<h2 class="h5 mt-3">Past</h2>'
    assert html.index(upcoming) < html.index("Next conference") < html.index(past)
    month = timezone.localtime(now + datetime.timedelta(days=40)).strftime("%B %Y")
    assert f'data-testid="month">{month}<' in html


@pytest.mark.parametrize("audience", ["anonymous", "loner", "outsider", "member", "staff_user"])
def test_list_hides_restricted_events(request, audience, visit):
    EventFactory(title="Open day", confidentiality="public")
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    response = client_for(user).get("/events/")
    assert response.status_code == 200
    titles = _titles(response.content.decode())
    assert "Open day" in titles
    assert ("Visit of the Wuxi branch" in titles) == (audience in {"member", "staff_user"})


def test_list_filters_with_htmx(member, visit):
    EventFactory(title="Materials conference", kind="conference", host=visit.host)
    response = client_for(member).get("/events/?kind=conference", **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert _titles(html) == ["Materials conference"]
    assert _titles(
        client_for(member).get("/events/?organization=wuxi-branch").content.decode()
    ) == ["Visit of the Wuxi branch"]


# Detail ----------------------------------------------------------------------------------------


def test_detail_shows_everything_of_the_visit(member, visit):
    person = PersonFactory(full_name="李伟", full_name_latin="Li Wei")
    EventParticipantFactory(event=visit, person=person, role="guest")
    AgendaItemFactory(event=visit, starts_at=event_time(10, 30), title="Startups and mentoring")
    OutcomeFactory(event=visit, text="Sources of finance")
    visit.minutes = "Both parks agreed."
    visit.save()
    html = client_for(member).get("/events/wuxi-visit/").content.decode()
    for text in (
        "Visit of the Wuxi branch",
        "Delegation visit",
        "Wuxi branch",
        "李伟 (Li Wei)",
        "Guest",
        "Startups and mentoring",
        "Both parks agreed.",
        "Sources of finance",
        "Make a task",
        "Open a cooperation",
        "/events/wuxi-visit/event.ics",
        'id="agenda-add"',
    ):
        assert text in html, text


def test_visitors_see_the_event_but_no_editing(visitor, visit):
    OutcomeFactory(event=visit, text="Sources of finance")
    html = client_for(visitor).get("/events/wuxi-visit/").content.decode()
    assert "Sources of finance" in html
    assert "Make a task" not in html and 'id="agenda-add"' not in html
    assert client_for(visitor).get("/events/wuxi-visit/edit/").status_code == 403
    response = client_for(visitor).post(
        "/events/wuxi-visit/outcomes/", {"outcome-text": "Ours"}, **HTMX
    )
    assert response.status_code == 403


@pytest.mark.parametrize("audience", ["anonymous", "loner", "outsider"])
def test_invisible_event_is_not_found(request, audience, visit):
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    assert client_for(user).get("/events/wuxi-visit/").status_code == 404
    if user is not None:
        assert client_for(user).post("/events/wuxi-visit/delete/").status_code == 404


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_dates_in_the_viewer_time_zone(member, visit):
    client = client_for(member)
    text = _text(client.get("/events/wuxi-visit/").content.decode())
    assert "Sept. 15, 2031, 10:00–13:00" in text and "Times in UTC" in text
    client.cookies["parkbridge_tz"] = "Asia/Shanghai"
    text = _text(client.get("/events/wuxi-visit/").content.decode())
    assert "Sept. 15, 2031, 18:00–21:00" in text and "Times in Asia/Shanghai" in text
    client.cookies["parkbridge_tz"] = "Pacific/Honolulu"  # ten hours behind UTC
    text = _text(client.get("/events/wuxi-visit/").content.decode())
    assert "Sept. 15, 2031, 00:00–03:00" in text
    client.cookies["parkbridge_tz"] = "../../etc/passwd"
    assert "Times in UTC" in client.get("/events/wuxi-visit/").content.decode()


def test_agenda_times_typed_in_the_viewer_time_zone(member, visit):
    client = client_for(member)
    client.cookies["parkbridge_tz"] = "Asia/Shanghai"
    response = client.post(
        "/events/wuxi-visit/agenda/",
        {"agenda-starts_at": "2031-09-15T18:30", "agenda-title": "Startups"},
        **HTMX,
    )
    assert response.status_code == 200
    assert AgendaItem.objects.get().starts_at == event_time(10, 30)


def test_brokerage_event_page_includes_the_brokerage_panel_when_there_is_one(
    member, organization, settings, tmp_path
):
    EventFactory(slug="brokerage-day", kind="brokerage", host=organization)
    EventFactory(slug="meeting", kind="meeting", host=organization)
    panel = tmp_path / "events" / "brokerage" / "_event_panel.html"
    panel.parent.mkdir(parents=True)
    panel.write_text('<div id="brokerage-panel">{{ event.slug }}</div>')
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    html = client_for(member).get("/events/brokerage-day/").content.decode()
    assert '<div id="brokerage-panel">brokerage-day</div>' in html
    assert "brokerage-panel" not in client_for(member).get("/events/meeting/").content.decode()


def test_brokerage_event_page_renders_without_the_brokerage_panel(member, organization):
    EventFactory(slug="brokerage-day", kind="brokerage", host=organization)
    with mock.patch("parkbridge.events.views.BROKERAGE_PANEL", "events/brokerage/_missing.html"):
        assert client_for(member).get("/events/brokerage-day/").status_code == 200


# Inline editing --------------------------------------------------------------------------------


def test_add_agenda_item_with_htmx(member, visit):
    speaker = PersonFactory(full_name="Ирина Смирнова", full_name_latin="Irina Smirnova")
    response = client_for(member).post(
        "/events/wuxi-visit/agenda/",
        {
            "agenda-starts_at": "2031-09-15T10:00",
            "agenda-ends_at": "2031-09-15T10:30",
            "agenda-title": "Research focus areas",
            "agenda-speaker": str(speaker.pk),
        },
        **HTMX,
    )
    html = response.content.decode()
    assert '<section class="card mb-4" id="agenda"' in html and "<html" not in html
    assert "Research focus areas" in html and "Ирина Смирнова" in html
    assert AgendaItem.objects.get().speaker == speaker


def test_agenda_item_outside_the_event_keeps_the_input(member, visit):
    response = client_for(member).post(
        "/events/wuxi-visit/agenda/",
        {"agenda-starts_at": "2031-09-16T10:00", "agenda-title": "A day too late"},
        **HTMX,
    )
    html = response.content.decode()
    assert "The item must start within the event" in html
    assert 'value="A day too late"' in html
    assert "collapse show" in html
    assert not AgendaItem.objects.exists()


def test_edit_and_delete_an_agenda_item(member, visit):
    item = AgendaItemFactory(event=visit, starts_at=event_time(10), title="Old title")
    client = client_for(member)
    form = client.get(f"/events/wuxi-visit/agenda/{item.pk}/edit/", **HTMX).content.decode()
    assert f'name="agenda-{item.pk}-title"' in form and 'value="Old title"' in form
    client.post(
        f"/events/wuxi-visit/agenda/{item.pk}/edit/",
        {f"agenda-{item.pk}-starts_at": "2031-09-15T11:00", f"agenda-{item.pk}-title": "New"},
        **HTMX,
    )
    item.refresh_from_db()
    assert (item.title, item.starts_at) == ("New", event_time(11))
    response = client.post(f"/events/wuxi-visit/agenda/{item.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert not AgendaItem.objects.exists()


def test_participants_minutes_and_outcomes_without_htmx(member, visit):
    person = PersonFactory()
    client = client_for(member)
    response = client.post(
        "/events/wuxi-visit/participants/",
        {"participant-person": str(person.pk), "participant-role": "speaker"},
    )
    assert response.status_code == 302
    participant = visit.participants.get()
    assert participant.role == "speaker"
    duplicate = client.post(
        "/events/wuxi-visit/participants/",
        {"participant-person": str(person.pk), "participant-role": "guest"},
    )
    assert duplicate.status_code == 200 and "already takes part" in duplicate.content.decode()
    client.post(f"/events/wuxi-visit/participants/{participant.pk}/remove/")
    assert not visit.participants.exists()
    client.post(
        "/events/wuxi-visit/minutes/",
        {"minutes-text": "Стороны договорились о сотрудничестве.", "minutes-language": ""},
    )
    visit.refresh_from_db()
    assert visit.minutes_language == "ru"
    client.post("/events/wuxi-visit/outcomes/", {"outcome-text": "Sources of finance"})
    outcome = visit.outcomes.get()
    client.post(
        f"/events/wuxi-visit/outcomes/{outcome.pk}/edit/", {f"outcome-{outcome.pk}-text": "Grants"}
    )
    assert Outcome.objects.get().text == "Grants"
    client.post(f"/events/wuxi-visit/outcomes/{outcome.pk}/delete/")
    assert not Outcome.objects.exists()


def test_outcome_to_task_in_one_click_then_refused(member, visit, organization):
    outcome = OutcomeFactory(event=visit, text="Use of the research facilities")
    client = client_for(member)
    response = client.post(f"/events/wuxi-visit/outcomes/{outcome.pk}/task/", {}, **HTMX)
    html = response.content.decode()
    task = Task.objects.get()
    assert (task.organization, task.title) == (organization, "Use of the research facilities")
    assert "Task:" in html and "Make a task" not in html
    again = client.post(f"/events/wuxi-visit/outcomes/{outcome.pk}/task/", {}, **HTMX)
    assert "already been turned into a task" in again.content.decode()
    assert Task.objects.count() == 1


def test_outcome_to_task_with_options(member, visit):
    outcome = OutcomeFactory(event=visit)
    client_for(member).post(
        f"/events/wuxi-visit/outcomes/{outcome.pk}/task/",
        {f"task-{outcome.pk}-assignee": str(member.pk), f"task-{outcome.pk}-due_on": "2031-10-01"},
        **HTMX,
    )
    task = Task.objects.get()
    assert (task.assignee, task.due_on) == (member, datetime.date(2031, 10, 1))


def test_outcome_to_cooperation_in_one_click(member, visit, organization, wuxi):
    outcome = OutcomeFactory(event=visit, text="Involvement of international companies")
    response = client_for(member).post(
        f"/events/wuxi-visit/outcomes/{outcome.pk}/cooperation/", {}, **HTMX
    )
    cooperation = Cooperation.objects.get()
    assert set(cooperation.organizations.all()) == {organization, wuxi}
    html = response.content.decode()
    assert "Cooperation:" in html and "Involvement of international companies" in html
    assert "Open a cooperation" not in html


def test_visitors_learn_only_that_an_outcome_was_converted(member, visitor, visit):
    outcome = OutcomeFactory(event=visit)
    client_for(member).post(f"/events/wuxi-visit/outcomes/{outcome.pk}/task/", {}, **HTMX)
    html = client_for(visitor).get("/events/wuxi-visit/").content.decode()
    assert "Turned into a task" in html and "Task:" not in html


# Create, edit, delete --------------------------------------------------------------------------


EVENT_FORM = {
    "kind": "delegation_visit",
    "title": "Delegation of Chinese technology parks",
    "description": "",
    "language": "en",
    "starts_at": "2031-07-01T10:00",
    "ends_at": "2031-07-01T16:00",
    "place": "Technopark",
    "city": "Saint Petersburg",
    "country": "RU",
    "confidentiality": "network",
}


def test_create_form_keeps_input_on_errors(member, organization, wuxi):
    response = client_for(member).post(
        "/events/new/",
        {
            **EVENT_FORM,
            "host": str(organization.pk),
            "visiting_organizations": [str(wuxi.pk)],
            "ends_at": "2031-07-01T09:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The event ends before it starts." in html
    assert 'value="Delegation of Chinese technology parks"' in html
    assert 'value="2031-07-01T09:00"' in html
    assert not Event.objects.exists()


def test_create_then_edit_then_delete(member, organization, wuxi):
    client = client_for(member)
    response = client.post(
        "/events/new/",
        {**EVENT_FORM, "host": str(organization.pk), "visiting_organizations": [str(wuxi.pk)]},
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.slug == "delegation-of-chinese-technology-parks-2031-07-01"
    assert event.starts_at == datetime.datetime(2031, 7, 1, 10, tzinfo=datetime.UTC)
    form = client.get(f"/events/{event.slug}/edit/").content.decode()
    assert 'value="2031-07-01T10:00"' in form
    client.post(
        f"/events/{event.slug}/edit/",
        {**EVENT_FORM, "title": "Second delegation", "host": str(organization.pk)},
    )
    event.refresh_from_db()
    assert event.title == "Second delegation" and not event.visiting_organizations.exists()
    assert client.post(f"/events/{event.slug}/delete/").status_code == 302
    assert not Event.objects.exists()


def test_create_page_for_whom(loner, outsider):
    assert client_for(None).get("/events/new/").status_code == 302
    assert client_for(loner).get("/events/new/").status_code == 403
    assert client_for(outsider).get("/events/new/").status_code == 200


def test_outsider_cannot_delete_a_visible_event(outsider, organization):
    EventFactory(slug="open", host=organization, confidentiality="public")
    assert client_for(outsider).post("/events/open/delete/").status_code == 403
    assert Event.objects.filter(slug="open").exists()


# Person schedule -------------------------------------------------------------------------------


def test_person_schedule_page(member, outsider, visit):
    person = PersonFactory(slug="li-wei", full_name="李伟", full_name_latin="Li Wei")
    EventParticipantFactory(event=visit, person=person)
    assert (
        "Visit of the Wuxi branch"
        in client_for(member).get("/people/li-wei/schedule/").content.decode()
    )
    html = client_for(outsider).get("/people/li-wei/schedule/").content.decode()
    assert "Visit of the Wuxi branch" not in html and "Nothing in this schedule" in html
    assert client_for(None).get("/people/nobody/schedule/").status_code == 404


# Every page for every audience -----------------------------------------------------------------

AUDIENCES = ["anonymous", "loner", "outsider", "member", "org_admin", "staff_user"]
EVERYONE = dict.fromkeys(AUDIENCES, 200)
CONTRIBUTORS = {**EVERYONE, "anonymous": "login", "loner": 403}
EDITORS = {**CONTRIBUTORS, "outsider": 403}
PAGES = {
    "/events/": EVERYONE,
    "/events/?when=past&kind=meeting&organization=polytech&q=day": EVERYONE,
    "/events/new/": CONTRIBUTORS,
    "/events/open-day/": EVERYONE,
    "/events/brokerage-day/": EVERYONE,  # with the brokerage panel
    "/events/open-day/edit/": EDITORS,
    "/events/open-day/event.ics": EVERYONE,
    "/events/open-day/agenda/{item}/edit/": EDITORS,
    "/events/open-day/outcomes/{outcome}/edit/": EDITORS,
    "/people/speaker/schedule/": EVERYONE,
    "/people/speaker/schedule.ics": EVERYONE,
}


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_answers_each_audience(request, organization, url, audience):
    event = EventFactory(
        slug="open-day", title="Open day", host=organization, confidentiality="public"
    )
    EventFactory(
        slug="brokerage-day", kind="brokerage", host=organization, confidentiality="public"
    )
    speaker = PersonFactory(slug="speaker")
    item = AgendaItemFactory(event=event, speaker=speaker)
    outcome = OutcomeFactory(event=event)
    EventParticipantFactory(event=event, person=speaker)
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    response = client_for(user).get(url.format(item=item.pk, outcome=outcome.pk))
    expected = PAGES[url][audience]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
