"""Measure the full reminder scan: seconds and SQL queries, then run it again to show
that it creates nothing the second time.

    DATABASE_URL=... .venv/bin/python manage.py generate_city        # 100k tenures, 20k relationships, 5 elections
    DATABASE_URL=... .venv/bin/python benchmarks/reminder_scan.py

Target (issue 6): under 10 s and under 100 queries; the second run creates 0.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from engagements.models import FollowUp  # noqa: E402
from engagements.services.followups import followups_scan_all  # noqa: E402
from stakeholders.models import Election, Relationship, Tenure  # noqa: E402


def run(label: str) -> dict:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        counts = followups_scan_all()
        seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s, {len(queries.captured_queries)} queries, created {counts}")
    return {"seconds": seconds, "queries": len(queries.captured_queries), "created": counts["total"]}


def main() -> int:
    print(
        f"City: {Tenure.objects.count()} tenures, {Relationship.objects.count()} relationships, "
        f"{Election.objects.count()} elections; {FollowUp.objects.count()} follow-ups before."
    )
    first = run("first scan ")
    second = run("second scan")
    ok = first["seconds"] < 10 and first["queries"] < 100 and second["created"] == 0
    print("PASS" if ok else "FAIL", "(target: < 10 s, < 100 queries, second run creates 0)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
