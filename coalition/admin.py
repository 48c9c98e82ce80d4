"""Back-office views of the coalition domain, for fixes by admins."""

from django.contrib import admin

from .models import AllyStance, Coalition, Membership, RiskSettings, StanceChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organization", "person")


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "start_date")
    list_filter = ("status",)
    search_fields = ("name",)
    filter_horizontal = ("coordinators",)
    inlines = [MembershipInline]


class StanceChangeInline(admin.TabularInline):
    model = StanceChange
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in StanceChange._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AllyStance)
class AllyStanceAdmin(admin.ModelAdmin):
    """Read-only: stances change through the ally map so that history is kept."""

    list_display = ("person", "coalition", "stance", "influence", "owner")
    list_filter = ("coalition", "stance", "influence")
    inlines = [StanceChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(RiskSettings)
class RiskSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "term_end_window_days", "ballot_window_days", "no_contact_days")

    def has_add_permission(self, request):
        return not RiskSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
