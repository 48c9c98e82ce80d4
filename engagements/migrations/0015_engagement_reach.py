"""The equity dashboard's summary: who each engagement reached, per breakdown option.

A materialized view, refreshed by Celery (engagements.tasks.equity_reach_refresh), so
that the dashboard adds up a few rows per engagement instead of every attendance and
demographics row of the year (see engagements/selectors/equity.py for the rules).
"""

from django.conf import settings
from django.db import migrations

REACH_SQL = """
CREATE MATERIALIZED VIEW engagements_engagementreach AS
WITH counted AS (
    SELECT b.engagement_id,
           bool_or(c.kind = 'language') AS language,
           bool_or(c.kind = 'neighborhood') AS place,
           bool_or(c.kind = 'age_band') AS age
    FROM engagements_attendancebreakdown b
    JOIN engagements_breakdownoption o ON o.id = b.option_id
    JOIN engagements_breakdowncategory c ON c.id = o.category_id
    GROUP BY b.engagement_id
),
named AS MATERIALIZED (
    SELECT a.engagement_id, p.preferred_language_id, p.neighborhood_id AS home_id, d.age_band,
           coalesce(counted.language, FALSE) AS language_counted,
           coalesce(counted.place, FALSE) AS place_counted,
           coalesce(counted.age, FALSE) AS age_counted
    FROM engagements_attendance a
    JOIN stakeholders_persondemographics d ON d.person_id = a.person_id AND d.consent_recorded_at IS NOT NULL
    JOIN stakeholders_person p ON p.id = a.person_id
    LEFT JOIN counted ON counted.engagement_id = a.engagement_id
),
heard AS (
    SELECT b.engagement_id, b.option_id, b.count AS anonymous, 0 AS named
    FROM engagements_attendancebreakdown b
    UNION ALL
    SELECT named.engagement_id, o.id, 0, 1
    FROM named
    JOIN engagements_breakdownoption o ON o.language_id = named.preferred_language_id
    JOIN engagements_breakdowncategory c ON c.id = o.category_id AND c.kind = 'language'
    WHERE NOT named.language_counted
    UNION ALL
    SELECT named.engagement_id, o.id, 0, 1
    FROM named
    JOIN engagements_breakdownoption o ON o.neighborhood_id = named.home_id
    JOIN engagements_breakdowncategory c ON c.id = o.category_id AND c.kind = 'neighborhood'
    WHERE NOT named.place_counted
    UNION ALL
    SELECT named.engagement_id, o.id, 0, 1
    FROM named
    JOIN engagements_breakdownoption o ON named.age_band = ANY (o.age_bands)
    JOIN engagements_breakdowncategory c ON c.id = o.category_id AND c.kind = 'age_band'
    WHERE NOT named.age_counted
)
SELECT heard.engagement_id, heard.option_id, sum(heard.anonymous)::integer AS anonymous,
       sum(heard.named)::integer AS named,
       -- The engagement's start, place and quarter (in the session's time zone, which the
       -- refresh sets to the city's), so that the dashboard reads a period from here alone.
       e.starts_at, e.neighborhood_id, date_trunc('quarter', e.starts_at)::date AS quarter,
       now() AS refreshed_at
FROM heard
JOIN engagements_engagement e ON e.id = heard.engagement_id
WHERE e.starts_at IS NOT NULL
GROUP BY heard.engagement_id, heard.option_id, e.id
ORDER BY e.starts_at
"""


def create(apps, schema_editor):
    schema_editor.execute("SET LOCAL TimeZone = %s", [settings.TIME_ZONE])
    schema_editor.execute(REACH_SQL)
    # Unique, so that it can be refreshed CONCURRENTLY (readers are never blocked).
    schema_editor.execute(
        "CREATE UNIQUE INDEX engagement_reach_unique ON engagements_engagementreach (engagement_id, option_id)"
    )
    # The dashboard reads a period's rows from this index alone.
    schema_editor.execute(
        "CREATE INDEX engagement_reach_period ON engagements_engagementreach (starts_at)"
        " INCLUDE (engagement_id, quarter, neighborhood_id, option_id, anonymous, named)"
    )


def drop(apps, schema_editor):
    schema_editor.execute("DROP MATERIALIZED VIEW IF EXISTS engagements_engagementreach")


class Migration(migrations.Migration):
    dependencies = [("engagements", "0014_equity_roles_and_age_bands")]

    operations = [migrations.RunPython(create, drop)]
