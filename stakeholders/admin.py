from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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
