"""Trigram indexes for the engagement list's search (issue 9).

The search matches a word anywhere in an engagement's title, location or summary
(``icontains``, which Django writes ``UPPER(column::text) LIKE UPPER('%word%')``).
A btree index cannot answer that; without these indexes PostgreSQL read all 30,000
engagements of the large city, uppercasing each summary (43 ms to count the
matches for "park"). One pg_trgm GIN index per column, on the same expression,
lets it combine the three with a BitmapOr (9 ms for the 4,237 matches, under 1 ms
for a rare word).

Created only where pg_trgm is installed (stakeholders migration 0011 installs it
when the server offers it; the embedded PostgreSQL has no contrib extensions and
searches these small tables by reading them). ``fastupdate`` is off, as on the
people search's index: a search never reads a pending list of unmerged inserts.
"""

from django.db import migrations

CREATE = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS engagement_search_title_trgm ON engagements_engagement
            USING gin ((upper(title::text)) gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS engagement_search_location_trgm ON engagements_engagement
            USING gin ((upper(location::text)) gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS engagement_search_summary_trgm ON engagements_engagement
            USING gin ((upper(summary)) gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
"""
DROP = """
DROP INDEX IF EXISTS engagement_search_title_trgm;
DROP INDEX IF EXISTS engagement_search_location_trgm;
DROP INDEX IF EXISTS engagement_search_summary_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0009_inbox_and_home_indexes"),
        ("stakeholders", "0011_search_and_list_indexes"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
