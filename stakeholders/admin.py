from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    Affiliation,
    Department,
    Election,
    FundingSource,
    LiaisonProfile,
    Neighborhood,
    Organization,
    Person,
    PersonDemographics,
    Position,
    Relationship,
    SecurityEvent,
    StipendAgreement,
    StipendPayment,
    Tag,
    Tenure,
    User,
)
from .services import accounts as services


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    list_filter = ("is_active", "groups")

    def save_model(self, request, obj, form, change):
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            obj.is_active = True  # let the service do the deactivation and end the sessions
        super().save_model(request, obj, form, change)
        if deactivating:
            services.user_deactivate(user=obj, by=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records whose rules live in services (or that must never change): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """The security log is never edited through the app."""

    list_display = ("occurred_at", "actor_username", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_id")


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "neighborhood", "may_contact", "may_share")
    search_fields = ("first_name", "last_name", "preferred_name", "email")
    list_filter = ("may_contact", "may_share", "neighborhood")
    autocomplete_fields = ("user",)
    filter_horizontal = ("languages", "tags")
    inlines = (AffiliationInline,)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_partner")
    list_filter = ("kind", "is_partner")
    search_fields = ("name", "email")
    filter_horizontal = ("neighborhoods", "languages", "tags")


@admin.register(Neighborhood)
class NeighborhoodAdmin(admin.ModelAdmin):
    list_display = ("name", "council_district")
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(PersonDemographics)
class PersonDemographicsAdmin(admin.ModelAdmin):
    list_display = ("person", "consent_recorded_at")
    autocomplete_fields = ("person",)


# Government structure and relationships: back-office fixes. Turnover belongs in
# the app's "Record a change" page (stakeholders.services.government.tenure_start).


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "parent")
    search_fields = ("name", "abbreviation")
    list_select_related = ("parent",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "department", "level", "is_multi_seat")
    list_filter = ("level", "is_multi_seat")
    search_fields = ("title", "department__name")
    list_select_related = ("department",)
    readonly_fields = ("is_multi_seat",)  # changing the seat count goes through position_update


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    list_display = ("person", "position", "start_date", "planned_end_date", "actual_end_date", "end_reason")
    list_filter = ("end_reason", "is_acting", "position__level")
    search_fields = ("person__first_name", "person__last_name", "position__title")
    list_select_related = ("person", "position")
    raw_id_fields = ("person", "position")

    def save_model(self, request, obj, form, change):
        obj.holds_single_seat = not obj.position.is_multi_seat  # keep the database guard's copy in step
        super().save_model(request, obj, form, change)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("name", "date", "kind", "jurisdiction")
    list_filter = ("kind",)
    search_fields = ("name", "jurisdiction")
    filter_horizontal = ("positions",)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "other_person", "organization", "strength", "owner", "end_date")
    list_filter = ("kind", "strength")
    search_fields = ("person__last_name", "other_person__last_name", "organization__name")
    list_select_related = ("person", "other_person", "organization", "owner")
    raw_id_fields = ("person", "other_person", "organization", "owner")


# Liaison stipends: profiles and funding sources may be fixed here; agreements and
# payments are read-only, because their rules (sign-off, second approver, caps,
# budgets) live in stakeholders.services.stipends and the stipend pages.
@admin.register(LiaisonProfile)
class LiaisonProfileAdmin(admin.ModelAdmin):
    list_display = ("person", "payee_reference", "active_from", "active_to", "partner_department")
    search_fields = ("person__first_name", "person__last_name", "payee_reference")
    raw_id_fields = ("person",)


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "fiscal_year", "department", "budget")
    list_filter = ("fiscal_year",)


@admin.register(StipendAgreement)
class StipendAgreementAdmin(ReadOnlyAdmin):
    list_display = ("liaison", "funding_source", "rate", "unit", "start_date", "end_date", "cap", "status")
    list_filter = ("status", "funding_source")


@admin.register(StipendPayment)
class StipendPaymentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "agreement", "period_start", "amount", "status", "created_by", "approved_by", "paid_on")
    list_filter = ("status",)


# Two-step sign-in devices hold secrets and their changes belong in the security log: they
# change only through stakeholders.services.mfa (the profile, the user page's reset and
# `manage.py two_step_reset`), not in the back office that django-otp would add.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
