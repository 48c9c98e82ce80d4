"""The boards pipeline's writes and reads: cohorts and fellows, applications moving only
forward, appointing (a tenure one term long that fills the vacancy), who manages a
cohort, the conversion figures and the suppressed equity tables."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from engagements.models import ApplicationStageChange, Attendance, BoardApplication, Cohort, EquitySettings, Fellow
from engagements.selectors import pipeline as selectors
from engagements.services import pipeline as services
from stakeholders.models import Language, PersonDemographics, Tenure, Vacancy
from stakeholders.services.boards import term_end, vacancy_cancel
from stakeholders.services.government import tenure_end, tenure_start
from tests.engagements.factories import EngagementFactory
from tests.stakeholders.board_factories import (
    BoardFactory,
    CohortFactory,
    FellowFactory,
    SeatFactory,
    VacancyFactory,
    appoint,
)
from tests.stakeholders.factories import NeighborhoodFactory, PersonFactory, UserFactory
from tests.stakeholders.government_factories import TenureFactory

pytestmark = pytest.mark.django_db

Stage = BoardApplication.Stage
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def pipeline(coordinator_user):
    """A two-year board with an open vacancy, and a cohort (coordinated by ``coordinator_user``) with one fellow."""
    board = BoardFactory(name="Park and Recreation Board", term_length_months=24)
    vacancy = VacancyFactory(
        seat=SeatFactory(board=board), opens_on=TODAY, deadline=TODAY + datetime.timedelta(days=30)
    )
    cohort = CohortFactory(coordinators=[coordinator_user])
    fellow = FellowFactory(cohort=cohort, person=PersonFactory(first_name="Lena", last_name="Ortiz"))
    return {"board": board, "vacancy": vacancy, "cohort": cohort, "fellow": fellow, "coordinator": coordinator_user}


def apply(pipeline, *, stage=Stage.APPLIED, vacancy="default", on=TODAY) -> BoardApplication:
    return services.application_create(
        fellow=pipeline["fellow"],
        board=pipeline["board"],
        vacancy=pipeline["vacancy"] if vacancy == "default" else vacancy,
        stage=stage,
        on=on,
        actor=pipeline["coordinator"],
    )


def steps(application) -> list[tuple[str, str, datetime.date]]:
    return list(application.stage_changes.values_list("from_stage", "to_stage", "changed_on"))


# --- Cohorts and fellows -----------------------------------------------------------------


def test_a_cohort_is_coordinated_by_its_creator_unless_others_are_named(coordinator_user):
    other = UserFactory(roles=["Coordinator"])
    mine = services.cohort_create(actor=coordinator_user, name="Fellows 2026", starts_on=TODAY)
    theirs = services.cohort_create(actor=coordinator_user, name="Fellows 2027", starts_on=TODAY, coordinators=[other])
    assert list(mine.coordinators.all()) == [coordinator_user]
    assert list(theirs.coordinators.all()) == [other]


def test_a_cohort_cannot_end_before_it_starts_or_reuse_a_name(coordinator_user):
    services.cohort_create(actor=coordinator_user, name="Fellows 2026", starts_on=TODAY)

    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            actor=coordinator_user, name="Fellows 2027", starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1)
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.cohort_create(actor=coordinator_user, name="Fellows 2026", starts_on=TODAY)
    assert "name" in error.value.message_dict
    assert Cohort.objects.count() == 1


def test_a_cohort_is_never_left_without_coordinators(pipeline):
    """Saving a cohort with no coordinator named keeps the one who saves it; sessions are replaced."""
    admin = UserFactory(roles=["Admin"])
    session = EngagementFactory()

    services.cohort_update(
        cohort=pipeline["cohort"], actor=admin, name="Renamed", starts_on=TODAY, coordinators=[], sessions=[session]
    )

    cohort = Cohort.objects.get()
    assert cohort.name == "Renamed" and list(cohort.coordinators.all()) == [admin]
    assert list(cohort.sessions.all()) == [session]


def test_a_person_is_a_fellow_of_a_cohort_once(pipeline):
    person = PersonFactory()
    fellow = services.fellow_add(cohort=pipeline["cohort"], person=person, interests=[pipeline["board"]])
    assert list(fellow.interests.all()) == [pipeline["board"]]

    with pytest.raises(ValidationError) as error:
        services.fellow_add(cohort=pipeline["cohort"], person=person)
    assert "person" in error.value.message_dict
    assert Fellow.objects.filter(person=person).count() == 1
    # in another cohort they are welcome
    assert services.fellow_add(cohort=CohortFactory(), person=person).pk


def test_a_fellows_interests_and_notes_change(pipeline):
    other = BoardFactory()
    services.fellow_update(fellow=pipeline["fellow"], interests=[other], notes="Works evenings")
    fellow = Fellow.objects.get(pk=pipeline["fellow"].pk)
    assert list(fellow.interests.all()) == [other] and fellow.notes == "Works evenings"


# --- Applications ------------------------------------------------------------------------


def test_a_new_application_records_its_first_step_and_the_boards_interest(pipeline):
    application = apply(pipeline, stage=Stage.APPLIED)

    assert (application.stage, application.stage_changed_on, application.applied_on) == (Stage.APPLIED, TODAY, TODAY)
    assert steps(application) == [("", Stage.APPLIED, TODAY)]
    assert application.stage_changes.get().changed_by == pipeline["coordinator"]
    assert pipeline["board"] in pipeline["fellow"].interests.all()


def test_an_interested_application_has_no_applied_date(pipeline):
    application = apply(pipeline, stage=Stage.INTERESTED, vacancy=None)
    assert application.stage == Stage.INTERESTED and application.applied_on is None


def test_a_new_application_starts_as_interested_or_applied(pipeline):
    with pytest.raises(ValidationError) as error:
        apply(pipeline, stage=Stage.INTERVIEWED)
    assert "stage" in error.value.message_dict
    assert not BoardApplication.objects.exists()


def test_an_application_names_a_vacancy_of_its_own_board(pipeline):
    elsewhere = VacancyFactory()
    with pytest.raises(ValidationError) as error:
        apply(pipeline, vacancy=elsewhere)
    assert "vacancy" in error.value.message_dict
    assert not BoardApplication.objects.exists()


def test_a_fellow_applies_once_per_board_and_vacancy(pipeline):
    """Twice for the same vacancy, or twice to the board with no vacancy: refused on "board"."""
    apply(pipeline)
    apply(pipeline, vacancy=None, stage=Stage.INTERESTED)

    for vacancy in (pipeline["vacancy"], None):
        with pytest.raises(ValidationError) as error:
            apply(pipeline, vacancy=vacancy, stage=Stage.INTERESTED)
        assert "already has an application" in error.value.message_dict["board"][0]
    assert BoardApplication.objects.count() == 2
    assert ApplicationStageChange.objects.count() == 2


def test_an_application_moves_forward_setting_each_date(pipeline):
    application = apply(pipeline, stage=Stage.INTERESTED)
    day = datetime.timedelta(days=1)

    services.application_move(application=application, to_stage=Stage.APPLIED, on=TODAY + day)
    application = services.application_move(
        application=application, to_stage=Stage.INTERVIEWED, on=TODAY + 5 * day, note="Panel of three"
    )
    application = services.application_move(
        application=application, to_stage=Stage.NOT_APPOINTED, on=TODAY + 9 * day, actor=pipeline["coordinator"]
    )

    application.refresh_from_db()
    assert (application.applied_on, application.interviewed_on, application.decided_on) == (
        TODAY + day,
        TODAY + 5 * day,
        TODAY + 9 * day,
    )
    assert application.stage == Stage.NOT_APPOINTED and application.stage_changed_on == TODAY + 9 * day
    assert [(from_stage, to_stage) for from_stage, to_stage, _on in steps(application)] == [
        ("", "interested"),
        ("interested", "applied"),
        ("applied", "interviewed"),
        ("interviewed", "not_appointed"),
    ]
    assert application.stage_changes.get(to_stage=Stage.INTERVIEWED).note == "Panel of three"


def test_an_interview_without_an_applied_step_counts_as_applied_that_day(pipeline):
    application = apply(pipeline, stage=Stage.APPLIED)
    BoardApplication.objects.filter(pk=application.pk).update(applied_on=None)  # recorded before the date existed
    application = services.application_move(application=application, to_stage=Stage.INTERVIEWED, on=TODAY)
    assert application.applied_on == TODAY


@pytest.mark.parametrize(
    ("start", "to_stage"),
    [
        (Stage.INTERESTED, Stage.INTERVIEWED),  # skips applying
        (Stage.APPLIED, Stage.INTERESTED),  # backwards
        (Stage.APPLIED, Stage.APPLIED),  # nowhere
    ],
)
def test_an_application_moves_only_to_its_next_stages(pipeline, start, to_stage):
    application = apply(pipeline, stage=start)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=to_stage, on=TODAY)

    assert "can move to" in error.value.message_dict["to_stage"][0]
    application.refresh_from_db()
    assert application.stage == start and application.stage_changes.count() == 1


def test_a_decided_application_does_not_move_again(pipeline):
    application = apply(pipeline)
    services.application_move(application=application, to_stage=Stage.WITHDREW, on=TODAY)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.INTERVIEWED, on=TODAY)

    assert "cannot move again" in error.value.message_dict["to_stage"][0]
    assert BoardApplication.objects.get().stage == Stage.WITHDREW


def test_a_step_cannot_be_dated_before_the_current_stage_began(pipeline):
    application = apply(pipeline)
    with pytest.raises(ValidationError) as error:
        services.application_move(
            application=application, to_stage=Stage.INTERVIEWED, on=TODAY - datetime.timedelta(days=1)
        )
    assert "on" in error.value.message_dict
    assert BoardApplication.objects.get().stage == Stage.APPLIED


# --- Appointing --------------------------------------------------------------------------


def test_appointing_starts_a_term_on_the_seat_and_fills_the_vacancy(pipeline):
    """The fellow holds the vacancy's seat from that day, planned to end one term (24
    months) later; the vacancy is filled by that tenure; the step is recorded."""
    application = apply(pipeline)
    on = datetime.date(2026, 4, 15)

    application = services.application_move(
        application=application, to_stage=Stage.APPOINTED, on=on, actor=pipeline["coordinator"]
    )

    tenure = Tenure.objects.get(person=pipeline["fellow"].person)
    assert (tenure.position, tenure.start_date, tenure.actual_end_date) == (pipeline["vacancy"].seat, on, None)
    assert tenure.planned_end_date == term_end(on, 24) == datetime.date(2028, 4, 14)
    vacancy = Vacancy.objects.get(pk=pipeline["vacancy"].pk)
    assert (vacancy.status, vacancy.filled_by) == (Vacancy.Status.FILLED, tenure)
    application.refresh_from_db()
    assert (application.stage, application.tenure, application.decided_on) == (Stage.APPOINTED, tenure, on)
    assert steps(application)[-1] == (Stage.APPLIED, Stage.APPOINTED, on)


def test_appointing_without_a_vacancy_is_refused_and_changes_nothing(pipeline):
    application = apply(pipeline, vacancy=None)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY)

    assert "vacancy" in error.value.message_dict
    assert BoardApplication.objects.get().stage == Stage.APPLIED
    assert not Tenure.objects.exists()
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


def test_an_application_without_a_vacancy_is_appointed_to_the_one_named(pipeline):
    application = apply(pipeline, vacancy=None)

    application = services.application_move(
        application=application, to_stage=Stage.APPOINTED, on=TODAY, vacancy=pipeline["vacancy"]
    )

    assert application.vacancy == pipeline["vacancy"]
    assert Vacancy.objects.get().filled_by == application.tenure


def test_appointing_hands_the_seat_over_from_a_holder_whose_term_is_over(pipeline):
    seat = pipeline["vacancy"].seat
    former = TenureFactory(position=seat, start_date=datetime.date(2024, 3, 1), planned_end_date=TODAY)
    application = apply(pipeline)

    services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY)

    former.refresh_from_db()
    assert (former.actual_end_date, former.end_reason) == (TODAY, Tenure.EndReason.TERM_ENDED)
    assert seat.tenures.get(actual_end_date=None).person == pipeline["fellow"].person


@pytest.mark.parametrize("state", ["filled", "cancelled", "other_board"])
def test_appointing_needs_an_open_vacancy_of_the_board(pipeline, state):
    application = apply(pipeline, vacancy=None)
    vacancy = pipeline["vacancy"]
    if state == "filled":
        rival = FellowFactory(cohort=pipeline["cohort"])
        appointed = services.application_create(
            fellow=rival, board=pipeline["board"], vacancy=vacancy, stage=Stage.APPLIED, on=TODAY
        )
        services.application_move(application=appointed, to_stage=Stage.APPOINTED, on=TODAY)
    elif state == "cancelled":
        vacancy_cancel(vacancy=vacancy)
    else:
        vacancy = VacancyFactory()
    tenures = Tenure.objects.count()

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY, vacancy=vacancy)

    assert "vacancy" in error.value.message_dict
    assert BoardApplication.objects.get(pk=application.pk).stage == Stage.APPLIED
    assert Tenure.objects.count() == tenures


def test_the_second_appointment_to_one_vacancy_is_told_it_is_no_longer_open(pipeline):
    """Two fellows applied for one vacancy; once one is appointed, the other cannot be."""
    first = apply(pipeline)
    rival = FellowFactory(cohort=pipeline["cohort"])
    second = services.application_create(
        fellow=rival, board=pipeline["board"], vacancy=pipeline["vacancy"], stage=Stage.APPLIED, on=TODAY
    )
    services.application_move(application=first, to_stage=Stage.APPOINTED, on=TODAY)

    with pytest.raises(ValidationError, match="no longer open"):
        services.application_move(application=second, to_stage=Stage.APPOINTED, on=TODAY)

    assert Tenure.objects.get(actual_end_date=None).person == pipeline["fellow"].person


def test_a_fellow_who_holds_the_seat_is_not_appointed_to_it_again(pipeline):
    seat = pipeline["vacancy"].seat
    tenure_start(position=seat, person=pipeline["fellow"].person, start_date=datetime.date(2024, 1, 1))
    application = apply(pipeline)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY)

    assert "already holds this seat" in error.value.message_dict["vacancy"][0]
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


def test_appointing_to_a_vacancy_the_fellow_applied_for_twice_is_refused_with_a_message(pipeline):
    apply(pipeline)  # for the vacancy
    without = apply(pipeline, vacancy=None)  # for the board

    with pytest.raises(ValidationError):
        services.application_move(application=without, to_stage=Stage.APPOINTED, on=TODAY, vacancy=pipeline["vacancy"])


# --- Who manages a cohort ----------------------------------------------------------------


def test_coordinators_manage_their_cohorts_and_admins_every_cohort(pipeline, admin_user, staff_user, liaison_user):
    mine, other = pipeline["cohort"], CohortFactory()
    coordinator = pipeline["coordinator"]

    assert set(selectors.cohorts_managed_by(coordinator)) == {mine}
    assert set(selectors.cohorts_managed_by(admin_user)) == {mine, other}
    assert not selectors.cohorts_managed_by(staff_user).exists()
    assert not selectors.cohorts_managed_by(liaison_user).exists()
    assert set(selectors.cohorts_visible_to(staff_user)) == {mine, other}
    assert not selectors.cohorts_visible_to(liaison_user).exists()

    assert selectors.cohort_managed_by(coordinator, mine.pk) == mine
    with pytest.raises(PermissionDenied):
        selectors.cohort_managed_by(coordinator, other.pk)
    with pytest.raises(Http404):
        selectors.cohort_for_user(liaison_user, mine.pk)
    with pytest.raises(Http404):
        selectors.fellow_for_user(liaison_user, pipeline["fellow"].pk)


# --- Conversion ----------------------------------------------------------------------------


def test_conversion_counts_fellows_applied_placed_and_still_serving_after_a_term(pipeline):
    """Five fellows: two placed whose first two-year term is over (one re-appointed, one
    left), one placed recently, one not appointed, one only interested."""
    cohort, board = pipeline["cohort"], pipeline["board"]
    reappointed, left, recent, lost, interested = [pipeline["fellow"], *FellowFactory.create_batch(4, cohort=cohort)]
    first = appoint(reappointed, board, datetime.date(2023, 1, 10)).tenure
    tenure_end(tenure=first, end_date=first.planned_end_date, end_reason=Tenure.EndReason.TERM_ENDED)
    tenure_start(
        position=first.position,
        person=reappointed.person,
        start_date=first.planned_end_date + datetime.timedelta(days=1),
        planned_end_date=datetime.date(2027, 1, 9),
    )
    second = appoint(left, board, datetime.date(2023, 2, 1)).tenure
    tenure_end(tenure=second, end_date=datetime.date(2025, 1, 31), end_reason=Tenure.EndReason.TERM_ENDED)
    appoint(recent, board, datetime.date(2025, 6, 1))
    application = services.application_create(
        fellow=lost, board=board, vacancy=pipeline["vacancy"], stage=Stage.APPLIED, on=TODAY
    )
    services.application_move(application=application, to_stage=Stage.NOT_APPOINTED, on=TODAY)
    services.application_create(fellow=interested, board=board, on=TODAY)
    empty = CohortFactory()

    figures = selectors.conversions([cohort.pk, empty.pk], TODAY)

    figure = figures[cohort.pk]
    assert (figure.fellows, figure.applied, figure.placed) == (5, 4, 3)
    assert (figure.first_term_over, figure.still_serving) == (2, 1)
    assert figure.placed_pct == 60
    assert figures[empty.pk] == selectors.Conversion() and figures[empty.pk].placed_pct is None


def test_a_term_past_its_planned_end_counts_as_over_even_before_it_is_ended(pipeline):
    appoint(pipeline["fellow"], pipeline["board"], datetime.date(2023, 1, 10))

    figure = selectors.conversions([pipeline["cohort"].pk], TODAY)[pipeline["cohort"].pk]

    assert (figure.placed, figure.first_term_over, figure.still_serving) == (1, 1, 1)
    assert (
        selectors.conversions([pipeline["cohort"].pk], datetime.date(2024, 1, 1))[pipeline["cohort"].pk].first_term_over
        == 0
    )


def test_conversion_takes_one_query_whatever_the_number_of_cohorts(pipeline, django_assert_num_queries):
    cohorts = CohortFactory.create_batch(5)
    for cohort in cohorts:
        FellowFactory.create_batch(3, cohort=cohort)
    with django_assert_num_queries(1):
        figures = selectors.conversions([cohort.pk for cohort in cohorts], TODAY)
    assert [figure.fellows for figure in figures.values()] == [3] * 5


# --- The cohort page's reads -------------------------------------------------------------


def test_fellow_rows_count_the_sessions_of_the_cohort_each_fellow_attended(pipeline):
    cohort, fellow = pipeline["cohort"], pipeline["fellow"]
    sessions = EngagementFactory.create_batch(3)
    cohort.sessions.set(sessions)
    absent = FellowFactory(cohort=cohort)
    for session in sessions[:2]:
        Attendance.objects.create(engagement=session, person=fellow.person)
    Attendance.objects.create(engagement=EngagementFactory(), person=fellow.person)  # not a program session
    apply(pipeline)

    rows = {row.pk: row for row in selectors.fellow_rows(cohort)}

    assert (rows[fellow.pk].sessions_attended, rows[absent.pk].sessions_attended) == (2, 0)
    assert rows[fellow.pk].applications == [{"board": pipeline["board"].name, "stage": Stage.APPLIED}]
    assert rows[fellow.pk].name == str(fellow.person)
    assert rows[fellow.pk].interests == [pipeline["board"].name]


def test_pipeline_cards_group_the_cohorts_applications_by_stage(pipeline):
    applied = apply(pipeline)
    interested = services.application_create(
        fellow=FellowFactory(cohort=pipeline["cohort"]), board=BoardFactory(), on=TODAY
    )
    services.application_create(fellow=FellowFactory(), board=pipeline["board"], on=TODAY)  # another cohort

    cards = selectors.pipeline_cards(pipeline["cohort"])

    assert list(cards) == list(Stage.values)
    assert [card["pk"] for card in cards[Stage.APPLIED]] == [applied.pk]
    assert [card["pk"] for card in cards[Stage.INTERESTED]] == [interested.pk]
    assert cards[Stage.APPLIED][0]["first_name"] == "Lena"
    assert cards[Stage.APPLIED][0]["vacancy_deadline"] == pipeline["vacancy"].deadline
    assert all(not cards[stage] for stage in (Stage.INTERVIEWED, Stage.APPOINTED, Stage.WITHDREW))


# --- Equity ------------------------------------------------------------------------------


def consent(person, **answers):
    return PersonDemographics.objects.create(person=person, consent_recorded_at=timezone.now(), **answers)


def table(tables, category):
    return next(t for t in tables if t.category == category)


def test_pipeline_equity_counts_consented_people_and_hides_small_counts(pipeline):
    """Twelve consented fellows by age band: 6, 5 and 1. The 1 is hidden and, being the only
    hidden count of its column, takes the 5 with it; the 6 shows with its share. The
    one appointed fellow is hidden too. A fellow without consent is not counted at all."""
    cohort = pipeline["cohort"]
    fellows = [pipeline["fellow"], *FellowFactory.create_batch(11, cohort=cohort)]
    for fellow, band in zip(fellows, ["25_34"] * 6 + ["45_54"] * 5 + ["65_plus"], strict=True):
        consent(fellow.person, age_band=band)
    PersonDemographics.objects.create(person=FellowFactory(cohort=cohort).person)  # no consent
    appoint(fellows[-1], pipeline["board"], datetime.date(2025, 6, 1))

    tables, minimum = selectors.pipeline_equity(cohort)

    assert minimum == 5
    ages = table(tables, "Age band")
    assert ages.totals == [12, 1, 1]  # fellows, appointed fellows, current board members
    rows = {row.label: row for row in ages.rows}
    assert set(rows) == {"25–34", "45–54", "65 or older"}
    fellows_column = {
        label: (row.cells[0].count, row.cells[0].suppressed, row.shares[0]) for label, row in rows.items()
    }
    assert fellows_column == {
        "25–34": (6, False, 50),
        "45–54": (5, True, None),
        "65 or older": (1, True, None),
    }
    assert rows["65 or older"].cells[1].suppressed and rows["65 or older"].shares[1] is None
    assert table(tables, "Language").rows[0].label == "Not recorded"


def test_pipeline_equity_shows_everything_when_the_minimum_is_one(pipeline):
    EquitySettings.objects.create(pk=1, minimum_cell=1)
    consent(pipeline["fellow"].person, gender_identity="Woman")

    tables, minimum = selectors.pipeline_equity(pipeline["cohort"])

    [row] = table(tables, "Gender identity").rows
    assert minimum == 1
    assert (row.label, row.cells[0].count, row.cells[0].suppressed, row.shares[0]) == ("Woman", 1, False, 100)
    assert table(tables, "Gender identity").totals == [1, 0, 0]


def test_pipeline_equity_takes_the_same_queries_for_few_and_many_fellows(pipeline, django_assert_num_queries):
    """Settings, the three groups, the languages and the neighborhoods: six queries, for 3 fellows or 23."""
    spanish = Language.objects.get(pk="es")

    def add(count, band):
        for _ in range(count):
            person = PersonFactory(preferred_language=spanish, neighborhood=NeighborhoodFactory())
            consent(FellowFactory(cohort=pipeline["cohort"], person=person).person, age_band=band)

    add(3, "25_34")
    with django_assert_num_queries(6):
        selectors.pipeline_equity(pipeline["cohort"])
    add(20, "35_44")
    with django_assert_num_queries(6):
        tables, _minimum = selectors.pipeline_equity(pipeline["cohort"])
    assert table(tables, "Age band").totals[0] == 23
    assert [(row.label, row.cells[0].count) for row in table(tables, "Language").rows] == [("Spanish", 23)]


@pytest.mark.parametrize(
    ("planned_end", "message"),
    [
        (TODAY + datetime.timedelta(days=30), "holds this seat until 2026-04-09"),
        (None, "holds this seat with no planned end"),
    ],
)
def test_appointing_never_ends_a_holder_whose_term_runs_on(pipeline, planned_end, message):
    """A holder whose planned end is still ahead (or who has none) keeps the seat: the
    coordinator is told to appoint from that day or end the tenure first; nothing changes."""
    sitting = TenureFactory(
        position=pipeline["vacancy"].seat, start_date=datetime.date(2024, 1, 1), planned_end_date=planned_end
    )
    application = apply(pipeline)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY)

    assert message in error.value.message_dict["vacancy"][0]
    sitting.refresh_from_db()
    assert sitting.actual_end_date is None
    application.refresh_from_db()
    assert (application.stage, application.tenure) == (Stage.APPLIED, None)
    assert Vacancy.objects.get().status == Vacancy.Status.OPEN


def test_appointing_to_another_vacancy_than_the_application_names_is_refused(pipeline):
    application = apply(pipeline)
    other = VacancyFactory(seat=SeatFactory(board=pipeline["board"]), opens_on=TODAY, deadline=TODAY)

    with pytest.raises(ValidationError) as error:
        services.application_move(application=application, to_stage=Stage.APPOINTED, on=TODAY, vacancy=other)

    assert "another vacancy" in error.value.message_dict["vacancy"][0]
