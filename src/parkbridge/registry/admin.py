from django.contrib import admin

from parkbridge.registry.models import Affiliation, FocusArea, Organization, Person


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ru", "name_zh", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name_en", "name_ru", "name_zh"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization", "person"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name", "kind", "country", "city", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_en", "name_ru", "name_zh", "short_name", "city"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["focus_areas"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name_latin", "full_name", "email"]
    search_fields = ["full_name", "full_name_latin", "expertise", "email"]
    prepopulated_fields = {"slug": ["full_name_latin"]}
    filter_horizontal = ["focus_areas"]
    autocomplete_fields = ["user"]
    inlines = [AffiliationInline]
