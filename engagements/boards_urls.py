"""Boards and commissions and the pipeline of leadership fellows to them (issue 17), at /boards/."""

from django.urls import path

from stakeholders.views import boards as board_views

from .views import pipeline as pipeline_views

app_name = "boards"

urlpatterns = [
    path("", board_views.board_list_view, name="board_list"),
    path("new/", board_views.board_create, name="board_create"),
    path("<int:pk>/", board_views.board_detail, name="board_detail"),
    path("<int:pk>/edit/", board_views.board_edit, name="board_edit"),
    path("<int:pk>/seats/", board_views.seats_add, name="seats_add"),
    path("<int:pk>/vacancies/new/", board_views.vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/cancel/", board_views.vacancy_cancel, name="vacancy_cancel"),
    path("cohorts/", pipeline_views.cohort_list_view, name="cohort_list"),
    path("cohorts/new/", pipeline_views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", pipeline_views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", pipeline_views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/pipeline/", pipeline_views.cohort_pipeline, name="cohort_pipeline"),
    path("cohorts/<int:pk>/fellows/new/", pipeline_views.fellow_add, name="fellow_add"),
    path("fellows/<int:pk>/", pipeline_views.fellow_detail, name="fellow_detail"),
    path("fellows/<int:pk>/edit/", pipeline_views.fellow_edit, name="fellow_edit"),
    path("fellows/<int:pk>/applications/new/", pipeline_views.application_create, name="application_create"),
    path("applications/<int:pk>/move/", pipeline_views.application_move, name="application_move"),
]
