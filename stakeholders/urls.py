from django.urls import path

from .views import accounts as account_views
from .views import government as government_views
from .views import people as people_views
from .views import relationships as relationship_views
from .views import security as security_views

app_name = "stakeholders"

urlpatterns = [
    path("users/", account_views.user_list, name="user_list"),
    path("users/create/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", account_views.user_edit, name="user_edit"),
    path("security-log/", security_views.security_log, name="security_log"),
    path("people/", people_views.person_list, name="person_list"),
    path("people/export.csv", people_views.person_export, name="person_export"),
    path("people/create/", people_views.person_create, name="person_create"),
    path("people/quick-add/", people_views.person_quick_add, name="person_quick_add"),
    path("people/search/", people_views.person_search, name="person_search"),
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<int:pk>/demographics/", people_views.person_demographics, name="person_demographics"),
    path("people/<int:pk>/merge/", people_views.person_merge, name="person_merge"),
    path("people/<int:pk>/affiliations/add/", people_views.affiliation_add, name="affiliation_add"),
    path(
        "people/<int:pk>/affiliations/<int:affiliation_pk>/end/",
        people_views.affiliation_end,
        name="affiliation_end",
    ),
    path("organizations/", people_views.organization_list, name="organization_list"),
    path("organizations/export.csv", people_views.organization_export, name="organization_export"),
    path("organizations/create/", people_views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", people_views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", people_views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/people/add/", people_views.organization_member_add, name="organization_member_add"),
    path("neighborhoods/", people_views.neighborhood_list, name="neighborhood_list"),
    path("neighborhoods/create/", people_views.neighborhood_create, name="neighborhood_create"),
    path("neighborhoods/<int:pk>/edit/", people_views.neighborhood_edit, name="neighborhood_edit"),
    path("import/<slug:kind>/", people_views.import_upload, name="import_upload"),
    path("import/<slug:kind>/template.csv", people_views.import_template, name="import_template"),
    path("import/<slug:kind>/preview/", people_views.import_preview, name="import_preview"),
    path("departments/", government_views.department_list, name="department_list"),
    path("departments/create/", government_views.department_create, name="department_create"),
    path("departments/<int:pk>/", government_views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", government_views.department_edit, name="department_edit"),
    path("departments/<int:pk>/positions.csv", government_views.department_positions_csv, name="department_csv"),
    path("positions/create/", government_views.position_create, name="position_create"),
    path("positions/<int:pk>/", government_views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", government_views.position_edit, name="position_edit"),
    path("positions/<int:pk>/change/", government_views.position_change, name="position_change"),
    path("elections/", government_views.election_list, name="election_list"),
    path("elections/export.csv", government_views.election_list_csv, name="election_csv"),
    path("elections/create/", government_views.election_create, name="election_create"),
    path("elections/<int:pk>/", government_views.election_detail, name="election_detail"),
    path("elections/<int:pk>/edit/", government_views.election_edit, name="election_edit"),
    path("people/<int:pk>/positions/", government_views.person_positions_panel, name="person_positions_panel"),
    path("relationships/", relationship_views.relationship_list, name="relationship_list"),
    path("relationships/create/", relationship_views.relationship_create, name="relationship_create"),
    path("relationships/<int:pk>/", relationship_views.relationship_detail, name="relationship_detail"),
    path("relationships/<int:pk>/edit/", relationship_views.relationship_edit, name="relationship_edit"),
    path("relationships/<int:pk>/end/", relationship_views.relationship_end, name="relationship_end"),
    path(
        "people/<int:pk>/relationships/",
        relationship_views.person_relationships_panel,
        name="person_relationships_panel",
    ),
]
