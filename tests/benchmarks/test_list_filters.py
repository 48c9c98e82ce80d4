"""Every list filter (benchmarks/list_filters.py) answers, and its query count does not grow with the data.

The harness's page table covers the main pages unfiltered; this covers each filter
of each list page on its own, for three roles, on a small generated city and again
after a second one is added.
"""

from __future__ import annotations

import pytest

from benchmarks import list_filters
from stakeholders.models import User
from tests.benchmarks.test_page_query_counts import _generate

ROLES = ("admin", "coordinator", "staff")


def _statuses_and_counts() -> dict[tuple[str, str, str], tuple[int, int]]:
    found = {}
    for user in User.objects.filter(username__in=ROLES):
        for row in list_filters.measure(user, repeat=1):
            found[(user.username, row.page, row.filter)] = (row.status, row.queries)
    return found


@pytest.mark.django_db
def test_every_list_filter_answers_in_as_many_queries_on_a_city_twice_the_size():
    _generate(seed=1)
    _statuses_and_counts()  # warms the per-process caches (content types, the search's pg_trgm check)
    small = _statuses_and_counts()
    assert {username for username, _, _ in small} == set(ROLES)
    assert {status for (username, _, _), (status, _) in small.items() if username == "admin"} == {200}
    assert {status for status, _ in small.values()} <= {200, 403}  # a role without the page is refused, not failed
    _generate(seed=1)
    assert _statuses_and_counts() == small
