"""Every benchmarked page (each row of benchmarks/pages.py) runs as many SQL queries on a
generated city twice the size: the counts do not grow with the rows.

The city comes from the benchmark's own generator (``generate_city --size small``),
so the pages are measured on the same kind of data as the large benchmark city.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from benchmarks import pages
from tests.benchmarks.test_query_counts import _query_counts

TODAY = datetime.date(2026, 11, 20)


def _generate(seed: int) -> None:
    call_command("generate_city", size="small", seed=seed, today=TODAY.isoformat(), stdout=None)


@pytest.mark.django_db
def test_page_query_counts_are_the_same_on_a_city_twice_the_size():
    """Each page's query count on a small generated city equals its count after a second city is added.

    The second city is generated from the same seed, so the records the pages look up
    have the same shape (an engagement with the same kinds of rows), and a first pass
    warms the per-process caches (content types, the search's pg_trgm check).
    """
    _generate(seed=1)
    _query_counts()
    small = _query_counts()
    _generate(seed=1)
    large = _query_counts()
    assert set(small) == {page.name for page in pages.PAGES}
    assert large == small
