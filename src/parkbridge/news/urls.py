from django.urls import path

from parkbridge.news import views

app_name = "news"
urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("news/new/", views.news_create, name="news_create"),
    path("news/feed/<str:language>.atom", views.news_feed, name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("news/<slug:slug>/edit/", views.news_edit, name="news_edit"),
    path("news/<slug:slug>/publish/", views.news_publish, name="news_publish"),
    path("news/<slug:slug>/unpublish/", views.news_unpublish, name="news_unpublish"),
    path("news/<slug:slug>/delete/", views.news_delete, name="news_delete"),
]
