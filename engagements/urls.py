from django.urls import path

from .views import followups as followup_views

app_name = "engagements"

urlpatterns = [
    path("followups/", followup_views.followup_list, name="followup_list"),
    path("followups/count/", followup_views.followup_count, name="followup_count"),
    path("followups/<int:pk>/done/", followup_views.followup_done, name="followup_done"),
    path("followups/<int:pk>/dismiss/", followup_views.followup_dismiss, name="followup_dismiss"),
    path("followups/<int:pk>/snooze/", followup_views.followup_snooze, name="followup_snooze"),
    path(
        "followups/create/<str:model_label>/<int:object_pk>/",
        followup_views.followup_create,
        name="followup_create",
    ),
    path("followups/digest/", followup_views.digest_preference, name="digest_preference"),
    path("followups/handover/", followup_views.handover, name="handover"),
    path("followups/settings/", followup_views.reminder_settings, name="reminder_settings"),
]
