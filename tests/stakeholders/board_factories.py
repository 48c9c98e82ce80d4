"""Factories for boards and commissions (boards, their seats, vacancies) and for the
leadership-fellows pipeline that aims at them (cohorts and fellows)."""

import datetime

import factory

from engagements.models import Cohort, Fellow
from stakeholders.models import Board, Position, Vacancy
from tests.stakeholders.factories import PersonFactory
from tests.stakeholders.government_factories import DepartmentFactory


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Riverton Commission {n}")
    department = factory.SubFactory(DepartmentFactory)
    term_length_months = 36


class SeatFactory(factory.django.DjangoModelFactory):
    """A single seat of a board: a position of level "board" in the board's department."""

    class Meta:
        model = Position

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Commission seat {n}")
    department = factory.LazyAttribute(lambda seat: seat.board.department)
    level = Position.Level.BOARD
    is_multi_seat = False


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    seat = factory.SubFactory(SeatFactory)
    opens_on = datetime.date(2026, 3, 1)
    deadline = datetime.date(2026, 4, 30)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Leadership Fellows {n}")
    program = "Community Leadership Institute"
    starts_on = datetime.date(2025, 9, 1)

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class FellowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fellow
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)


# --- the pipeline through its services ----------------------------------------------------


def free_seat(board: Board) -> Position:
    """A new seat of ``board`` (so that each appointment in a test has its own)."""
    return SeatFactory(board=board)


def appoint(fellow: Fellow, board: Board, on: datetime.date, *, actor=None):
    """Take ``fellow`` from applied to appointed on ``board`` through the services: a vacancy
    on a new seat, an application 30 days before ``on``, an interview, the appointment."""
    from engagements.services.pipeline import application_create, application_move
    from stakeholders.services.boards import vacancy_open

    vacancy = vacancy_open(
        seat=free_seat(board), opens_on=on - datetime.timedelta(days=60), deadline=on - datetime.timedelta(days=31)
    )
    application = application_create(
        fellow=fellow, board=board, vacancy=vacancy, stage="applied", on=on - datetime.timedelta(days=30), actor=actor
    )
    application_move(application=application, to_stage="interviewed", on=on - datetime.timedelta(days=10), actor=actor)
    return application_move(application=application, to_stage="appointed", on=on, actor=actor)
