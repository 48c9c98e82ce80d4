"""Reads of boards and commissions, always starting from the user who asks.

Boards are public bodies: every role but liaisons (``stakeholders.view_board``) sees
every board, its seats, who holds them and its vacancies.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Board, Position, Tenure, User, Vacancy

#: "Terms ending" on the boards page looks this far ahead.
TERMS_ENDING_DAYS = 180


def can_view_boards(user: User) -> bool:
    return user.is_authenticated and user.has_perm("stakeholders.view_board")


def boards_visible_to(user: User) -> QuerySet[Board]:
    """All boards or none. ``_on_visible_boards`` relies on it: limit boards per user here
    and it must filter by these boards again."""
    if not can_view_boards(user):
        return Board.objects.none()
    return Board.objects.all()


def _on_visible_boards(user: User, board_field: str) -> Q:
    """Rows tied to a board the user may see. Every board is visible to those who see any, so
    this is "tied to a board" (``IS NOT NULL``), which the planner estimates from the column
    instead of joining the boards table once more for an ``IN``."""
    if not can_view_boards(user):
        return Q(pk__in=[])
    return Q(**{f"{board_field}__isnull": False})


def board_for_user(user: User, pk: int) -> Board:
    """One board with its seats, their current holders and their vacancies; 404 when not visible."""
    current = Tenure.objects.filter(actual_end_date__isnull=True).select_related("person").order_by("start_date")
    seats = Position.objects.order_by("pk").prefetch_related(Prefetch("tenures", queryset=current, to_attr="current"))
    vacancies = Vacancy.objects.select_related("seat", "filled_by__person").order_by("-status", "deadline", "pk")
    queryset = boards_visible_to(user).select_related("department")
    queryset = queryset.prefetch_related(
        Prefetch("seats", queryset=seats),
        Prefetch("seats__vacancies", queryset=vacancies),
    )
    return get_object_or_404(queryset, pk=pk)


def vacancy_for_user(user: User, pk: int) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.filter(seat__board__in=boards_visible_to(user)).select_related("seat"), pk=pk
    )


def board_list(user: User) -> QuerySet[Board]:
    """Boards with their seat, filled-seat and open-vacancy counts, in one query."""
    return (
        boards_visible_to(user)
        .annotate(
            seat_count=Count("seats", distinct=True),
            filled_count=Count(
                "seats",
                filter=Q(seats__tenures__isnull=False, seats__tenures__actual_end_date__isnull=True),
                distinct=True,
            ),
            open_vacancy_count=Count(
                "seats__vacancies", filter=Q(seats__vacancies__status=Vacancy.Status.OPEN), distinct=True
            ),
        )
        .values(
            "pk",
            "name",
            "appointed_by",
            "term_length_months",
            "meeting_cadence",
            "seat_count",
            "filled_count",
            "open_vacancy_count",
        )
    )


def open_vacancies(user: User) -> QuerySet[dict]:
    """Every open vacancy, soonest deadline first, with its seat and board."""
    return (
        Vacancy.objects.filter(_on_visible_boards(user, "seat__board"), status=Vacancy.Status.OPEN)
        .order_by("deadline", "pk")
        .values(
            "pk",
            "opens_on",
            "deadline",
            seat_title=F("seat__title"),
            board_id=F("seat__board_id"),
            board_name=F("seat__board__name"),
        )
    )


def terms_ending(user: User, today: datetime.date, days: int = TERMS_ENDING_DAYS) -> QuerySet[dict]:
    """Current appointments to board seats planned to end within ``days`` (or already past their end).

    Few current tenures end within the window, and PostgreSQL estimates far fewer (the two
    conditions are correlated): joined to seats through an ``IN`` of boards it looped over
    every seat for each tenure (9 ms on the large city); with ``board IS NOT NULL`` it hashes
    them (0.6 ms)."""
    return (
        Tenure.objects.filter(
            _on_visible_boards(user, "position__board"),
            actual_end_date__isnull=True,
            planned_end_date__lte=today + datetime.timedelta(days=days),
        )
        .order_by("planned_end_date", "pk")
        .values(
            "pk",
            "planned_end_date",
            "person_id",
            person_first_name=F("person__first_name"),
            person_preferred_name=F("person__preferred_name"),
            person_last_name=F("person__last_name"),
            seat_title=F("position__title"),
            board_id=F("position__board_id"),
            board_name=F("position__board__name"),
        )
    )
