from django.urls import path

from .views import accounts as account_views
from .views import stipends as stipend_views

app_name = "stakeholders"

urlpatterns = [
    path("users/", account_views.user_list, name="user_list"),
    path("users/create/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", account_views.user_edit, name="user_edit"),
]

# Liaison stipends (admins; a liaison sees only their own statement and agreements).
urlpatterns += [
    path("stipends/", stipend_views.funding_source_list, name="funding_source_list"),
    path("stipends/mine/", stipend_views.my_stipend, name="my_stipend"),
    path("stipends/funding-sources/create/", stipend_views.funding_source_create, name="funding_source_create"),
    path("stipends/funding-sources/<int:pk>/", stipend_views.funding_source_detail, name="funding_source_detail"),
    path("stipends/funding-sources/<int:pk>/edit/", stipend_views.funding_source_edit, name="funding_source_edit"),
    path("stipends/liaisons/", stipend_views.liaison_list, name="liaison_list"),
    path("stipends/liaisons/create/", stipend_views.liaison_create, name="liaison_create"),
    path("stipends/liaisons/<int:pk>/", stipend_views.liaison_detail, name="liaison_detail"),
    path("stipends/liaisons/<int:pk>/edit/", stipend_views.liaison_edit, name="liaison_edit"),
    path("stipends/liaisons/<int:liaison_pk>/statement/<int:year>/", stipend_views.statement, name="statement"),
    path("stipends/agreements/", stipend_views.agreement_list, name="agreement_list"),
    path("stipends/agreements/create/", stipend_views.agreement_create, name="agreement_create"),
    path("stipends/agreements/<int:pk>/", stipend_views.agreement_detail, name="agreement_detail"),
    path("stipends/agreements/<int:pk>/edit/", stipend_views.agreement_edit, name="agreement_edit"),
    path("stipends/agreements/<int:pk>/sign-off/", stipend_views.agreement_sign_off, name="agreement_sign_off"),
    path("stipends/agreements/<int:pk>/activate/", stipend_views.agreement_activate, name="agreement_activate"),
    path("stipends/agreements/<int:pk>/end/", stipend_views.agreement_end, name="agreement_end"),
    path("stipends/payments/", stipend_views.payment_list, name="payment_list"),
    path("stipends/payments/export.csv", stipend_views.payment_export, name="payment_export"),
    path("stipends/payments/create/", stipend_views.payment_create, name="payment_create"),
    path("stipends/payments/<int:pk>/", stipend_views.payment_detail, name="payment_detail"),
    path("stipends/payments/<int:pk>/edit/", stipend_views.payment_edit, name="payment_edit"),
    path("stipends/payments/<int:pk>/submit/", stipend_views.payment_submit, name="payment_submit"),
    path("stipends/payments/<int:pk>/approve/", stipend_views.payment_approve, name="payment_approve"),
    path("stipends/payments/<int:pk>/reject/", stipend_views.payment_reject, name="payment_reject"),
    path("stipends/payments/<int:pk>/mark-paid/", stipend_views.payment_mark_paid, name="payment_mark_paid"),
    path("stipends/payments/<int:pk>/void/", stipend_views.payment_void, name="payment_void"),
    path("stipends/approvals/", stipend_views.approval_queue, name="approval_queue"),
]
