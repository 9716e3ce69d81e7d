from django.urls import path

from parkbridge.offers import views

app_name = "offers"
urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
]
