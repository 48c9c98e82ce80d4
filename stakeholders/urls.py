from django.urls import path

from .views import accounts as account_views
from .views import government as government_views
from .views import relationships as relationship_views

app_name = "stakeholders"

urlpatterns = [
    path("users/", account_views.user_list, name="user_list"),
    path("users/create/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", account_views.user_edit, name="user_edit"),
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
