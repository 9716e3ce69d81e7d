from django.urls import path

from parkbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("matches/", views.match_search, name="search"),
    path("matches/<str:kind>/<slug:slug>/", views.match_panel, name="panel"),
    path("matches/<str:kind>/<slug:slug>/feedback/", views.match_feedback, name="feedback"),
]
