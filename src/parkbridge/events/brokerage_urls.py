from django.urls import path

from parkbridge.events import brokerage_views as views

app_name = "brokerage"

prefix = "events/<slug:slug>/brokerage/"
urlpatterns = [
    path(f"{prefix}panel/", views.panel, name="panel"),
    path(f"{prefix}register/", views.register, name="register"),
    path(f"{prefix}participants/", views.participants, name="participants"),
    path(f"{prefix}requests/", views.request_send, name="request_send"),
    path(f"{prefix}requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path(f"{prefix}requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path(f"{prefix}me/", views.my_meetings, name="my_meetings"),
    path(f"{prefix}me/availability/", views.availability, name="availability"),
    path(f"{prefix}me/suggestions/", views.suggestions, name="suggestions"),
    path(f"{prefix}agenda/", views.agenda, name="agenda"),
    path(f"{prefix}agenda.ics", views.agenda_ics, name="agenda_ics"),
    path(f"{prefix}organize/", views.organize, name="organize"),
    path(f"{prefix}organize/settings/", views.settings_update, name="settings"),
    path(f"{prefix}organize/slots/", views.slots_generate, name="slots_generate"),
    path(f"{prefix}organize/slots/<int:pk>/delete/", views.slot_delete, name="slot_delete"),
    path(f"{prefix}organize/run/", views.schedule_run, name="schedule_run"),
    path(f"{prefix}organize/announce/", views.schedule_announce, name="schedule_announce"),
]
