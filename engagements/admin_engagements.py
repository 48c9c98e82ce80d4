"""Back office for the lists admins keep (themes, breakdown categories) and for fixes.

Imported from ``EngagementsConfig.ready`` (``admin.py`` is left to the follow-ups work).
"""

from django.contrib import admin

from .models import BreakdownCategory, BreakdownOption, Commitment, DigestEmail, Engagement, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active")
    list_editable = ("is_active",)
    search_fields = ("name",)


class BreakdownOptionInline(admin.TabularInline):
    model = BreakdownOption
    fields = ("label", "language", "neighborhood", "position", "is_active")
    extra = 1


@admin.register(BreakdownCategory)
class BreakdownCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "position", "is_active")
    inlines = [BreakdownOptionInline]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "status", "is_published")
    list_filter = ("kind", "status", "is_published")
    search_fields = ("title", "location")
    date_hierarchy = "starts_at"
    readonly_fields = ("public_token", "published_at", "created_by")
    raw_id_fields = ("neighborhood", "coalition")
    filter_horizontal = ("languages", "interpretation_languages", "host_organizations", "departments")
    exclude = ("facilitator_people", "facilitator_users")


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("description", "status", "owner", "department", "due_on")
    list_filter = ("status", "department")
    raw_id_fields = ("engagement", "owner")
    readonly_fields = ("status", "declined_reason")
    exclude = ("input_items",)


@admin.register(DigestEmail)
class DigestEmailAdmin(admin.ModelAdmin):
    """The digest outbox, to see an email that is stuck (attempts, last error); nothing is edited here."""

    list_display = ("to", "subject", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("sent_at",)
    search_fields = ("to", "message_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
