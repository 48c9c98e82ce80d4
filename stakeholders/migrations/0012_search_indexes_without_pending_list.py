"""Keep the search's trigram indexes free of a pending list (issue 9).

GIN indexes collect new entries in an unsorted "pending list" (``fastupdate``),
which every search scans in full until VACUUM merges it into the index. A city
loaded in bulk on a server without autovacuum (the benchmark's) left almost all
of both indexes there: people search spent ~45 ms per query reading it, against
~1 ms for the merged index. With ``fastupdate`` off, each insert updates the index
directly (slightly slower imports) and searches never depend on when VACUUM last
ran; the existing pending lists are merged now. Schema only, no data changes.
"""

from django.db import migrations

INDEXES = ("person_search_trgm", "organization_name_trgm")  # created by 0011 when pg_trgm exists

FORWARD = """
DO $$
BEGIN
    IF to_regclass('{name}') IS NOT NULL THEN
        ALTER INDEX {name} SET (fastupdate = off);
        PERFORM gin_clean_pending_list('{name}'::regclass);
    END IF;
END
$$;
"""
BACKWARD = """
DO $$
BEGIN
    IF to_regclass('{name}') IS NOT NULL THEN
        ALTER INDEX {name} RESET (fastupdate);
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0011_search_and_list_indexes")]

    operations = [migrations.RunSQL(FORWARD.format(name=name), BACKWARD.format(name=name)) for name in INDEXES]
