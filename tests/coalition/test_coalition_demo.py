"""The coalition demo data: three Riverton coalitions, seeded once."""

import pytest

from coalition import demo
from coalition.models import Agreement, AllyStance, Coalition, GoalProgress, MemberResource, StanceChange
from coalition.selectors import ally_map
from stakeholders.demo import seed_users

pytestmark = pytest.mark.django_db


def test_seed_creates_three_coalitions_once(settings, tmp_path):
    """Seeding gives three coalitions with members, resources, progress, stances with history and an
    agreement each; running it again creates nothing."""
    settings.MEDIA_ROOT = tmp_path
    seed_users()
    demo.seed()
    counts = [
        model.objects.count()
        for model in (Coalition, MemberResource, GoalProgress, AllyStance, StanceChange, Agreement)
    ]

    demo.seed()

    assert counts[0] == 3 and all(counts)
    assert counts == [
        model.objects.count()
        for model in (Coalition, MemberResource, GoalProgress, AllyStance, StanceChange, Agreement)
    ]
    assert StanceChange.objects.exclude(from_stance="").exists()
    safe_routes = Coalition.objects.get(name="Safe Routes to School Riverton")
    the_map = ally_map(safe_routes)
    assert the_map.at_risk_count > 0
    assert {flag.code for row in the_map.allies for flag in row.flags} >= {"term_end", "ballot", "vacated"}
