from django.urls import path

from parkbridge.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/delete/", views.event_delete, name="event_delete"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("events/<slug:slug>/participants/", views.participant_add, name="participant_add"),
    path(
        "events/<slug:slug>/participants/<int:pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("events/<slug:slug>/agenda/", views.agenda_item_add, name="agenda_item_add"),
    path(
        "events/<slug:slug>/agenda/<int:pk>/edit/",
        views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "events/<slug:slug>/agenda/<int:pk>/delete/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path("events/<slug:slug>/minutes/", views.minutes_save, name="minutes_save"),
    path("events/<slug:slug>/outcomes/", views.outcome_add, name="outcome_add"),
    path("events/<slug:slug>/outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path(
        "events/<slug:slug>/outcomes/<int:pk>/delete/",
        views.outcome_delete,
        name="outcome_delete",
    ),
    path(
        "events/<slug:slug>/outcomes/<int:pk>/task/",
        views.outcome_to_task,
        name="outcome_to_task",
    ),
    path(
        "events/<slug:slug>/outcomes/<int:pk>/cooperation/",
        views.outcome_to_cooperation,
        name="outcome_to_cooperation",
    ),
    path("people/<slug:slug>/schedule/", views.person_schedule, name="person_schedule"),
    path("people/<slug:slug>/schedule.ics", views.person_schedule_ics, name="person_schedule_ics"),
]
