"""The demo city's boards and commissions: six boards and one cohort of 26 leadership
fellows of whom 15 were placed, through the pages' own services; a second seed changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from engagements import demo_boards, demo_equity
from engagements.models import ApplicationStageChange, Attendance, BoardApplication, Cohort, Fellow
from engagements.selectors.pipeline import conversions
from stakeholders import demo as stakeholders_demo
from stakeholders import demo_people
from stakeholders.models import Board, Position, Tenure, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    """What the boards demo stands on: the demo users and residents, with consented demographics."""
    stakeholders_demo.seed_users()
    demo_people.seed()
    demo_equity.seed()


def state() -> tuple:
    return (
        Board.objects.count(),
        Position.objects.filter(board__isnull=False).count(),
        Vacancy.objects.count(),
        Tenure.objects.count(),
        Cohort.objects.count(),
        Fellow.objects.count(),
        BoardApplication.objects.count(),
        ApplicationStageChange.objects.count(),
        Attendance.objects.count(),
    )


def test_the_demo_cohort_has_26_fellows_15_placed_and_seeding_twice_changes_nothing(demo_city):
    summary = demo_boards.seed()

    assert summary == {"boards": 6, "fellows": 26, "placed": 15}
    cohort = Cohort.objects.get(name=demo_boards.COHORT_NAME)
    assert list(cohort.coordinators.values_list("username", flat=True)) == ["coordinator"]
    figure = conversions([cohort.pk], timezone.localdate())[cohort.pk]
    assert (figure.fellows, figure.placed) == (26, 15)
    # the first three placements are past their two-year term: two re-appointed, one left
    assert (figure.first_term_over, figure.still_serving) == (3, 2)
    assert Counter(BoardApplication.objects.values_list("stage", flat=True)) == {
        "appointed": 15,
        "not_appointed": 3,
        "withdrew": 2,
        "interviewed": 2,
        "applied": 2,
        "interested": 2,
    }
    assert Vacancy.objects.filter(status=Vacancy.Status.OPEN).count() == 3
    assert Vacancy.objects.filter(status=Vacancy.Status.FILLED).count() == 15
    assert Board.objects.count() == 6 and Position.objects.filter(board__isnull=False).count() == 42
    assert cohort.sessions.count() == 8
    first = state()

    assert demo_boards.seed() == {"boards": 0, "fellows": 0, "placed": 0}
    assert state() == first
