"""List filters on the big tables are answered by an index (issue 9: "every list filter is backed by an index").

Each case builds a list's filtered queryset and asks PostgreSQL for its plan with
sequential scans priced out (the test tables are tiny, so it would rather read
them). The plan must then read the listed table through the index named, with the
filter as its condition: a full scan of some other index would not do.

The searches (``icontains``) need pg_trgm's GIN indexes, which exist only where the
server offers pg_trgm; those cases are skipped on the embedded PostgreSQL.
"""

import datetime

import pytest
from django.db import connection

from engagements.filters.engagements import EngagementFilter
from engagements.models import Engagement
from stakeholders.filters.people import OrganizationFilter
from stakeholders.filters.security import SecurityEventFilter
from stakeholders.models import Organization, SecurityEvent
from stakeholders.selectors.search import trigram_search_available
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(line for (line,) in cursor.fetchall())


def _engagements(params):
    EngagementFactory()
    return EngagementFilter(params, queryset=Engagement.objects.all()).qs


@pytest.mark.parametrize(
    ("params", "index", "condition"),
    [
        ({"date_from": "2026-01-01"}, "engagements_engagement_starts_at", "starts_at >="),
        ({"date_to": "2026-01-31"}, "engagements_engagement_starts_at", "starts_at <"),
    ],
)
def test_engagement_date_filters_use_the_start_index(params, index, condition):
    plan = _plan(_engagements(params))
    assert index in plan and condition in plan, plan
    assert "AT TIME ZONE" not in plan  # the column itself is compared, not each row's local date


@pytest.mark.parametrize(
    ("make_queryset", "indexes"),
    [
        (
            lambda: _engagements({"q": "park"}),
            ["engagement_search_title_trgm", "engagement_search_location_trgm", "engagement_search_summary_trgm"],
        ),
        (
            lambda: OrganizationFilter({"q": "park"}, queryset=Organization.objects.all()).qs,
            ["organization_search_name_trgm", "organization_search_email_trgm"],
        ),
    ],
    ids=["engagements", "organizations"],
)
def test_searches_use_trigram_indexes(make_queryset, indexes):
    if not trigram_search_available():
        pytest.skip("pg_trgm is not installed on this server (the embedded PostgreSQL)")
    plan = _plan(make_queryset())
    assert "BitmapOr" in plan, plan
    for index in indexes:
        assert f"Bitmap Index Scan on {index}" in plan, plan


def test_security_log_username_filter_uses_its_index():
    # With a single row both the username index and the date index cost the same and
    # the planner picks either; a log of many users with fresh statistics is what the
    # index is for, and then only the username index is cheap.
    now = datetime.datetime.now(datetime.UTC)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(action="login_succeeded", actor_username=f"user{number}", occurred_at=now)
        for number in range(400)
    )
    SecurityEvent.objects.create(action="login_succeeded", actor_username="Admin", occurred_at=now)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SecurityEvent._meta.db_table}")
    plan = _plan(SecurityEventFilter({"username": "admin"}, queryset=SecurityEvent.objects.all()).qs)
    assert "security_event_username" in plan and "Index Cond" in plan, plan
