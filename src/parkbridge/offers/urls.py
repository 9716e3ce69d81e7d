from django.urls import path

from parkbridge.offers import views

app_name = "offers"
urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/import/", views.offer_import, name="offer_import"),
    path("offers/export.<str:file_format>", views.offer_export, name="offer_export"),
    path("offers/<slug:slug>/", views.offer_detail, name="offer_detail"),
    path("offers/<slug:slug>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<slug:slug>/delete/", views.offer_delete, name="offer_delete"),
]
