"""URLs of the coalition pages, included at ``coalitions/`` by the project urlconf."""

from django.urls import path

from . import coalition_views as views

app_name = "coalition"

urlpatterns = [
    path("", views.coalition_list, name="list"),
    path("create/", views.coalition_create, name="create"),
    path("risk-settings/", views.risk_settings, name="risk_settings"),
    path("panels/organization/<int:pk>/", views.organization_panel, name="organization_panel"),
    path("panels/person/<int:pk>/", views.person_panel, name="person_panel"),
    path("<int:pk>/", views.coalition_detail, name="detail"),
    path("<int:pk>/edit/", views.coalition_edit, name="edit"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("<int:pk>/members/<int:membership_pk>/end/", views.membership_end, name="membership_end"),
    path("<int:pk>/resources/add/", views.resource_add, name="resource_add"),
    path("<int:pk>/goals/", views.goal_list, name="goals"),
    path("<int:pk>/goals/<int:goal_pk>/", views.goal_detail, name="goal_detail"),
    path("<int:pk>/working-groups/", views.working_groups, name="working_groups"),
    path("<int:pk>/agreements/", views.agreements, name="agreements"),
    path("<int:pk>/agreements/<int:agreement_pk>/document/", views.agreement_document, name="agreement_document"),
    path("<int:pk>/allies/", views.ally_map, name="ally_map"),
    path("<int:pk>/allies/graph.json", views.ally_graph_json, name="ally_graph_json"),
    path("<int:pk>/allies/network/", views.ally_network, name="ally_network"),
    path("<int:pk>/allies/add/", views.ally_add, name="ally_add"),
    path("<int:pk>/allies/<int:ally_pk>/", views.ally_detail, name="ally_detail"),
]
