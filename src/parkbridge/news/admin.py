from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parkbridge.news.models import NewsItem, NewsTranslation


class NewsTranslationInline(admin.StackedInline):
    model = NewsTranslation
    extra = 0
    fields = ["language", "title", "lead", "body"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher", "published_at", "updated_at"]
    list_filter = ["publisher"]
    search_fields = ["slug", "translations__title"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["publisher", "organizations"]
    filter_horizontal = ["events", "agreements"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [NewsTranslationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[NewsItem]:
        return super().get_queryset(request).prefetch_related("translations")
