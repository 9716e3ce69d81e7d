from django.urls import path

from parkbridge.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("pipeline/", views.board, name="board"),
    path("pipeline/list/", views.cooperation_list, name="cooperation_list"),
    path("pipeline/new/", views.cooperation_create, name="cooperation_create"),
    path("pipeline/<int:pk>/", views.cooperation_detail, name="cooperation_detail"),
    path("pipeline/<int:pk>/edit/", views.cooperation_edit, name="cooperation_edit"),
    path("pipeline/<int:pk>/delete/", views.cooperation_delete, name="cooperation_delete"),
    path("pipeline/<int:pk>/move/", views.cooperation_move, name="cooperation_move"),
    path("pipeline/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path(
        "pipeline/<int:pk>/activities/<int:activity_pk>/document/",
        views.activity_attachment,
        name="activity_attachment",
    ),
    path("pipeline/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/done/", views.task_toggle, name="task_toggle"),
]
