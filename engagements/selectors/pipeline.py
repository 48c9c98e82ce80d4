"""Reads of the boards pipeline, always starting from the user who asks.

Staff, coordinators and admins (``engagements.view_cohort``) see every cohort, its
fellows and their applications; coordinators change the cohorts they coordinate and
admins every cohort (:func:`can_manage_cohort`). Liaisons see none of it.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Language, Neighborhood, PersonDemographics, Tenure, User
from stakeholders.rows import person_name

from ..models import Attendance, BoardApplication, Cohort, EquitySettings, Fellow
from .equity import Cell, suppress

Stage = BoardApplication.Stage


def can_view_pipeline(user: User) -> bool:
    return user.is_authenticated and user.has_perm("engagements.view_cohort")


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    if not can_view_pipeline(user):
        return Cohort.objects.none()
    return Cohort.objects.all()


def cohorts_managed_by(user: User) -> QuerySet[Cohort]:
    """Cohorts ``user`` may change: all for admins, the ones they coordinate for coordinators."""
    cohorts = cohorts_visible_to(user)
    if user.has_perm("engagements.manage_all_cohorts"):
        return cohorts
    if not user.has_perm("engagements.change_cohort"):
        return Cohort.objects.none()
    return cohorts.filter(pk__in=Cohort.coordinators.through.objects.filter(user=user).values("cohort_id"))


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    return cohorts_managed_by(user).filter(pk=cohort.pk).exists()


def cohort_for_user(user: User, pk: int) -> Cohort:
    """One cohort (with its coalition and coordinators), or 404 when ``user`` may not see it."""
    queryset = cohorts_visible_to(user).select_related("coalition").prefetch_related("coordinators")
    return get_object_or_404(queryset, pk=pk)


def cohort_managed_by(user: User, pk: int) -> Cohort:
    """A cohort ``user`` may change: 404 when they cannot see it, 403 when they only see it."""
    cohort = cohort_for_user(user, pk)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    return cohort


def fellow_for_user(user: User, pk: int) -> Fellow:
    """One fellow with their person, cohort and interests, or 404."""
    queryset = (
        Fellow.objects.filter(cohort__in=cohorts_visible_to(user))
        .select_related("person", "cohort")
        .prefetch_related("interests")
    )
    return get_object_or_404(queryset, pk=pk)


def application_for_user(user: User, pk: int) -> BoardApplication:
    queryset = BoardApplication.objects.filter(fellow__cohort__in=cohorts_visible_to(user)).select_related(
        "fellow__person", "fellow__cohort", "board", "vacancy__seat", "tenure__position"
    )
    return get_object_or_404(queryset, pk=pk)


# --- conversion: "26 fellows, 15 placed" -----------------------------------------------------


@dataclass
class Conversion:
    fellows: int = 0
    applied: int = 0
    placed: int = 0
    first_term_over: int = 0  # placed fellows whose first appointment has ended or run its term
    still_serving: int = 0  # of those, how many hold a board seat today

    @property
    def placed_pct(self) -> int | None:
        return round(100 * self.placed / self.fellows) if self.fellows else None


def conversions(cohort_ids: list[int], today: datetime.date) -> dict[int, Conversion]:
    """Cohort id → its conversion figures, in one query whatever the number of fellows."""
    applications = BoardApplication.objects.filter(fellow=OuterRef("pk"))
    appointed = applications.filter(stage=Stage.APPOINTED)
    rows = (
        Fellow.objects.filter(cohort_id__in=cohort_ids)
        .annotate(
            applied=Exists(applications.filter(applied_on__isnull=False)),
            placed=Exists(appointed),
            term_over=Exists(
                appointed.filter(Q(tenure__actual_end_date__isnull=False) | Q(tenure__planned_end_date__lt=today))
            ),
            serving=Exists(
                Tenure.objects.filter(
                    person_id=OuterRef("person_id"), actual_end_date__isnull=True, position__board__isnull=False
                )
            ),
        )
        .order_by()
        .values_list("cohort_id", "applied", "placed", "term_over", "serving")
    )
    figures: dict[int, Conversion] = defaultdict(Conversion)
    for cohort_id, applied, placed, term_over, serving in rows:
        figure = figures[cohort_id]
        figure.fellows += 1
        figure.applied += applied
        figure.placed += placed
        figure.first_term_over += term_over
        figure.still_serving += term_over and serving
    return {cohort_id: figures[cohort_id] for cohort_id in cohort_ids}


def cohort_list(user: User) -> QuerySet[Cohort]:
    """Visible cohorts, newest first, with their session counts (conversions: :func:`conversions`)."""
    return (
        cohorts_visible_to(user)
        .annotate(session_count=Count("sessions", distinct=True))
        .values("pk", "name", "program", "starts_on", "ends_on", "session_count")
        .order_by("-starts_on", "name")
    )


# --- the cohort page -------------------------------------------------------------------------


@dataclass
class FellowRow:
    pk: int
    name: str
    sessions_attended: int
    interests: list[str] = field(default_factory=list)  # board names
    applications: list[dict] = field(default_factory=list)  # {"board", "stage"}, oldest first


def fellow_rows(cohort: Cohort) -> list[FellowRow]:
    """The cohort's fellows with their names, how many of the program's sessions each
    attended, their boards of interest and their applications: three queries whatever the
    number of fellows, and plain rows (no model instances) for the page to show."""
    attended = (
        Attendance.objects.filter(person_id=OuterRef("person_id"), engagement__cohorts=cohort)
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    fellows = (
        cohort.fellows.annotate(sessions_attended=Coalesce(Subquery(attended, output_field=IntegerField()), 0))
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list("pk", "person__first_name", "person__preferred_name", "person__last_name", "sessions_attended")
    )
    rows = {
        pk: FellowRow(pk, person_name(first, preferred, last), attended)
        for pk, first, preferred, last, attended in fellows
    }
    interests = Fellow.interests.through.objects.filter(fellow__cohort=cohort).order_by("board__name")
    for fellow_id, board_name in interests.values_list("fellow_id", "board__name"):
        rows[fellow_id].interests.append(board_name)
    applications = BoardApplication.objects.filter(fellow__cohort=cohort).order_by("pk")
    for fellow_id, board_name, stage in applications.values_list("fellow_id", "board__name", "stage"):
        rows[fellow_id].applications.append({"board": board_name, "stage": stage})
    return list(rows.values())


def pipeline_cards(cohort: Cohort) -> dict[str, list[dict]]:
    """Stage → the cohort's applications at that stage (one query), oldest stage first."""
    rows = (
        BoardApplication.objects.filter(fellow__cohort=cohort)
        .order_by("stage_changed_on", "pk")
        .values(
            "pk",
            "stage",
            "stage_changed_on",
            "fellow_id",
            "board_id",
            "vacancy_id",
            "tenure_id",
            board_name=F("board__name"),
            vacancy_deadline=F("vacancy__deadline"),
            vacancy_status=F("vacancy__status"),
            seat_title=F("tenure__position__title"),
            planned_end=F("tenure__planned_end_date"),
            first_name=F("fellow__person__first_name"),
            preferred_name=F("fellow__person__preferred_name"),
            last_name=F("fellow__person__last_name"),
        )
    )
    by_stage: dict[str, list[dict]] = {stage: [] for stage in Stage.values}
    for row in rows:
        by_stage[row["stage"]].append(row)
    return by_stage


# --- equity: fellows and appointees against the boards' current members ---------------------


@dataclass
class EquityRow:
    label: str
    cells: list[Cell] = field(default_factory=list)  # one per group
    shares: list[int | None] = field(default_factory=list)  # percent of the group's consented people

    @property
    def columns(self) -> list[tuple[Cell, int | None]]:
        return list(zip(self.cells, self.shares, strict=True))


@dataclass
class EquityTable:
    category: str
    rows: list[EquityRow]
    totals: list[int]  # consented people per group


GROUPS = (_("Fellows"), _("Appointed fellows"), _("Current board members"))


def pipeline_equity(cohort: Cohort) -> tuple[list[EquityTable], int]:
    """Languages, neighborhoods and self-identified categories of the cohort's fellows, of
    those appointed, and of every board's current members — people with recorded
    demographics consent only, small counts suppressed as on the equity dashboard.
    Returns the tables and the suppression minimum. Six queries."""
    minimum = EquitySettings.current().minimum_cell
    consented = PersonDemographics.objects.filter(consent_recorded_at__isnull=False)
    columns = (
        "person_id",
        "person__preferred_language_id",
        "person__neighborhood_id",
        "age_band",
        "race_ethnicity",
        "gender_identity",
    )
    fellows = consented.filter(person__fellowships__cohort=cohort).distinct()
    appointed = consented.filter(
        person__fellowships__cohort=cohort, person__fellowships__applications__stage=Stage.APPOINTED
    ).distinct()
    members = consented.filter(
        person__tenures__actual_end_date__isnull=True, person__tenures__position__board__isnull=False
    ).distinct()
    groups = [list(group.values_list(*columns)) for group in (fellows, appointed, members)]
    language_ids = {row[1] for group in groups for row in group if row[1]}
    neighborhood_ids = {row[2] for group in groups for row in group if row[2]}
    languages = {language.pk: str(language) for language in Language.objects.filter(pk__in=language_ids)}
    neighborhoods = dict(Neighborhood.objects.filter(pk__in=neighborhood_ids).values_list("pk", "name"))
    age_labels = dict(PersonDemographics.AgeBand.choices)
    not_said = str(_("Not recorded"))
    categories = [
        (_("Language"), lambda row: languages.get(row[1], not_said)),
        (_("Neighborhood"), lambda row: neighborhoods.get(row[2], not_said)),
        (_("Age band"), lambda row: str(age_labels.get(row[3], not_said))),
        (_("Race or ethnicity"), lambda row: row[4] or not_said),
        (_("Gender identity"), lambda row: row[5] or not_said),
    ]
    tables = []
    for name, value_of in categories:
        counters = [Counter(value_of(row) for row in group) for group in groups]
        labels = sorted(
            {label for counter in counters for label in counter}, key=lambda label: (label == not_said, label)
        )
        columns_cells = [suppress([counter[label] for label in labels], minimum) for counter in counters]
        totals = [len(group) for group in groups]
        rows = []
        for index, label in enumerate(labels):
            cells = [column[index] for column in columns_cells]
            shares = [
                None if cell.suppressed or not total else round(100 * cell.count / total)
                for cell, total in zip(cells, totals, strict=True)
            ]
            rows.append(EquityRow(label, cells, shares))
        tables.append(EquityTable(str(name), rows, totals))
    return tables, minimum
