"""Every list page, plain and with each of its filters on its own: time, queries and the slowest SQL.

    DATABASE_URL=$LARGE_URL .venv/bin/python benchmarks/list_filters.py [--user admin] [--json PATH]

The harness (benchmarks/harness.py) measures the main pages over HTTP, unfiltered; this
script covers what it does not: all fourteen filtered lists, one filter at a time,
as any user. It runs in-process through Django's test client (no gunicorn, no
network), requests each URL ``--repeat`` times and keeps the fastest run, and
prints the status, the request's milliseconds, its SQL statements, their total
milliseconds and the slowest one's. ``--json`` also writes each slowest statement,
ready for ``EXPLAIN ANALYZE``.

A filter's value is the first choice its form offers (by primary key), ``true``
for a yes/no filter, ``--date`` for a date and ``--search`` for a search box.

The suite runs ``measure`` on a generated small city and checks that every filter
answers and that no count grows with the data (tests/benchmarks/test_list_filters.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# URL name and FilterSet of every list page with filters.
LISTS = [
    ("stakeholders:person_list", "stakeholders.filters.people.PersonFilter"),
    ("stakeholders:organization_list", "stakeholders.filters.people.OrganizationFilter"),
    ("stakeholders:relationship_list", "stakeholders.filters.relationships.RelationshipFilter"),
    ("stakeholders:department_list", "stakeholders.filters.government.DepartmentFilter"),
    ("stakeholders:election_list", "stakeholders.filters.government.ElectionFilter"),
    ("stakeholders:user_list", "stakeholders.filters.accounts.UserFilter"),
    ("stakeholders:security_log", "stakeholders.filters.security.SecurityEventFilter"),
    ("stakeholders:liaison_list", "stakeholders.filters.stipends.LiaisonProfileFilter"),
    ("stakeholders:agreement_list", "stakeholders.filters.stipends.StipendAgreementFilter"),
    ("stakeholders:payment_list", "stakeholders.filters.stipends.StipendPaymentFilter"),
    ("engagements:list", "engagements.filters.engagements.EngagementFilter"),
    ("engagements:commitments", "engagements.filters.engagements.CommitmentFilter"),
    ("engagements:followup_list", "engagements.filters.followups.FollowUpFilter"),
    ("equity:assessment_list", "engagements.filters.assessments.AssessmentFilter"),
    ("coalition:list", "coalition.filters.CoalitionFilter"),
]


@dataclass
class Row:
    page: str
    filter: str  # "name=value", or "" for the list without filters
    status: int
    ms: float
    queries: int
    sql_ms: float
    slowest_ms: float
    slowest_sql: str


def filter_value(filter_, *, search: str, date: str) -> str | None:
    """The value to try for one filter, or None when it offers nothing to choose."""
    import django_filters

    if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        queryset = filter_.queryset(None) if callable(filter_.queryset) else filter_.queryset
        first = queryset.order_by("pk").first() if queryset is not None else None
        return None if first is None else str(first.pk)
    if isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        choices = filter_.extra.get("choices")
        choices = list(choices() if callable(choices) else choices or [])
        return str(choices[0][0]) if choices else None
    if isinstance(filter_, django_filters.BooleanFilter):
        return "true"
    if isinstance(filter_, django_filters.DateFilter):
        return date
    if isinstance(filter_, django_filters.CharFilter):
        return search
    return None


def _recorder(statements: list[tuple[float, str]]):
    """A database execute wrapper that appends (seconds, sql) of each statement to ``statements``."""

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    return timed


def _timed_request(client, url: str, params: dict, repeat: int) -> tuple:
    from django.db import connection

    best = None
    for _ in range(repeat):
        statements: list[tuple[float, str]] = []
        with connection.execute_wrapper(_recorder(statements)):
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        if best is None or elapsed < best[1]:
            best = (response.status_code, elapsed, statements)
    return best


def _pass_second_step(client, user) -> None:
    """These measure lists, not signing in: a user with an authenticator app (every admin) gets
    the session the second step leaves (what ``django_otp.login`` records), as after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from stakeholders.middleware import TWO_STEP_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[TWO_STEP_SESSION_KEY] = True
        session.save()


def measure(user, *, search: str = "park", date: str = "2024-01-01", repeat: int = 3) -> list[Row]:
    """One row per list page and per filter of it, requested as ``user``."""
    from django.test import Client
    from django.urls import reverse
    from django.utils.module_loading import import_string

    client = Client()
    client.force_login(user)
    _pass_second_step(client, user)
    rows = []
    for url_name, filterset_path in LISTS:
        url = reverse(url_name)
        tries = [("", {})]
        for name, filter_ in import_string(filterset_path).base_filters.items():
            value = filter_value(filter_, search=search, date=date)
            if value is not None:
                tries.append((f"{name}={value}", {name: value}))
        for label, params in tries:
            status, elapsed, statements = _timed_request(client, url, params, repeat)
            slowest = max(statements, default=(0.0, ""))
            rows.append(
                Row(
                    page=url_name,
                    filter=label,
                    status=status,
                    ms=round(elapsed * 1000, 2),
                    queries=len(statements),
                    sql_ms=round(sum(seconds for seconds, _ in statements) * 1000, 2),
                    slowest_ms=round(slowest[0] * 1000, 2),
                    slowest_sql=slowest[1],
                )
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="admin", help="username to sign in as (default: admin)")
    parser.add_argument("--search", default="park", help="what to type in search boxes (default: park)")
    parser.add_argument("--date", default="2024-01-01", help="value for date filters (default: 2024-01-01)")
    parser.add_argument("--repeat", type=int, default=3, help="requests per URL; the fastest is kept (default: 3)")
    parser.add_argument("--json", type=Path, help="also write the rows, with each slowest SQL, to this file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()
    from django.conf import settings

    from stakeholders.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a role's 403s are rows, not warnings
    rows = measure(User.objects.get(username=args.user), search=args.search, date=args.date, repeat=args.repeat)
    print(f"{'page':32} {'filter':30} {'status':>6} {'ms':>7} {'queries':>7} {'sql ms':>7} {'slowest':>7}")
    for row in rows:
        print(
            f"{row.page:32} {row.filter or '-':30} {row.status:>6} {row.ms:>7.1f} {row.queries:>7}"
            f" {row.sql_ms:>7.1f} {row.slowest_ms:>7.1f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
