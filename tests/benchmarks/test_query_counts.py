"""Every benchmarked page (each row of benchmarks/pages.py) runs the same number of SQL
queries however many rows it lists: no query per row.

Each page is requested on the demo city, then again after ``_grow`` has added
many more of the records the pages list. Rows added to the page table are
covered automatically; when a page lists a new kind of record, add it to ``_grow``.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks import harness, pages
from stakeholders.models import SecurityEvent, User
from tests.stakeholders.factories import UserFactory
from tests.two_step import Client  # force_login passes the demo admin's second step too

MORE = 60  # more than a page of 50, so both sizes fill the page the same way


def _grow():
    """Many more of each kind of record the benchmarked pages show."""
    UserFactory.create_batch(MORE, roles=["Staff"])
    UserFactory.create_batch(5, roles=["Coordinator"], first_name="Adele")  # matched by the user search
    now = timezone.now()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(occurred_at=now, actor_username=f"user{i}", action=SecurityEvent.Action.LOGIN_SUCCEEDED)
        for i in range(MORE * 2)
    )


def _query_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for page in pages.PAGES:
            client = Client()
            if page.role:
                client.force_login(User.objects.get(username=page.role))
            params = harness.lookup_params(cursor, page, page.role)
            path = harness._fill(page.path, params)
            data = harness.fill_data(page.data, params)
            with CaptureQueriesContext(connection) as captured:
                response = client.post(path, data) if page.method == "POST" else client.get(path)
            assert response.status_code == page.expect, f"{page.name}: HTTP {response.status_code}"
            counts[page.name] = len(captured.captured_queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_rows():
    """Each page's query count on the demo city equals its count with many more rows."""
    call_command("seed_demo", stdout=None)
    small = _query_counts()
    _grow()
    large = _query_counts()
    assert large == small
