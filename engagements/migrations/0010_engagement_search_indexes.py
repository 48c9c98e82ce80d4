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

INDEXES = [
    ("engagement_search_title_trgm", "title::text"),
    ("engagement_search_location_trgm", "location::text"),
    ("engagement_search_summary_trgm", "summary"),
]

CREATE = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        {statements}
    END IF;
END
$$;
""".format(
    statements="\n        ".join(
        f"CREATE INDEX IF NOT EXISTS {name} ON engagements_engagement"
        f" USING gin ((upper({column})) gin_trgm_ops) WITH (fastupdate = off);"
        for name, column in INDEXES
    )
)
DROP = "\n".join(f"DROP INDEX IF EXISTS {name};" for name, _ in INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0009_inbox_and_home_indexes"),
        ("stakeholders", "0011_search_and_list_indexes"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
