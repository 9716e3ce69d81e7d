from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parkbridge.agreements.models import Agreement, AgreementDocument


class AgreementDocumentInline(admin.TabularInline):
    # Uploads go through the agreement page, which checks the file's size and type.
    model = AgreementDocument
    extra = 0
    fields = ["title", "file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["title", "file", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "owner", "signed_on", "valid_until"]
    list_filter = ["kind", "status", "confidentiality"]
    search_fields = ["title", "summary", "signed_place"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["owner"]
    filter_horizontal = ["parties", "cooperations", "projects", "granted_projects"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [AgreementDocumentInline]
