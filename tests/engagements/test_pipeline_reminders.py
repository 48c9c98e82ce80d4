"""Reminder rules 8–10, the boards pipeline: a vacancy matching a fellow's interests, an
application deadline near, a placed fellow's term ending. Each is raised once per cycle
(a second scan creates nothing), again for a new cycle, and only for the cohort's active
coordinators."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from engagements.models import BoardApplication, Fellow, FollowUp
from engagements.services import pipeline as services
from engagements.services.followups import followups_scan_all
from stakeholders.models import Tenure, Vacancy
from stakeholders.services.boards import vacancy_cancel, vacancy_open
from stakeholders.services.government import tenure_end, tenure_start, tenure_update
from tests.stakeholders.board_factories import BoardFactory, CohortFactory, FellowFactory, SeatFactory, appoint
from tests.stakeholders.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

Reason = FollowUp.Reason
Stage = BoardApplication.Stage
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def cohort():
    """A cohort with two coordinators, one of whom has left (inactive), and one fellow
    interested in the Library Board. Another cohort's coordinator and an admin are about."""
    active = UserFactory(roles=["Coordinator"])
    inactive = UserFactory(roles=["Coordinator"], is_active=False)
    cohort = CohortFactory(coordinators=[active, inactive])
    CohortFactory(coordinators=[UserFactory(roles=["Coordinator"])])
    UserFactory(roles=["Admin"])
    board = BoardFactory(name="Library Board", term_length_months=24)
    fellow = FellowFactory(
        cohort=cohort, person=PersonFactory(first_name="Noor", last_name="Haddad"), interests=[board]
    )
    return {"cohort": cohort, "coordinator": active, "board": board, "fellow": fellow}


def open_vacancy(board, *, opens_on=TODAY - 5 * DAY, deadline=TODAY + 20 * DAY) -> Vacancy:
    return vacancy_open(seat=SeatFactory(board=board), opens_on=opens_on, deadline=deadline)


def followups(reason) -> list[FollowUp]:
    return list(FollowUp.objects.filter(reason=reason).order_by("pk"))


def scan(today=TODAY) -> dict[str, int]:
    return followups_scan_all(today=today)


# --- Rule 8: a vacancy matches a fellow's interests ---------------------------------------


def test_an_open_vacancy_on_a_board_of_interest_is_raised_once_to_the_active_coordinators(cohort):
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 30 * DAY)

    first = scan()
    second = scan()

    [followup] = followups(Reason.BOARD_VACANCY)
    assert first.get(Reason.BOARD_VACANCY) == 1 and Reason.BOARD_VACANCY not in second
    assert followup.user == cohort["coordinator"]
    assert followup.subject == vacancy and followup.cycle == f"fellow:{cohort['fellow'].pk}"
    assert followup.due_on == TODAY + 14 * DAY  # two weeks, or the deadline if sooner
    assert "Library Board" in followup.title and "Noor Haddad" in followup.title


def test_a_vacancy_match_is_due_by_the_deadline_when_that_comes_first(cohort):
    open_vacancy(cohort["board"], deadline=TODAY + 3 * DAY)
    scan()
    assert followups(Reason.BOARD_VACANCY)[0].due_on == TODAY + 3 * DAY


def test_a_new_vacancy_on_the_same_board_is_raised_again(cohort):
    first = open_vacancy(cohort["board"])
    scan()
    vacancy_cancel(vacancy=first)
    second = open_vacancy(cohort["board"], deadline=TODAY + 40 * DAY)

    assert scan().get(Reason.BOARD_VACANCY) == 1

    assert [followup.object_id for followup in followups(Reason.BOARD_VACANCY)] == [first.pk, second.pk]


@pytest.mark.parametrize(
    "window",
    [(TODAY + DAY, TODAY + 30 * DAY), (TODAY - 30 * DAY, TODAY - DAY)],
    ids=["not open yet", "deadline passed"],
)
def test_a_vacancy_outside_its_application_window_is_not_raised(cohort, window):
    opens_on, deadline = window
    open_vacancy(cohort["board"], opens_on=opens_on, deadline=deadline)
    scan()
    assert followups(Reason.BOARD_VACANCY) == []


def test_a_vacancy_on_the_deadline_day_is_still_raised(cohort):
    open_vacancy(cohort["board"], deadline=TODAY)
    scan()
    assert len(followups(Reason.BOARD_VACANCY)) == 1


def test_no_vacancy_match_for_a_fellow_not_interested_in_that_board(cohort):
    open_vacancy(BoardFactory())
    scan()
    assert followups(Reason.BOARD_VACANCY) == []


def test_no_vacancy_match_for_a_fellow_who_serves_on_a_board(cohort):
    tenure_start(position=SeatFactory(), person=cohort["fellow"].person, start_date=TODAY - 100 * DAY)
    open_vacancy(cohort["board"])
    scan()
    assert followups(Reason.BOARD_VACANCY) == []


def test_no_vacancy_match_for_a_fellow_who_already_applied_for_it(cohort):
    vacancy = open_vacancy(cohort["board"])
    application = services.application_create(
        fellow=cohort["fellow"], board=cohort["board"], vacancy=vacancy, stage=Stage.INTERESTED, on=TODAY
    )
    services.application_move(application=application, to_stage=Stage.WITHDREW, on=TODAY)
    scan()
    assert followups(Reason.BOARD_VACANCY) == []


def test_no_vacancy_match_for_a_fellow_applying_to_that_board(cohort):
    """An application in progress (applied) to the board, for no vacancy yet, is enough."""
    services.application_create(fellow=cohort["fellow"], board=cohort["board"], stage=Stage.APPLIED, on=TODAY)
    open_vacancy(cohort["board"])
    scan()
    assert followups(Reason.BOARD_VACANCY) == []


def test_each_fellow_interested_in_a_vacancy_is_raised_separately(cohort):
    other = FellowFactory(cohort=cohort["cohort"], interests=[cohort["board"]])
    vacancy = open_vacancy(cohort["board"])
    scan()
    rows = followups(Reason.BOARD_VACANCY)
    assert {followup.cycle for followup in rows} == {f"fellow:{cohort['fellow'].pk}", f"fellow:{other.pk}"}
    assert {followup.object_id for followup in rows} == {vacancy.pk}
    assert {followup.user for followup in rows} == {cohort["coordinator"]}


# --- Rule 9: an application deadline near --------------------------------------------------


def test_an_interested_application_near_its_deadline_is_raised_once(cohort):
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 14 * DAY)
    application = services.application_create(fellow=cohort["fellow"], board=cohort["board"], vacancy=vacancy, on=TODAY)

    first = scan()
    second = scan(TODAY + DAY)

    [followup] = followups(Reason.APPLICATION_DEADLINE)
    assert first.get(Reason.APPLICATION_DEADLINE) == 1 and Reason.APPLICATION_DEADLINE not in second
    assert followup.user == cohort["coordinator"] and followup.subject == application
    assert followup.cycle == f"deadline:{vacancy.deadline.isoformat()}" and followup.due_on == vacancy.deadline
    assert "Noor Haddad" in followup.title


def test_an_application_deadline_is_not_raised_before_the_lead_time(cohort):
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 15 * DAY)
    services.application_create(fellow=cohort["fellow"], board=cohort["board"], vacancy=vacancy, on=TODAY)
    scan()
    assert followups(Reason.APPLICATION_DEADLINE) == []
    scan(TODAY + DAY)
    assert len(followups(Reason.APPLICATION_DEADLINE)) == 1


def test_an_application_deadline_is_not_raised_once_the_fellow_applied(cohort):
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 5 * DAY)
    application = services.application_create(
        fellow=cohort["fellow"], board=cohort["board"], vacancy=vacancy, on=TODAY - 3 * DAY
    )
    services.application_move(application=application, to_stage=Stage.APPLIED, on=TODAY)
    scan()
    assert followups(Reason.APPLICATION_DEADLINE) == []


def test_a_board_application_follows_the_soonest_open_deadline_and_a_new_deadline_is_a_new_cycle(cohort):
    """An application for the board (no vacancy named): the soonest of its open vacancies'
    deadlines, once; when that vacancy is cancelled, the next deadline raises again."""
    soon = open_vacancy(cohort["board"], deadline=TODAY + 4 * DAY)
    later = open_vacancy(cohort["board"], deadline=TODAY + 12 * DAY)
    application = services.application_create(fellow=cohort["fellow"], board=cohort["board"], on=TODAY)

    scan()
    scan()
    assert [f.cycle for f in followups(Reason.APPLICATION_DEADLINE)] == [f"deadline:{soon.deadline.isoformat()}"]

    vacancy_cancel(vacancy=soon)
    assert scan(TODAY + DAY).get(Reason.APPLICATION_DEADLINE) == 1
    assert scan(TODAY + DAY).get(Reason.APPLICATION_DEADLINE) is None

    rows = followups(Reason.APPLICATION_DEADLINE)
    assert [f.cycle for f in rows] == [
        f"deadline:{soon.deadline.isoformat()}",
        f"deadline:{later.deadline.isoformat()}",
    ]
    assert {f.object_id for f in rows} == {application.pk}


def test_an_application_naming_a_vacancy_follows_that_vacancys_deadline(cohort):
    named = open_vacancy(cohort["board"], deadline=TODAY + 10 * DAY)
    open_vacancy(cohort["board"], deadline=TODAY + 2 * DAY)
    services.application_create(fellow=cohort["fellow"], board=cohort["board"], vacancy=named, on=TODAY)
    scan()
    [followup] = followups(Reason.APPLICATION_DEADLINE)
    assert followup.due_on == named.deadline


# --- Rule 10: a placed fellow's term ending ------------------------------------------------


def test_a_placed_fellows_term_ending_is_raised_once_within_the_lead_time(cohort):
    """Appointed on 2024-07-10 to a two-year board: the term ends 2026-07-09, 121 days
    after TODAY; nothing yet. A day later (120 days), once; again, nothing new."""
    application = appoint(cohort["fellow"], cohort["board"], datetime.date(2024, 7, 10))
    tenure = application.tenure
    assert tenure.planned_end_date == TODAY + 121 * DAY

    assert Reason.FELLOW_TERM_ENDING not in scan()
    first = scan(TODAY + DAY)
    second = scan(TODAY + 2 * DAY)

    [followup] = followups(Reason.FELLOW_TERM_ENDING)
    assert first.get(Reason.FELLOW_TERM_ENDING) == 1 and Reason.FELLOW_TERM_ENDING not in second
    assert followup.user == cohort["coordinator"]
    assert followup.content_type == ContentType.objects.get_for_model(Tenure) and followup.object_id == tenure.pk
    assert followup.cycle == "term-end:2026-07-09" and followup.due_on == datetime.date(2026, 7, 9)
    assert "Library Board" in followup.title


def test_a_new_planned_end_is_a_new_cycle(cohort):
    tenure = appoint(cohort["fellow"], cohort["board"], datetime.date(2024, 6, 1)).tenure
    scan()
    tenure_update(tenure=tenure, start_date=tenure.start_date, planned_end_date=TODAY + 60 * DAY, is_acting=False)

    assert scan().get(Reason.FELLOW_TERM_ENDING) == 1
    assert scan().get(Reason.FELLOW_TERM_ENDING) is None

    assert [f.cycle for f in followups(Reason.FELLOW_TERM_ENDING)] == [
        f"term-end:{datetime.date(2026, 5, 31).isoformat()}",
        f"term-end:{(TODAY + 60 * DAY).isoformat()}",
    ]


def test_an_ended_or_past_term_is_not_raised(cohort):
    tenure = appoint(cohort["fellow"], cohort["board"], datetime.date(2024, 6, 1)).tenure
    tenure_end(tenure=tenure, end_date=TODAY - DAY, end_reason=Tenure.EndReason.RESIGNED)
    other = FellowFactory(cohort=cohort["cohort"])
    appoint(other, cohort["board"], datetime.date(2024, 1, 1))  # planned end 2025-12-31: past
    scan()
    assert followups(Reason.FELLOW_TERM_ENDING) == []


def test_pipeline_reminders_go_to_no_one_when_the_cohort_has_no_active_coordinator(cohort):
    cohort["coordinator"].is_active = False
    cohort["coordinator"].save(update_fields=["is_active"])
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 5 * DAY)
    services.application_create(
        fellow=FellowFactory(cohort=cohort["cohort"]), board=cohort["board"], vacancy=vacancy, on=TODAY
    )
    appoint(FellowFactory(cohort=cohort["cohort"]), BoardFactory(term_length_months=24), datetime.date(2024, 6, 1))

    scan()

    reasons = [Reason.BOARD_VACANCY, Reason.APPLICATION_DEADLINE, Reason.FELLOW_TERM_ENDING]
    assert not FollowUp.objects.filter(reason__in=reasons).exists()
    # back at work: each of the three is raised, to them alone
    cohort["coordinator"].is_active = True
    cohort["coordinator"].save(update_fields=["is_active"])
    scan()
    assert set(FollowUp.objects.filter(reason__in=reasons).values_list("reason", "user")) == {
        (reason, cohort["coordinator"].pk) for reason in reasons
    }


def test_each_cohort_hears_about_its_own_fellows(cohort):
    """Two cohorts, each with a fellow at each rule: every follow-up goes to the fellow's own cohort's coordinator."""
    other_coordinator = UserFactory(roles=["Coordinator"])
    other = CohortFactory(coordinators=[other_coordinator])
    vacancy = open_vacancy(cohort["board"], deadline=TODAY + 5 * DAY)
    for group in (cohort["cohort"], other):
        services.application_create(
            fellow=FellowFactory(cohort=group), board=cohort["board"], vacancy=vacancy, on=TODAY
        )
        appoint(FellowFactory(cohort=group), BoardFactory(term_length_months=24), datetime.date(2024, 6, 1))
    FellowFactory(cohort=other, interests=[cohort["board"]])

    scan()

    for reason in (Reason.BOARD_VACANCY, Reason.APPLICATION_DEADLINE, Reason.FELLOW_TERM_ENDING):
        rows = FollowUp.objects.filter(reason=reason)
        assert rows.filter(user=cohort["coordinator"]).exists(), reason
        assert rows.filter(user=other_coordinator).exists(), reason
        for followup in rows:
            fellow_cohort = _cohort_of(followup)
            expected = cohort["coordinator"] if fellow_cohort == cohort["cohort"] else other_coordinator
            assert followup.user == expected


def _cohort_of(followup):
    subject = followup.subject
    if isinstance(subject, BoardApplication):
        return subject.fellow.cohort
    if isinstance(subject, Tenure):
        return subject.board_application.fellow.cohort
    fellow_id = int(followup.cycle.removeprefix("fellow:"))
    return Fellow.objects.get(pk=fellow_id).cohort


def test_the_pipeline_rules_take_the_same_queries_for_few_and_many_fellows(cohort, django_assert_max_num_queries):
    """Scans work with a bounded number of queries, never one per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def populate(count):
        for _ in range(count):
            fellow = FellowFactory(cohort=cohort["cohort"], interests=[cohort["board"]])
            vacancy = open_vacancy(cohort["board"], deadline=TODAY + 5 * DAY)
            services.application_create(fellow=fellow, board=cohort["board"], vacancy=vacancy, on=TODAY)
            appoint(FellowFactory(cohort=cohort["cohort"]), cohort["board"], datetime.date(2024, 6, 1))

    populate(1)
    with CaptureQueriesContext(connection) as few:
        scan()
    populate(8)
    FollowUp.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        counts = scan()
    assert counts[Reason.APPLICATION_DEADLINE] == 9 and counts[Reason.FELLOW_TERM_ENDING] == 9
