from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import models as stakeholder_models
from .models import User
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
            services.user_deactivate(user=obj)


# Liaison stipends: profiles and funding sources may be fixed here; agreements and
# payments are read-only, because their rules (sign-off, second approver, caps,
# budgets) live in stakeholders.services.stipends and the stipend pages.
@admin.register(stakeholder_models.LiaisonProfile)
class LiaisonProfileAdmin(admin.ModelAdmin):
    list_display = ("person", "payee_reference", "active_from", "active_to", "partner_department")
    search_fields = ("person__first_name", "person__last_name", "payee_reference")
    raw_id_fields = ("person",)


@admin.register(stakeholder_models.FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "fiscal_year", "department", "budget")
    list_filter = ("fiscal_year",)


class ReadOnlyStipendAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(stakeholder_models.StipendAgreement)
class StipendAgreementAdmin(ReadOnlyStipendAdmin):
    list_display = ("liaison", "funding_source", "rate", "unit", "start_date", "end_date", "cap", "status")
    list_filter = ("status", "funding_source")


@admin.register(stakeholder_models.StipendPayment)
class StipendPaymentAdmin(ReadOnlyStipendAdmin):
    list_display = ("pk", "agreement", "period_start", "amount", "status", "created_by", "approved_by", "paid_on")
    list_filter = ("status",)
