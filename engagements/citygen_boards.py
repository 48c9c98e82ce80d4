"""The generated city's boards and commissions and its leadership-fellows cohorts
(``generate_city``; see ``engagements.citygen``), bulk-loaded with COPY.

Drawn from their own random generator, so adding them left the rest of the city as it was.
"""

from __future__ import annotations

import datetime
import random

from stakeholders.models import Board, Position, Tenure, User, Vacancy

from .models import ApplicationStageChange, BoardApplication, Cohort, Engagement, Fellow

# Per size: boards (9 seats each), cohorts, fellows per cohort.
SIZES = {"small": (3, 2, 26), "large": (40, 12, 30)}
SEATS = 9
MEMBERS = 6  # seats held by other residents; the rest go to fellows or stay vacant
TERM_MONTHS = (24, 36, 48)
TOPICS = ["Parks", "Transit", "Housing", "Library", "Arts", "Zoning", "Youth"]
STAGES = ["interested", "applied", "interviewed", "appointed", "appointed", "not_appointed", "withdrew"]


def generate(*, size: tuple[int, int, int], seed: int, prefix: str, today, people, departments, coordinators, log):
    from .citygen import copy_instances

    board_count, cohort_count, per_cohort = size
    if not board_count or not departments or len(people) < board_count * MEMBERS + cohort_count * per_cohort:
        return {"boards": 0, "fellows": 0}
    rng = random.Random(seed * 7919 + 17)
    boards = copy_instances(
        Board,
        [
            Board(
                name=f"{rng.choice(TOPICS)} board {prefix}-{i}",
                department=departments[i % len(departments)],
                term_length_months=rng.choice(TERM_MONTHS),
                meeting_cadence="Monthly",
            )
            for i in range(board_count)
        ],
    )
    seats = copy_instances(
        Position,
        [
            Position(
                title=f"{board.name}, seat {number}",
                department_id=board.department_id,
                level=Position.Level.BOARD,
                board=board,
            )
            for board in boards
            for number in range(1, SEATS + 1)
        ],
    )
    pool = rng.sample(people, k=board_count * MEMBERS + cohort_count * per_cohort)
    members, fellows_people = pool[: board_count * MEMBERS], pool[board_count * MEMBERS :]
    member_tenures = []
    free_seats = []
    for index, board in enumerate(boards):
        board_seats = seats[index * SEATS : (index + 1) * SEATS]
        for number, seat in enumerate(board_seats):
            if number < MEMBERS:
                start = today - datetime.timedelta(days=rng.randint(30, 1400))
                member_tenures.append(
                    Tenure(
                        person=members[index * MEMBERS + number],
                        position=seat,
                        start_date=start,
                        planned_end_date=start + datetime.timedelta(days=30 * board.term_length_months),
                        holds_single_seat=True,
                    )
                )
            else:
                free_seats.append(seat)
    copy_instances(Tenure, member_tenures)
    rng.shuffle(free_seats)
    open_vacancies = copy_instances(
        Vacancy,
        [
            Vacancy(
                seat=seat,
                opens_on=today - datetime.timedelta(days=20),
                deadline=today + datetime.timedelta(days=rng.randint(5, 60)),
            )
            for seat in free_seats[:board_count]
        ],
    )
    placeable = free_seats[board_count:]
    sessions = list(Engagement.objects.order_by("pk").values_list("pk", flat=True)[: cohort_count * 8])
    cohorts = copy_instances(
        Cohort,
        [
            Cohort(
                name=f"Leadership fellows {prefix}-{i}",
                program="Community Leadership Institute",
                starts_on=today - datetime.timedelta(days=365 * (i % 4) + 200),
            )
            for i in range(cohort_count)
        ],
    )
    copy_instances(
        Cohort.coordinators.through,
        [Cohort.coordinators.through(cohort_id=c.pk, user_id=u.pk) for c in cohorts for u in coordinators],
    )
    copy_instances(
        Cohort.sessions.through,
        [
            Cohort.sessions.through(cohort_id=c.pk, engagement_id=pk)
            for index, c in enumerate(cohorts)
            for pk in sessions[index * 8 : (index + 1) * 8]
        ],
    )
    fellows = copy_instances(
        Fellow,
        [Fellow(cohort=cohorts[index // per_cohort], person=person) for index, person in enumerate(fellows_people)],
    )
    copy_instances(
        Fellow.interests.through,
        [
            Fellow.interests.through(fellow_id=fellow.pk, board_id=board.pk)
            for fellow in fellows
            for board in rng.sample(boards, k=min(2, len(boards)))
        ],
    )
    applications, appointments = [], []
    for fellow in fellows:
        stage = rng.choice(STAGES)
        board = boards[rng.randrange(len(boards))]
        since = today - datetime.timedelta(days=rng.randint(1, 600))
        tenure = None
        if stage == "appointed":
            if not placeable:
                stage = "interviewed"
            else:
                seat = placeable.pop()
                board = next(b for b in boards if b.pk == seat.board_id)
                tenure = Tenure(
                    person_id=fellow.person_id,
                    position=seat,
                    start_date=since,
                    planned_end_date=since + datetime.timedelta(days=30 * board.term_length_months),
                    holds_single_seat=True,
                )
                appointments.append(tenure)
        applications.append(
            BoardApplication(
                fellow=fellow,
                board=board,
                stage=stage,
                stage_changed_on=since,
                applied_on=None if stage == "interested" else since,
                decided_on=since if stage in ("appointed", "not_appointed", "withdrew") else None,
                tenure=tenure,
            )
        )
    copy_instances(Tenure, appointments)
    for application in applications:
        if application.tenure is not None:
            application.tenure_id = application.tenure.pk
    copy_instances(BoardApplication, applications)
    copy_instances(
        ApplicationStageChange,
        [
            ApplicationStageChange(
                application=application,
                from_stage="",
                to_stage=application.stage,
                changed_on=application.stage_changed_on,
                note="Generated",
            )
            for application in applications
        ],
    )
    log(
        f"  {len(boards)} boards ({len(seats)} seats, {len(open_vacancies)} open vacancies), {len(cohorts)} cohorts,"
        f" {len(fellows)} fellows, {len(appointments)} placed"
    )
    return {"boards": len(boards), "fellows": len(fellows)}


def coordinators_for(users: list[User]) -> list[User]:
    """The demo coordinator (its pages are benchmarked) when there is one."""
    return [user for user in users if user.username == "coordinator"] or users[:1]
