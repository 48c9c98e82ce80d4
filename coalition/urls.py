from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from engagements.views import home as home_views
from stakeholders.forms.accounts import PasswordResetForm

from . import views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("stakeholders.urls")),
    path("engagements/", include("engagements.urls")),
    path("equity/", include("engagements.equity_urls")),
    path("boards/", include("engagements.boards_urls")),
    path("coalitions/", include("coalition.coalition_urls")),
    path("api/v1/", include("coalition.api_urls")),
    path("backoffice/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    # Installable app: the manifest, and the service worker at the root so that it may serve the quick log.
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]

handler403 = "coalition.views.permission_denied"
handler404 = "coalition.views.page_not_found"
handler500 = "coalition.views.server_error"
