from django.urls import path

from .views import accounts as account_views
from .views import security as security_views

app_name = "stakeholders"

urlpatterns = [
    path("users/", account_views.user_list, name="user_list"),
    path("users/create/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", account_views.user_edit, name="user_edit"),
    path("security-log/", security_views.security_log, name="security_log"),
]
