from django.urls import path

from parkbridge.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_organizations, name="my_organizations"),
]
