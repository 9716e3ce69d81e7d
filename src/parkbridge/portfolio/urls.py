from django.urls import path

from parkbridge.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/import/", views.project_import, name="project_import"),
    path("projects/export.<str:file_format>", views.project_export, name="project_export"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/delete/", views.project_delete, name="project_delete"),
    path("ip/", views.ip_asset_list, name="ip_asset_list"),
    path("ip/new/", views.ip_asset_create, name="ip_asset_create"),
    path("ip/<slug:slug>/", views.ip_asset_detail, name="ip_asset_detail"),
    path("ip/<slug:slug>/edit/", views.ip_asset_edit, name="ip_asset_edit"),
]
