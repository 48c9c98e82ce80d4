"""Writes for boards and commissions: describing a board, adding its seats, and opening
or cancelling a vacancy. Appointments are tenures (``tenure_start``); filling a vacancy
happens when a fellow is appointed (``engagements.services.pipeline``) or by hand."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Board, Position, Tenure, User, Vacancy
from .government import history_context

MAX_SEATS_AT_ONCE = 50
_BOARD_FIELDS = (
    "name",
    "department",
    "appointed_by",
    "term_length_months",
    "residency_requirement",
    "expertise_requirement",
    "meeting_cadence",
    "description",
)


def _save_board(board: Board, fields: dict, *, actor: User | None, created: bool) -> Board:
    for name in _BOARD_FIELDS:
        if name in fields:
            setattr(board, name, fields[name])
    board.full_clean()
    try:
        with transaction.atomic():
            board.save()
    except IntegrityError as error:  # two people saving the same name at once
        raise ValidationError({"name": _("A board with this name already exists.")}) from error
    if not created and "department" in fields:
        # The seats belong to the board's department.
        board.seats.exclude(department=board.department).update(department=board.department)
    return board


def board_create(*, actor: User | None = None, seats: int = 0, **fields) -> Board:
    """Describe a new board and, when ``seats`` is given, create that many seats."""
    with transaction.atomic(), history_context(actor):
        board = _save_board(Board(), fields, actor=actor, created=True)
        if seats:
            seats_add(board=board, count=seats, actor=actor)
    return board


def board_update(*, board: Board, actor: User | None = None, **fields) -> Board:
    """Change what is known of a board (not its seats)."""
    with transaction.atomic(), history_context(actor):
        return _save_board(board, fields, actor=actor, created=False)


def seats_add(*, board: Board, count: int, actor: User | None = None) -> list[Position]:
    """Add ``count`` single seats to ``board``, numbered after the ones it has ("Seat 4", "Seat 5")."""
    if not 1 <= count <= MAX_SEATS_AT_ONCE:
        raise ValidationError({"count": _("Add from 1 to %(max)d seats at a time.") % {"max": MAX_SEATS_AT_ONCE}})
    with transaction.atomic(), history_context(actor):
        board = Board.objects.select_for_update().get(pk=board.pk)
        first = board.seats.count() + 1
        seats = [
            Position(
                title=_("%(board)s, seat %(number)d") % {"board": board.name, "number": number},
                department_id=board.department_id,
                level=Position.Level.BOARD,
                is_multi_seat=False,
                board=board,
            )
            for number in range(first, first + count)
        ]
        for seat in seats:
            seat.full_clean()
        return Position.objects.bulk_create(seats)


def vacancy_open(
    *,
    seat: Position,
    opens_on: datetime.date,
    deadline: datetime.date,
    notes: str = "",
    actor: User | None = None,
) -> Vacancy:
    """Open a vacancy on ``seat`` (a board seat) with an application window."""
    if seat.board_id is None:
        raise ValidationError({"seat": _("Choose a seat of a board or commission.")})
    if deadline < opens_on:
        raise ValidationError({"deadline": _("The deadline cannot be before applications open.")})
    vacancy = Vacancy(seat=seat, opens_on=opens_on, deadline=deadline, notes=notes)
    vacancy.full_clean(validate_constraints=False)
    try:
        with transaction.atomic(), history_context(actor):
            vacancy.save()
    except IntegrityError as error:
        raise ValidationError({"seat": _("This seat already has an open vacancy.")}) from error
    return vacancy


def vacancy_cancel(*, vacancy: Vacancy, actor: User | None = None) -> Vacancy:
    """Stop recruiting for a vacancy that is still open."""
    with transaction.atomic(), history_context(actor):
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if vacancy.status != Vacancy.Status.OPEN:
            raise ValidationError(_("Only an open vacancy can be cancelled."))
        vacancy.status = Vacancy.Status.CANCELLED
        vacancy.save(update_fields=["status", "updated_at"])
    return vacancy


def vacancy_fill(*, vacancy: Vacancy, tenure: Tenure) -> Vacancy:
    """Mark an open vacancy filled by ``tenure`` (an appointment to its seat). Called inside
    the appointing transaction, with the vacancy locked."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError({"vacancy": _("This vacancy is no longer open.")})
    if tenure.position_id != vacancy.seat_id:
        raise ValidationError({"vacancy": _("The appointment is to another seat.")})
    vacancy.status = Vacancy.Status.FILLED
    vacancy.filled_by = tenure
    vacancy.save(update_fields=["status", "filled_by", "updated_at"])
    return vacancy


def term_end(start: datetime.date, months: int) -> datetime.date:
    """The planned end of a term of ``months`` starting on ``start``: the day before the
    same day ``months`` later, or the last day of that month when it is shorter
    (31 December + 2 months → 28 February; 1 March + 12 months → 28 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    try:
        return datetime.date(year, month, start.day) - datetime.timedelta(days=1)
    except ValueError:  # no such day that month: the term runs to the month's last day
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)
