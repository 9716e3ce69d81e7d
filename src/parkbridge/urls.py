from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from parkbridge.api import api

urlpatterns = [
    path("", include("parkbridge.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("parkbridge.accounts.urls")),
    path("", include("parkbridge.registry.urls")),
    path("", include("parkbridge.portfolio.urls")),
    path("", include("parkbridge.offers.urls")),
    path("", include("parkbridge.matching.urls")),
    path("", include("parkbridge.pipeline.urls")),
    path("", include("parkbridge.agreements.urls")),
    path("", include("parkbridge.events.urls")),
    path("", include("parkbridge.events.brokerage_urls")),
    path("", include("parkbridge.news.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Public uploads (logos, news pictures) are small and few; the app serves them itself so
    # that a single process is the whole deployment. Agreement documents and cooperation
    # attachments never go out this way: their views check who asks. `[^/]+` keeps `..` out.
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>(?:logos|news)/[^/]+)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]
