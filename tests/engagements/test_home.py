"""The signed-in home page: open follow-ups and what is coming up for the people I know."""

import datetime

import pytest
from django.urls import reverse

from tests.engagements.followup_factories import (
    ElectionFactory,
    FollowUpFactory,
    RelationshipFactory,
    TenureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))


def test_home_shows_my_open_follow_ups_only(client, coordinator_user):
    """Open follow-ups of the user are listed; closed ones and other users' are not."""
    FollowUpFactory(user=coordinator_user, title="Meet the new clerk")
    FollowUpFactory(user=coordinator_user, title="Already done", status="done")
    FollowUpFactory(title="Not mine")
    client.force_login(coordinator_user)
    content = client.get(reverse("home")).content.decode()
    assert "Meet the new clerk" in content
    assert "Already done" not in content and "Not mine" not in content


def test_home_shows_elections_and_term_ends_that_touch_my_relationships(client, coordinator_user):
    """Within 180 days: the seat on the ballot and the term end of people I know; nothing about strangers."""
    known = TenureFactory(planned_end_date=datetime.date(2026, 9, 30))
    RelationshipFactory(other_person=known.person, owner=coordinator_user)
    ElectionFactory(name="Riverton general", date=datetime.date(2026, 11, 3), positions=[known.position])
    stranger = TenureFactory(planned_end_date=datetime.date(2026, 8, 1))
    ElectionFactory(name="Faraway special", date=datetime.date(2026, 7, 1), positions=[stranger.position])
    far = TenureFactory(planned_end_date=datetime.date(2027, 6, 1))
    RelationshipFactory(person=far.person, owner=coordinator_user)

    client.force_login(coordinator_user)
    response = client.get(reverse("home"))

    assert [row["election"] for row in response.context["elections"]] == ["Riverton general"]
    assert response.context["term_ends"] == [
        {
            "date": "09/30/2026",
            "person": str(known.person),
            "position": known.position.title,
            "text": f"09/30/2026 · {known.person}, {known.position.title}",
        }
    ]


@pytest.mark.parametrize("rows", [1, 10])
def test_home_query_count_is_bounded(client, coordinator_user, rows, django_assert_max_num_queries):
    """The home page does not run a query per follow-up or per tenure."""
    for _ in range(rows):
        FollowUpFactory(user=coordinator_user)
        tenure = TenureFactory(planned_end_date=datetime.date(2026, 9, 30))
        RelationshipFactory(person=tenure.person, owner=coordinator_user)
    client.force_login(coordinator_user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("home")).status_code == 200


def test_the_demo_seed_fills_the_coordinators_home_once(client):
    """seed() gives the demo coordinator follow-ups on the home page; running it again adds nothing."""
    from engagements import demo_followups
    from engagements.models import FollowUp
    from stakeholders.demo import seed_users

    seed_users()
    first = demo_followups.seed()
    second = demo_followups.seed()
    assert first["total"] == 4 and second == {"total": 0}
    coordinator = FollowUp.objects.filter(user__username="coordinator")
    assert set(coordinator.values_list("reason", flat=True)) == {"election_approaching", "term_ending", "turnover"}
    client.force_login(coordinator.first().user)
    assert "Imani Clarke" in client.get(reverse("home")).content.decode()
