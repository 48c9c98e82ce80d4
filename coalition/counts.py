"""Counts of related rows for list pages, as correlated subqueries.

A list that shows "12 positions" or "40 allies" beside each row could join the
related tables and ``GROUP BY``, but two such joins multiply each other's rows
(every membership paired with every stance of the same coalition) and the whole
product is read before a single row is shown. A correlated ``COUNT`` per counted
table reads each related row once, through its foreign key's index, and the
paginator's own ``COUNT`` leaves it out.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def related_count(rows: QuerySet, field: str) -> Coalesce:
    """How many of ``rows`` point at the outer row through ``field`` (0 when none)."""
    counted = rows.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(count=Count("pk"))
    return Coalesce(Subquery(counted.values("count"), output_field=IntegerField()), 0)
