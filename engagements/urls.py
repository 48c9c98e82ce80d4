from django.urls import path

from .views import calendars as calendar_views
from .views import commitments as commitment_views
from .views import engagements as engagement_views
from .views import followups as followup_views
from .views import retention as retention_views
from .views import stipends as stipend_views

app_name = "engagements"

urlpatterns = [
    path("", engagement_views.engagement_list, name="list"),
    path("log/", engagement_views.quick_log, name="log"),
    path("log/rows/<slug:kind>/", engagement_views.quick_log_row, name="quick_log_row"),
    path("log/attendees/search/", engagement_views.attendee_search, name="attendee_search"),
    path("log/attendees/add/", engagement_views.attendee_quick_add, name="attendee_quick_add"),
    path("log/attendees/<int:pk>/", engagement_views.attendee_chip, name="attendee_chip"),
    path("drafts/", engagement_views.draft_list, name="drafts"),
    path("drafts/<int:pk>/", engagement_views.quick_log, name="resume"),
    path("calendar/", calendar_views.engagement_calendar, name="calendar"),
    path("calendar/feed/", calendar_views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/revoke/", calendar_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("ical/<str:token>.ics", calendar_views.ical_feed, name="ical_feed"),
    path("<int:pk>/", engagement_views.engagement_detail, name="detail"),
    path("<int:pk>/edit/", engagement_views.quick_log, name="edit"),
    path("<int:pk>/engagement.ics", calendar_views.engagement_ics, name="ics"),
    path("<int:pk>/publish/", engagement_views.engagement_publish, name="publish"),
    path("<int:pk>/unpublish/", engagement_views.engagement_unpublish, name="unpublish"),
    path("<int:pk>/public-summary/", engagement_views.engagement_public_summary, name="public_summary"),
    path("you-said-we-did/<str:token>/", engagement_views.public_page, name="public"),
    path("<int:pk>/commitments/add/", commitment_views.commitment_create, name="commitment_create"),
    path("commitments/", commitment_views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", commitment_views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/status/", commitment_views.commitment_status, name="commitment_status"),
    path("commitments/<int:pk>/loop-back/", commitment_views.commitment_loop_back, name="commitment_loop_back"),
    path("panels/person/<int:pk>/", engagement_views.person_panel, name="person_panel"),
    path("panels/organization/<int:pk>/", engagement_views.organization_panel, name="organization_panel"),
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
    path("retention/", retention_views.retention_settings, name="retention"),
    path(
        "panels/stipend-payment/<int:pk>/",
        stipend_views.payment_engagements_panel,
        name="payment_engagements_panel",
    ),
    path("panels/liaison/<int:pk>/", stipend_views.liaison_engagements_panel, name="liaison_engagements_panel"),
]
