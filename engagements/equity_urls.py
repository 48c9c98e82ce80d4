"""The equity pages (issue 14), mounted at /equity/: the dashboard, the census baseline
it compares with, its settings, and equity impact assessments of commitments."""

from django.urls import path

from .views import assessments as assessment_views
from .views import equity as equity_views
from .views import equity_baseline as baseline_views

app_name = "equity"

urlpatterns = [
    path("", equity_views.dashboard, name="dashboard"),
    path("export/<slug:section>.csv", equity_views.dashboard_csv, name="dashboard_csv"),
    path("baseline/", baseline_views.baseline_import, name="baseline"),
    path("baseline/confirm/", baseline_views.baseline_confirm, name="baseline_confirm"),
    path("settings/", baseline_views.equity_settings, name="settings"),
    path("assessments/", assessment_views.assessment_list, name="assessment_list"),
    path("assessments/new/<int:pk>/", assessment_views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/status/", assessment_views.assessment_status, name="assessment_status"),
]
