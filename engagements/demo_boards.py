"""Demo boards and commissions, and one cohort of 26 leadership fellows of whom 15 were
placed, through the same services the pages use. Running it twice changes nothing."""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.utils import timezone

from stakeholders.models import Board, Department, Person, Tenure, User
from stakeholders.services.boards import board_create, term_end, vacancy_open
from stakeholders.services.government import tenure_end, tenure_start
from stakeholders.services.privacy import ERASED_NAME

from .models import Attendance, BoardApplication, Cohort, Engagement, Fellow
from .services.pipeline import application_create, application_move, cohort_create, fellow_add

CITY_TZ = zoneinfo.ZoneInfo("America/Chicago")
COHORT_NAME = "Community Leadership Fellows 2023"
OFFICE = "Boards and Commissions Office"
SEATS = 7
MEMBERS_PER_BOARD = 4  # seats 1–4 hold other residents; 5–7 are where fellows go
# name, term (months), appointed by, residency, expertise, meets
BOARDS = [
    ("Park and Recreation Board", 24, "mayor_council", "Lives in the city", "", "Monthly, first Monday, 6 pm"),
    ("Human Rights Commission", 24, "council", "Lives or works in the city", "", "Monthly, third Wednesday, 5:30 pm"),
    ("Transit Advisory Board", 24, "mayor", "Lives in the city; rides transit", "", "Every other Thursday, 6 pm"),
    (
        "Planning Commission",
        36,
        "mayor_council",
        "One seat per council district",
        "Two seats for design professionals",
        "Second and fourth Tuesday, 6 pm",
    ),
    ("Library Board", 36, "mayor_council", "Lives in the city", "", "Monthly, second Monday, 4 pm"),
    (
        "Community Police Oversight Commission",
        36,
        "council",
        "Lives in the city",
        "One seat for a civil rights attorney",
        "Monthly, last Thursday, 6 pm",
    ),
]
# (fellow index, board index, days before today appointed); the first three are on
# two-year boards and past their first term: two re-appointed, one left.
PLACEMENTS = [
    (0, 0, 825), (1, 1, 780), (2, 2, 750), (3, 0, 700), (4, 1, 650),
    (5, 3, 600), (6, 4, 560), (7, 5, 520), (8, 3, 480), (9, 4, 440),
    (10, 5, 400), (11, 2, 350), (12, 3, 300), (13, 4, 250), (14, 5, 195),
]  # fmt: skip
NOT_APPOINTED = [(15, 0), (16, 3), (17, 5)]  # lost to the placement on the same vacancy
WITHDREW = [(18, 1), (19, 4)]
# Open now: (board index, days until the deadline); the last fellows are at each stage of them.
OPEN_NOW = [(0, 10), (1, 40), (2, 60)]
ONGOING = [(20, 0, "interviewed"), (21, 1, "interviewed"), (22, 2, "applied"), (23, 1, "applied")]
INTERESTED = [(24, 0), (25, 0)]  # no application yet to a board whose deadline is ten days away


def seed(*, seed_value: int = 17) -> dict[str, int]:
    if Cohort.objects.filter(name=COHORT_NAME).exists():
        return {"boards": 0, "fellows": 0, "placed": 0}
    rng = random.Random(seed_value)
    today = timezone.localdate()
    coordinator = User.objects.filter(username="coordinator").first() or User.objects.filter(is_superuser=True).first()
    office, _created = Department.objects.get_or_create(name=OFFICE, parent=None)
    boards = [
        board_create(
            name=name,
            department=office,
            term_length_months=months,
            appointed_by=appointed_by,
            residency_requirement=residency,
            expertise_requirement=expertise,
            meeting_cadence=meets,
            seats=SEATS,
            actor=coordinator,
        )
        for name, months, appointed_by, residency, expertise, meets in BOARDS
    ]
    seats = {board.pk: list(board.seats.order_by("pk")) for board in boards}
    fellows_people, members_people = _people(rng)
    _members(boards, seats, members_people, today, rng, coordinator)

    starts_on = today - datetime.timedelta(days=3 * 365)
    sessions = _sessions(starts_on, coordinator)
    cohort = cohort_create(
        actor=coordinator,
        name=COHORT_NAME,
        program="Community Leadership Institute",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=240),
        notes="Nine months of sessions on how the city's boards work, then mentoring through applications.",
        coordinators=[coordinator] if coordinator else [],
        sessions=sessions,
    )
    fellows = []
    for person in fellows_people:
        interests = rng.sample(boards, rng.randint(1, 3))
        fellows.append(fellow_add(cohort=cohort, person=person, interests=interests))
    _attendance(fellows, sessions, rng)

    vacancy_of = {}
    for fellow_index, board_index, days_ago in PLACEMENTS:
        board = boards[board_index]
        seat = next(seat for seat in seats[board.pk][MEMBERS_PER_BOARD:] if seat.pk not in vacancy_of)
        appointed_on = today - datetime.timedelta(days=days_ago)
        vacancy = vacancy_open(
            seat=seat,
            opens_on=appointed_on - datetime.timedelta(days=75),
            deadline=appointed_on - datetime.timedelta(days=45),
            actor=coordinator,
        )
        vacancy_of[seat.pk] = vacancy
        for loser_index, loser_board in NOT_APPOINTED:
            if loser_board == board_index and not BoardApplication.objects.filter(fellow=fellows[loser_index]).exists():
                _apply(fellows[loser_index], board, vacancy, appointed_on, "not_appointed", coordinator)
        _apply(fellows[fellow_index], board, vacancy, appointed_on, "appointed", coordinator)
    for fellow_index, board_index in WITHDREW:
        _withdraw(fellows[fellow_index], boards[board_index], today, coordinator)
    _after_first_terms(fellows, today, coordinator)

    open_vacancies = []
    for board_index, days_left in OPEN_NOW:
        board = boards[board_index]
        seat = seats[board.pk][-1] if seats[board.pk][-1].pk not in vacancy_of else _free_seat(board)
        open_vacancies.append(
            vacancy_open(
                seat=seat,
                opens_on=today - datetime.timedelta(days=20),
                deadline=today + datetime.timedelta(days=days_left),
                actor=coordinator,
            )
        )
    for fellow_index, vacancy_index, stage in ONGOING:
        vacancy = open_vacancies[vacancy_index]
        fellow = fellows[fellow_index]
        applied_on = today - datetime.timedelta(days=12)
        application = application_create(
            fellow=fellow, board=vacancy.seat.board, vacancy=vacancy, stage="applied", on=applied_on, actor=coordinator
        )
        if stage == "interviewed":
            application_move(application=application, to_stage="interviewed", on=today - datetime.timedelta(days=3))
    for fellow_index, vacancy_index in INTERESTED:
        board = open_vacancies[vacancy_index].seat.board
        application_create(
            fellow=fellows[fellow_index], board=board, on=today - datetime.timedelta(days=5), actor=coordinator
        )
    return {"boards": len(boards), "fellows": len(fellows), "placed": len(PLACEMENTS)}


def _people(rng: random.Random) -> tuple[list[Person], list[Person]]:
    """26 residents for the cohort (half of them with consented demographics) and 30 others for the boards."""
    holders = Tenure.objects.values("person_id")
    residents = Person.objects.filter(user__isnull=True).exclude(first_name=ERASED_NAME).exclude(pk__in=holders)
    residents = residents.order_by("pk")
    consented = list(residents.filter(demographics__consent_recorded_at__isnull=False)[:60])
    others = list(residents.filter(demographics__isnull=True)[:60])
    fellows = consented[:13] + others[:13]
    members = consented[13:33] + others[13:23]
    rng.shuffle(fellows)
    return fellows, members


def _members(boards, seats, people, today, rng, actor) -> None:
    """Seats 1–4 of each board held by other residents, some of their terms ending soon."""
    people = iter(people)
    for board in boards:
        for number, seat in enumerate(seats[board.pk][:MEMBERS_PER_BOARD]):
            # Spread so that the board's terms end across the coming term; the first ends in a few months.
            ends_in = 60 + number * (board.term_length_months * 30 // MEMBERS_PER_BOARD) + rng.randint(0, 20)
            planned_end = today + datetime.timedelta(days=ends_in)
            start = planned_end - datetime.timedelta(days=board.term_length_months * 30)
            tenure_start(
                position=seat,
                person=next(people),
                start_date=start,
                planned_end_date=term_end(start, board.term_length_months),
                actor=actor,
            )


def _sessions(starts_on: datetime.date, actor) -> list[Engagement]:
    sessions = []
    for number, topic in enumerate(
        [
            "How city boards and commissions work",
            "Reading a budget",
            "Land use and zoning basics",
            "Public comment that moves decisions",
            "Equity in policy",
            "Working with council offices",
            "Applications and interviews",
            "Graduation and mentoring",
        ]
    ):
        day = starts_on + datetime.timedelta(days=30 * number)
        starts_at = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=CITY_TZ)
        sessions.append(
            Engagement.objects.create(
                kind=Engagement.Kind.WORKSHOP,
                title=f"Leadership Fellows: {topic}",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                location="Central Library, Room B",
                summary="A session of the Community Leadership Institute.",
                status=Engagement.Status.LOGGED,
                created_by=actor,
            )
        )
    return sessions


def _attendance(fellows: list[Fellow], sessions: list[Engagement], rng: random.Random) -> None:
    rows = []
    for fellow in fellows:
        attended = rng.sample(sessions, rng.randint(len(sessions) - 3, len(sessions)))
        rows += [Attendance(engagement=session, person_id=fellow.person_id) for session in attended]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    for session in sessions:
        session.attendance_total = session.attendances.count()
        session.save(update_fields=["attendance_total"])


def _apply(fellow, board, vacancy, decided_on, outcome, actor) -> None:
    application = application_create(
        fellow=fellow,
        board=board,
        vacancy=vacancy,
        stage="applied",
        on=decided_on - datetime.timedelta(days=60),
        actor=actor,
    )
    application_move(
        application=application, to_stage="interviewed", on=decided_on - datetime.timedelta(days=25), actor=actor
    )
    application_move(application=application, to_stage=outcome, on=decided_on, actor=actor)


def _withdraw(fellow, board, today, actor) -> None:
    application = application_create(
        fellow=fellow, board=board, stage="applied", on=today - datetime.timedelta(days=400), actor=actor
    )
    application_move(
        application=application,
        to_stage="withdrew",
        on=today - datetime.timedelta(days=380),
        note="Took a new job with evening shifts.",
        actor=actor,
    )


def _after_first_terms(fellows, today, actor) -> None:
    """The first three placements are past their first term: two re-appointed, one left."""
    for index, fellow in enumerate(fellows[:3]):
        tenure = BoardApplication.objects.get(fellow=fellow, stage="appointed").tenure
        if tenure.planned_end_date >= today:
            continue
        ended = tenure.planned_end_date
        if index < 2:
            board = tenure.position.board
            tenure_end(tenure=tenure, end_date=ended, end_reason=Tenure.EndReason.TERM_ENDED, actor=actor)
            start = ended + datetime.timedelta(days=1)
            tenure_start(
                position=tenure.position,
                person=fellow.person,
                start_date=start,
                planned_end_date=term_end(start, board.term_length_months),
                actor=actor,
            )
        else:
            tenure_end(tenure=tenure, end_date=ended, end_reason=Tenure.EndReason.TERM_ENDED, actor=actor)


def _free_seat(board: Board):
    return (
        board.seats.exclude(tenures__actual_end_date__isnull=True)
        .exclude(vacancies__status="open")
        .order_by("pk")
        .first()
    )
