"""The engagements demo seed: a year of sessions, every commitment status, safe to run twice."""

import pytest

from engagements import demo
from engagements.models import Commitment, Engagement, LoopBack
from stakeholders.demo import seed_users

pytestmark = pytest.mark.django_db


def test_seed_makes_a_year_of_engagements_once():
    """The first run creates the sessions with input, attendance and commitments; the second adds nothing."""
    seed_users()
    assert demo.seed(count=60) == 60
    assert demo.seed(count=60) == 0
    assert Engagement.objects.count() == 60
    assert set(Commitment.objects.values_list("status", flat=True)) == set(Commitment.Status.values)
    assert LoopBack.objects.exists()
    assert Engagement.objects.filter(attendances__isnull=False).exists()
    assert Engagement.objects.filter(input_items__isnull=False).exists()
