"""Boards and commissions: the list with every open vacancy and upcoming term end, one
board's page (its seats, who holds them, its vacancies), and the forms that describe a
board, add seats and open or cancel a vacancy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from ..forms.base import add_service_errors
from ..forms.boards import BoardForm, SeatsForm, VacancyForm
from ..models import Board, Vacancy
from ..rows import choice_labels, person_name, pk_url, short_dates
from ..selectors.boards import (
    TERMS_ENDING_DAYS,
    board_for_user,
    board_list,
    open_vacancies,
    terms_ending,
    vacancy_for_user,
)
from ..services import boards as services


@login_required
@permission_required("stakeholders.view_board", raise_exception=True)
@require_safe
def board_list_view(request):
    """Every board with its seat counts, every open vacancy and every term ending soon: four queries."""
    today = timezone.localdate()
    board_url = pk_url("boards:board_detail")
    appointed_by = choice_labels(Board.AppointedBy.choices)
    # Labels and dates worked out once per distinct value, not per cell in the template.
    term_labels: dict[int, str] = {}
    short = short_dates()

    # The three tables list every board, open vacancy and term ending, so their rows grow
    # with the city: each row is one format_html() here rather than a dozen template nodes.
    passed = format_html(' <span class="badge text-bg-warning">{}</span>', _("passed"))
    past_end = format_html(' <span class="badge text-bg-warning">{}</span>', _("past its end"))
    boards = []
    for row in board_list(request.user):
        months = row["term_length_months"]
        if months not in term_labels:
            term_labels[months] = ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
        boards.append(
            format_html(
                '<tr data-testid="board-row"><td><a href="{}">{}</a></td><td>{}</td>'
                '<td class="text-nowrap">{}</td><td>{} / {}</td><td>{}</td><td>{}</td></tr>',
                board_url(row["pk"]),
                row["name"],
                appointed_by.get(row["appointed_by"], ""),
                term_labels[months],
                row["filled_count"],
                row["seat_count"],
                row["open_vacancy_count"],
                row["meeting_cadence"] or "—",
            )
        )
    vacancies = [
        format_html(
            '<tr data-testid="vacancy-row"><td>{}</td><td><a href="{}">{}</a></td>'
            '<td class="text-nowrap">{}</td><td class="text-nowrap">{}{}</td></tr>',
            row["seat_title"],
            board_url(row["board_id"]),
            row["board_name"],
            short(row["opens_on"]),
            short(row["deadline"]),
            passed if row["deadline"] < today else "",
        )
        for row in open_vacancies(request.user)
    ]
    person_url = pk_url("stakeholders:person_detail")
    ending = [
        format_html(
            '<tr data-testid="term-ending-row"><td><a href="{}">{}</a></td><td>{}</td><td><a href="{}">{}</a></td>'
            '<td class="text-nowrap">{}{}</td></tr>',
            person_url(row["person_id"]),
            person_name(row["person_first_name"], row["person_preferred_name"], row["person_last_name"]),
            row["seat_title"],
            board_url(row["board_id"]),
            row["board_name"],
            short(row["planned_end_date"]),
            past_end if row["planned_end_date"] < today else "",
        )
        for row in terms_ending(request.user, today)
    ]
    context = {
        "boards": boards,
        "vacancies": vacancies,
        "ending": ending,
        "ending_days": TERMS_ENDING_DAYS,
        "today": today,
        "can_add": request.user.has_perm("stakeholders.add_board"),
    }
    return render(request, "boards/board_list.html", context)


def _board_page(request, board, *, seats_form=None, status=200):
    today = timezone.localdate()
    seats = list(board.seats.all())
    vacancies = [vacancy for seat in seats for vacancy in seat.vacancies.all()]
    vacancies.sort(key=lambda vacancy: (vacancy.status != Vacancy.Status.OPEN, vacancy.deadline, vacancy.pk))
    open_by_seat = {vacancy.seat_id: vacancy for vacancy in vacancies if vacancy.status == Vacancy.Status.OPEN}
    # What each seat's row shows, worked out once here rather than per cell in the template.
    position_url, person_url = pk_url("stakeholders:position_detail"), pk_url("stakeholders:person_detail")
    open_until = _("Open until %(date)s")
    rows = []
    for seat in seats:
        holder = seat.current[0] if seat.current else None
        vacancy = open_by_seat.get(seat.pk)
        planned_end = holder.planned_end_date if holder else None
        rows.append(
            {
                "pk": seat.pk,
                "title": seat.title,
                "url": position_url(seat.pk),
                "holder": str(holder.person) if holder else "",
                "holder_url": person_url(holder.person_id) if holder else "",
                "since": date_format(holder.start_date, "SHORT_DATE_FORMAT") if holder else "—",
                "ends": date_format(planned_end, "SHORT_DATE_FORMAT") if planned_end else "—",
                "past_end": bool(planned_end and planned_end < today),
                "vacancy": open_until % {"date": date_format(vacancy.deadline, "SHORT_DATE_FORMAT")}
                if vacancy
                else "—",
            }
        )
    context = {
        "board": board,
        "seats": rows,
        "vacancies": vacancies,
        "filled": sum(1 for row in rows if row["holder"]),
        "can_change": request.user.has_perm("stakeholders.change_board"),
        "can_open": request.user.has_perm("stakeholders.add_vacancy"),
        "seats_form": seats_form or SeatsForm(),
    }
    return render(request, "boards/board_detail.html", context, status=status)


@login_required
@permission_required("stakeholders.view_board", raise_exception=True)
@require_safe
def board_detail(request, pk):
    """One board: what it is, its seats with their holders and term ends, and its vacancies."""
    return _board_page(request, board_for_user(request.user, pk))


def _form_page(request, form, board=None):
    return render(request, "boards/board_form.html", {"form": form, "board": board}, status=422 if form.errors else 200)


@login_required
@permission_required("stakeholders.add_board", raise_exception=True)
def board_create(request):
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Board saved."))
            return redirect(board)
    return _form_page(request, form)


@login_required
@permission_required("stakeholders.change_board", raise_exception=True)
def board_edit(request, pk):
    board = board_for_user(request.user, pk)
    form = BoardForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_update(board=board, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Board saved."))
            return redirect(board)
    return _form_page(request, form, board)


@login_required
@permission_required("stakeholders.change_board", raise_exception=True)
@require_POST
def seats_add(request, pk):
    board = board_for_user(request.user, pk)
    form = SeatsForm(request.POST)
    if form.is_valid():
        try:
            seats = services.seats_add(board=board, actor=request.user, count=form.cleaned_data["count"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d seats added.") % {"count": len(seats)})
            return redirect(board)
    return _board_page(request, board_for_user(request.user, pk), seats_form=form, status=422)


@login_required
@permission_required("stakeholders.add_vacancy", raise_exception=True)
def vacancy_create(request, pk):
    """Open a vacancy on one of the board's seats, with its application window."""
    board = board_for_user(request.user, pk)
    if request.method == "POST":
        form = VacancyForm(request.POST, board=board)
        if form.is_valid():
            try:
                vacancy = services.vacancy_open(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Vacancy opened: applications for %(seat)s close on %(date)s.")
                    % {"seat": vacancy.seat, "date": vacancy.deadline.isoformat()},
                )
                return redirect(vacancy)
    else:
        form = VacancyForm(board=board, initial={"opens_on": timezone.localdate()})
    context = {"form": form, "board": board}
    return render(request, "boards/vacancy_form.html", context, status=422 if form.errors else 200)


@login_required
@permission_required("stakeholders.change_vacancy", raise_exception=True)
@require_POST
def vacancy_cancel(request, pk):
    vacancy = vacancy_for_user(request.user, pk)
    try:
        services.vacancy_cancel(vacancy=vacancy, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vacancy cancelled."))
    return redirect("boards:board_detail", vacancy.seat.board_id)
