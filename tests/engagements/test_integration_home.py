"""The home page's commitments due this month."""

import datetime

import pytest
from django.urls import reverse

from engagements.models import Commitment
from tests.engagements.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 15, 0, tzinfo=datetime.UTC))


def test_home_lists_my_open_commitments_due_this_month(client, coordinator_user):
    """Mine, open, due by 30 June (overdue included, marked): listed. Done, next month or others': not."""
    overdue = CommitmentFactory(owner=coordinator_user, due_on=datetime.date(2026, 5, 20), description="Fix the ramp")
    month_end = CommitmentFactory(owner=coordinator_user, due_on=datetime.date(2026, 6, 30), description="Post minutes")
    CommitmentFactory(owner=coordinator_user, due_on=datetime.date(2026, 7, 1), description="Next month")
    CommitmentFactory(
        owner=coordinator_user, due_on=datetime.date(2026, 6, 12), status=Commitment.Status.DONE, description="Done"
    )
    CommitmentFactory(due_on=datetime.date(2026, 6, 12), description="Someone else's")
    client.force_login(coordinator_user)

    response = client.get(reverse("home"))

    assert [row["pk"] for row in response.context["commitments_due"]] == [overdue.pk, month_end.pk]
    content = response.content.decode()
    assert "Fix the ramp" in content and "Overdue" in content
    assert "Next month" not in content and "Someone else" not in content


@pytest.mark.parametrize("rows", [1, 50])
def test_home_query_count_holds_with_many_commitments(client, coordinator_user, rows, django_assert_max_num_queries):
    """The commitments section adds one query however many commitments are due."""
    for _ in range(rows):
        CommitmentFactory(owner=coordinator_user, due_on=datetime.date(2026, 6, 20))
    client.force_login(coordinator_user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("home"))
    assert len(response.context["commitments_due"]) == rows
