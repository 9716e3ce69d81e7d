from django.contrib import admin

from parkbridge.events.models import (
    AgendaItem,
    Event,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Outcome,
    Participant,
    ScheduleRun,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["person", "organization", "role", "position"]
    autocomplete_fields = ["person", "organization"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speaker"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ["position", "text", "task", "cooperation"]
    raw_id_fields = ["task", "cooperation"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "host", "confidentiality"]
    list_filter = ["kind", "confidentiality", "country"]
    search_fields = ["title", "description", "place", "city", "slug"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["host"]
    filter_horizontal = ["visiting_organizations"]
    raw_id_fields = ["created_by"]
    inlines = [ParticipantInline, AgendaItemInline, OutcomeInline]


# The brokerage models, for looking things up; their pages are where they are run.
@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ["event", "starts_at", "ends_at"]
    list_filter = ["event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["event", "requester", "invitee", "status", "priority", "created_at"]
    list_filter = ["status", "event"]
    raw_id_fields = ["requester", "invitee"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "table", "announced_at"]
    raw_id_fields = ["request", "slot"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["event", "method", "status", "scheduled", "requests", "seconds", "ran_at"]
    list_filter = ["method", "event"]
