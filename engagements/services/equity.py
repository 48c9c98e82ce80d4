"""Keeping the equity dashboard's summary current."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction


def equity_reach_refresh() -> None:
    """Recompute who each engagement reached (the ``engagements_engagementreach`` view).

    Readers keep seeing the previous figures until the new ones are in (CONCURRENTLY);
    running it twice in a row gives the same rows. Quarters are the city's (its time zone);
    just-in-time compilation is off: PostgreSQL would spend longer compiling than running it.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL TimeZone = %s", [settings.TIME_ZONE])
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY engagements_engagementreach")
        # Fresh statistics, so that the dashboard's period reads stay on the period index.
        cursor.execute("ANALYZE engagements_engagementreach")
