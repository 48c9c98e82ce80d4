"""Boards and commissions: describing a board and its seats, opening, cancelling and
filling vacancies, term ends, the reads per role, and the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Board, Position, Tenure, Vacancy
from stakeholders.selectors import boards as selectors
from stakeholders.services import boards as services
from stakeholders.services.government import tenure_end, tenure_start
from tests.stakeholders.board_factories import BoardFactory, SeatFactory, VacancyFactory
from tests.stakeholders.factories import PersonFactory, UserFactory
from tests.stakeholders.government_factories import DepartmentFactory, PositionFactory, TenureFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def board_fields(**overrides) -> dict:
    fields = {"name": "Library Board", "appointed_by": Board.AppointedBy.MAYOR, "term_length_months": 24}
    fields = {**fields, **overrides}
    fields.setdefault("department", DepartmentFactory())
    return fields


def seat_titles(board: Board) -> list[str]:
    return list(board.seats.order_by("pk").values_list("title", flat=True))


def seat_of(board: Board) -> Position:
    return board.seats.order_by("pk").first()


# --- Services: boards and seats ---------------------------------------------------------


def test_a_new_board_gets_its_numbered_seats_in_its_department(coordinator_user):
    """Creating a board with seats makes that many single board seats, numbered from 1, in its department."""
    board = services.board_create(actor=coordinator_user, seats=3, **board_fields())

    assert seat_titles(board) == ["Library Board, seat 1", "Library Board, seat 2", "Library Board, seat 3"]
    assert set(board.seats.values_list("level", "is_multi_seat", "department_id")) == {
        (Position.Level.BOARD, False, board.department_id)
    }


def test_seats_added_later_are_numbered_after_the_existing_ones(coordinator_user):
    """Adding two seats to a board of three gives seats 4 and 5."""
    board = services.board_create(actor=coordinator_user, seats=3, **board_fields())

    added = services.seats_add(board=board, count=2, actor=coordinator_user)

    assert [seat.title for seat in added] == ["Library Board, seat 4", "Library Board, seat 5"]
    assert board.seats.count() == 5


@pytest.mark.parametrize("count", [0, services.MAX_SEATS_AT_ONCE + 1])
def test_seats_are_added_within_the_limits(coordinator_user, count):
    """No seat at all, or more than fifty at once, is refused on "count" and adds nothing."""
    board = services.board_create(actor=coordinator_user, seats=1, **board_fields())

    with pytest.raises(ValidationError) as error:
        services.seats_add(board=board, count=count, actor=coordinator_user)

    assert "count" in error.value.message_dict
    assert board.seats.count() == 1


def test_a_board_name_is_used_once(coordinator_user):
    """A second board with the same name is refused on its name, and nothing is added."""
    services.board_create(actor=coordinator_user, **board_fields())

    with pytest.raises(ValidationError) as error:
        services.board_create(actor=coordinator_user, seats=2, **board_fields(department=DepartmentFactory()))

    assert "name" in error.value.message_dict
    assert Board.objects.count() == 1 and Position.objects.count() == 0


def test_a_term_lasts_from_one_to_120_months(coordinator_user):
    """A term length of 0 or 121 months is refused on that field."""
    for months in (0, 121):
        with pytest.raises(ValidationError) as error:
            services.board_create(actor=coordinator_user, **board_fields(term_length_months=months))
        assert "term_length_months" in error.value.message_dict
    assert not Board.objects.exists()


def test_moving_a_board_to_another_department_moves_its_seats(coordinator_user):
    """A board's seats are listed in its department, so they follow it to a new one."""
    board = services.board_create(actor=coordinator_user, seats=2, **board_fields())
    other = DepartmentFactory(name="Parks")

    services.board_update(board=board, actor=coordinator_user, department=other, meeting_cadence="Monthly")

    board.refresh_from_db()
    assert board.department == other and board.meeting_cadence == "Monthly"
    assert set(board.seats.values_list("department_id", flat=True)) == {other.pk}


# --- Services: vacancies -----------------------------------------------------------------


def test_a_vacancy_opens_on_a_board_seat():
    """An opened vacancy is open, with its application window."""
    seat = SeatFactory()

    vacancy = services.vacancy_open(seat=seat, opens_on=TODAY, deadline=TODAY + datetime.timedelta(days=30))

    assert vacancy.status == Vacancy.Status.OPEN
    assert (vacancy.opens_on, vacancy.deadline) == (TODAY, datetime.date(2026, 4, 9))


def test_a_vacancy_needs_a_board_seat():
    """A position that is not a board's seat cannot have a vacancy."""
    with pytest.raises(ValidationError) as error:
        services.vacancy_open(seat=PositionFactory(), opens_on=TODAY, deadline=TODAY)
    assert "seat" in error.value.message_dict
    assert not Vacancy.objects.exists()


def test_a_deadline_cannot_come_before_applications_open():
    with pytest.raises(ValidationError) as error:
        services.vacancy_open(seat=SeatFactory(), opens_on=TODAY, deadline=TODAY - datetime.timedelta(days=1))
    assert "deadline" in error.value.message_dict
    assert not Vacancy.objects.exists()


def test_a_seat_has_one_open_vacancy_at_a_time():
    """A second open vacancy on a seat is refused; once the first is cancelled, a new one opens."""
    seat = SeatFactory()
    first = services.vacancy_open(seat=seat, opens_on=TODAY, deadline=TODAY)

    with pytest.raises(ValidationError) as error:
        services.vacancy_open(seat=seat, opens_on=TODAY, deadline=TODAY + datetime.timedelta(days=9))
    assert "seat" in error.value.message_dict
    assert Vacancy.objects.count() == 1

    services.vacancy_cancel(vacancy=first)
    second = services.vacancy_open(seat=seat, opens_on=TODAY, deadline=TODAY + datetime.timedelta(days=9))
    assert second.status == Vacancy.Status.OPEN
    assert Vacancy.objects.count() == 2


def test_only_an_open_vacancy_can_be_cancelled(coordinator_user):
    vacancy = VacancyFactory()

    services.vacancy_cancel(vacancy=vacancy, actor=coordinator_user)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CANCELLED

    with pytest.raises(ValidationError, match="Only an open vacancy"):
        services.vacancy_cancel(vacancy=vacancy, actor=coordinator_user)


def test_filling_a_vacancy_names_the_appointment_to_its_seat():
    """A vacancy is filled by a tenure of its own seat, once; another seat's tenure is refused."""
    vacancy = VacancyFactory()
    elsewhere = TenureFactory(position=SeatFactory(board=vacancy.seat.board))
    with pytest.raises(ValidationError) as error:
        services.vacancy_fill(vacancy=vacancy, tenure=elsewhere)
    assert "another seat" in str(error.value)

    tenure = TenureFactory(position=vacancy.seat)
    services.vacancy_fill(vacancy=vacancy, tenure=tenure)
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.filled_by) == (Vacancy.Status.FILLED, tenure)

    with pytest.raises(ValidationError, match="no longer open"):
        services.vacancy_fill(vacancy=vacancy, tenure=tenure)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2024, 1, 15), 36, datetime.date(2027, 1, 14)),
        (datetime.date(2024, 1, 1), 24, datetime.date(2025, 12, 31)),
        (datetime.date(2025, 11, 10), 3, datetime.date(2026, 2, 9)),
        (datetime.date(2023, 3, 1), 12, datetime.date(2024, 2, 29)),
        # A start on a day the end month does not have: the term runs to that month's last day.
        (datetime.date(2025, 12, 31), 2, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 8, 31), 1, datetime.date(2026, 9, 30)),
    ],
)
def test_a_term_ends_the_day_before_the_same_day_later(start, months, end):
    assert services.term_end(start, months) == end


# --- Selectors ---------------------------------------------------------------------------


def test_board_list_counts_seats_filled_seats_and_open_vacancies(staff_user):
    """Three seats: one held now, one whose holder left, one never held; one open and one
    cancelled vacancy. The list says 3 seats, 1 filled, 1 open vacancy."""
    board = BoardFactory(name="Transit Advisory Board")
    held, left, _never = (SeatFactory(board=board) for _ in range(3))
    TenureFactory(position=held)
    TenureFactory(position=left, actual_end_date=datetime.date(2025, 1, 1), end_reason=Tenure.EndReason.RESIGNED)
    VacancyFactory(seat=left)
    VacancyFactory(seat=held, status=Vacancy.Status.CANCELLED)

    [row] = selectors.board_list(staff_user)

    assert (row["name"], row["seat_count"], row["open_vacancy_count"]) == ("Transit Advisory Board", 3, 1)
    assert row["filled_count"] == 1


def test_liaisons_see_no_board(liaison_user):
    board = BoardFactory()
    assert not selectors.boards_visible_to(liaison_user).exists()
    assert list(selectors.board_list(liaison_user)) == []
    with pytest.raises(Http404):
        selectors.board_for_user(liaison_user, board.pk)


def test_open_vacancies_are_listed_soonest_deadline_first(staff_user):
    late = VacancyFactory(deadline=datetime.date(2026, 6, 1))
    soon = VacancyFactory(deadline=datetime.date(2026, 4, 1))
    VacancyFactory(deadline=datetime.date(2026, 3, 15), status=Vacancy.Status.CANCELLED)

    rows = list(selectors.open_vacancies(staff_user))

    assert [row["pk"] for row in rows] == [soon.pk, late.pk]
    assert rows[0]["board_name"] == soon.seat.board.name and rows[0]["seat_title"] == soon.seat.title


def test_terms_ending_lists_current_board_terms_within_the_horizon_or_past_their_end(staff_user):
    """Within 180 days or already overdue: listed. Later, ended, or not a board seat: not."""
    within = TenureFactory(position=SeatFactory(), planned_end_date=TODAY + datetime.timedelta(days=180))
    overdue = TenureFactory(position=SeatFactory(), planned_end_date=TODAY - datetime.timedelta(days=3))
    TenureFactory(position=SeatFactory(), planned_end_date=TODAY + datetime.timedelta(days=181))
    TenureFactory(
        position=SeatFactory(),
        planned_end_date=TODAY + datetime.timedelta(days=10),
        actual_end_date=datetime.date(2025, 1, 1),
        end_reason=Tenure.EndReason.RESIGNED,
    )
    TenureFactory(planned_end_date=TODAY + datetime.timedelta(days=10))  # a department position

    rows = list(selectors.terms_ending(staff_user, TODAY))

    assert [row["pk"] for row in rows] == [overdue.pk, within.pk]
    assert list(selectors.terms_ending(UserFactory(roles=["Liaison"]), TODAY)) == []


# --- Pages -------------------------------------------------------------------------------


@pytest.fixture
def board(db):
    """A board of two seats: the first held, the second with an open vacancy."""
    board = BoardFactory(name="Planning Commission")
    first, second = SeatFactory(board=board, title="Planning seat 1"), SeatFactory(board=board, title="Planning seat 2")
    TenureFactory(position=first, person=PersonFactory(first_name="Ama", last_name="Okafor"))
    VacancyFactory(seat=second, deadline=datetime.date(2026, 4, 30))
    return board


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Admin"])
def test_every_role_but_liaisons_reads_the_boards(client, board, role):
    client.force_login(UserFactory(roles=[role]))

    listing = client.get(reverse("boards:board_list"))
    detail = client.get(board.get_absolute_url())

    assert listing.status_code == 200 and detail.status_code == 200
    assert "Planning Commission" in listing.text and "Planning seat 2" in listing.text  # the open vacancy
    assert "Ama Okafor" in detail.text and "Seats: 1 of 2 filled" in detail.text


def test_liaisons_read_no_board_page(client, board, liaison_user):
    client.force_login(liaison_user)
    vacancy = Vacancy.objects.get()
    for url in (reverse("boards:board_list"), board.get_absolute_url(), reverse("boards:board_create")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("boards:vacancy_cancel", args=[vacancy.pk])).status_code == 403
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


def test_staff_read_but_do_not_change_boards(client, board, staff_user):
    """Staff get 403 on every form that changes a board or its vacancies, and nothing changes."""
    client.force_login(staff_user)
    vacancy = Vacancy.objects.get()

    responses = [
        client.get(reverse("boards:board_create")),
        client.post(reverse("boards:board_edit", args=[board.pk]), {"name": "Renamed"}),
        client.post(reverse("boards:seats_add", args=[board.pk]), {"count": 2}),
        client.post(reverse("boards:vacancy_create", args=[board.pk]), {}),
        client.post(reverse("boards:vacancy_cancel", args=[vacancy.pk])),
    ]

    assert [response.status_code for response in responses] == [403] * 5
    page = client.get(board.get_absolute_url())
    assert not page.context["can_change"] and not page.context["can_open"]
    assert reverse("boards:board_edit", args=[board.pk]) not in page.text
    board.refresh_from_db()
    assert board.name == "Planning Commission" and board.seats.count() == 2
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


@pytest.mark.parametrize("role", ["Coordinator", "Admin"])
def test_coordinators_and_admins_add_a_board_with_its_seats(client, role):
    client.force_login(UserFactory(roles=[role]))
    department = DepartmentFactory(name="Parks")

    response = client.post(
        reverse("boards:board_create"),
        {
            "name": "Park Board",
            "department": department.pk,
            "appointed_by": "council",
            "term_length_months": 24,
            "seats": 5,
        },
    )

    board = Board.objects.get()
    assert response.status_code == 302 and response.url == board.get_absolute_url()
    assert (board.name, board.appointed_by, board.term_length_months) == ("Park Board", "council", 24)
    assert board.seats.count() == 5


def test_a_board_form_with_bad_input_says_what_is_wrong_and_saves_nothing(client, coordinator_user):
    client.force_login(coordinator_user)
    BoardFactory(name="Park Board")
    department = DepartmentFactory()

    response = client.post(
        reverse("boards:board_create"),
        {
            "name": "Park Board",
            "department": department.pk,
            "appointed_by": "mayor",
            "term_length_months": 24,
            "seats": 3,
        },
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors

    response = client.post(
        reverse("boards:board_create"),
        {
            "name": "Zoning Board",
            "department": department.pk,
            "appointed_by": "mayor",
            "term_length_months": 0,
            "seats": 3,
        },
    )
    assert response.status_code == 422
    assert "term_length_months" in response.context["form"].errors
    assert list(Board.objects.values_list("name", flat=True)) == ["Park Board"]
    assert not Position.objects.exists()


def test_editing_a_board_keeps_its_seats(client, board, coordinator_user):
    client.force_login(coordinator_user)

    form = client.get(reverse("boards:board_edit", args=[board.pk]))
    response = client.post(
        reverse("boards:board_edit", args=[board.pk]),
        {
            "name": "City Planning Commission",
            "department": board.department_id,
            "appointed_by": "mayor",
            "term_length_months": 48,
            "meeting_cadence": "Second Tuesday",
        },
    )

    assert form.status_code == 200 and "seats" not in form.context["form"].fields
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.name, board.term_length_months, board.meeting_cadence) == (
        "City Planning Commission",
        48,
        "Second Tuesday",
    )
    assert board.seats.count() == 2


def test_adding_seats_from_the_board_page(client, board, coordinator_user):
    client.force_login(coordinator_user)

    response = client.post(reverse("boards:seats_add", args=[board.pk]), {"count": 2})
    assert response.status_code == 302 and response.url == board.get_absolute_url()
    assert board.seats.count() == 4

    response = client.post(reverse("boards:seats_add", args=[board.pk]), {"count": 0})
    assert response.status_code == 422
    assert "count" in response.context["seats_form"].errors
    assert board.seats.count() == 4


def test_opening_a_vacancy_from_the_board_page(client, board, coordinator_user):
    client.force_login(coordinator_user)
    seat = seat_of(board)

    response = client.post(
        reverse("boards:vacancy_create", args=[board.pk]),
        {"seat": seat.pk, "opens_on": "2026-03-01", "deadline": "2026-03-31", "notes": "Ama's term ends"},
    )

    vacancy = Vacancy.objects.get(seat=seat)
    assert response.status_code == 302 and response.url == vacancy.get_absolute_url()
    assert (vacancy.deadline, vacancy.notes) == (datetime.date(2026, 3, 31), "Ama's term ends")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens_on": "2026-03-10", "deadline": "2026-03-01"}, "deadline"),
        ({"opens_on": "2026-03-10", "deadline": "not a date"}, "deadline"),
        ({"opens_on": "2026-03-10", "deadline": "2026-04-01", "other_board_seat": True}, "seat"),
        ({"opens_on": "2026-03-10", "deadline": "2026-04-01", "second_seat": True}, "seat"),  # already open
    ],
)
def test_a_vacancy_form_with_bad_input_says_what_is_wrong_and_opens_nothing(
    client, board, coordinator_user, data, field
):
    client.force_login(coordinator_user)
    first, second = board.seats.order_by("pk")
    seat = SeatFactory() if data.pop("other_board_seat", False) else second if data.pop("second_seat", False) else first

    response = client.post(reverse("boards:vacancy_create", args=[board.pk]), {"seat": seat.pk, **data})

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Vacancy.objects.count() == 1


def test_the_vacancy_form_opens_on_its_own_page_from_the_board(client, board, coordinator_user, staff_user):
    client.force_login(coordinator_user)
    page = client.get(board.get_absolute_url())
    form_url = reverse("boards:vacancy_create", args=[board.pk])
    assert form_url in page.content.decode()

    response = client.get(form_url)

    assert response.status_code == 200
    assert [seat.pk for seat in response.context["form"].fields["seat"].queryset] == list(
        board.seats.order_by("pk").values_list("pk", flat=True)
    )
    client.force_login(staff_user)
    assert form_url not in client.get(board.get_absolute_url()).content.decode()
    assert client.get(form_url).status_code == 403


def test_cancelling_a_vacancy_from_the_board_page(client, board, admin_user):
    client.force_login(admin_user)
    vacancy = Vacancy.objects.get()

    response = client.post(reverse("boards:vacancy_cancel", args=[vacancy.pk]))
    assert response.status_code == 302 and response.url == board.get_absolute_url()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CANCELLED

    # a second time: said, not crashed
    response = client.post(reverse("boards:vacancy_cancel", args=[vacancy.pk]), follow=True)
    assert "Only an open vacancy can be cancelled." in response.text


def test_the_vacancy_cancel_page_takes_only_posts(client, board, coordinator_user):
    client.force_login(coordinator_user)
    vacancy = Vacancy.objects.get()
    assert client.get(reverse("boards:vacancy_cancel", args=[vacancy.pk])).status_code == 405
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


def _make_boards(count: int, today: datetime.date) -> None:
    for _ in range(count):
        board = BoardFactory()
        held, open_seat = SeatFactory(board=board), SeatFactory(board=board)
        TenureFactory(
            position=held,
            start_date=today - datetime.timedelta(days=30),
            planned_end_date=today + datetime.timedelta(days=20),
        )
        VacancyFactory(seat=open_seat, opens_on=today, deadline=today + datetime.timedelta(days=30))


def test_the_board_list_takes_the_same_queries_for_few_and_many_boards(client, staff_user, django_assert_num_queries):
    """Boards, open vacancies and terms ending: the page's query count does not grow with the rows."""
    today = timezone.localdate()
    client.force_login(staff_user)
    _make_boards(2, today)
    client.get(reverse("boards:board_list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("boards:board_list"))
    assert len(response.context["boards"]) == 2 and len(response.context["ending"]) == 2

    _make_boards(12, today)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("boards:board_list"))
    assert len(response.context["boards"]) == 14
    assert len(response.context["vacancies"]) == 14 and len(response.context["ending"]) == 14


def test_a_board_page_takes_the_same_queries_for_few_and_many_seats(
    client, coordinator_user, django_assert_num_queries
):
    board = BoardFactory()
    client.force_login(coordinator_user)

    def add_seats(count):
        for _ in range(count):
            held, open_seat = SeatFactory(board=board), SeatFactory(board=board)
            tenure = TenureFactory(position=held)
            VacancyFactory(seat=open_seat)
            VacancyFactory(seat=held, status=Vacancy.Status.FILLED, filled_by=tenure)
            VacancyFactory(seat=open_seat, status=Vacancy.Status.CANCELLED)

    add_seats(1)
    client.get(board.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(board.get_absolute_url())
    add_seats(10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(board.get_absolute_url())
    assert len(response.context["seats"]) == 22 and response.context["filled"] == 11


def test_appointing_by_hand_ends_the_former_holders_term():
    """Boards reuse the government tenure services: a new holder of a board seat replaces the
    one whose term is over, and the seat then counts as filled once."""
    board = BoardFactory()
    seat = SeatFactory(board=board)
    first = tenure_start(position=seat, person=PersonFactory(), start_date=datetime.date(2023, 1, 1))
    tenure_start(position=seat, person=PersonFactory(), start_date=datetime.date(2026, 1, 1))
    first.refresh_from_db()
    assert first.actual_end_date == datetime.date(2026, 1, 1)
    [row] = selectors.board_list(UserFactory(roles=["Staff"]))
    assert (row["seat_count"], row["filled_count"]) == (1, 1)
    tenure_end(tenure=seat.tenures.get(actual_end_date=None), end_date=datetime.date(2026, 2, 1), end_reason="resigned")
    [row] = selectors.board_list(UserFactory(roles=["Staff"]))
    assert row["filled_count"] == 0
