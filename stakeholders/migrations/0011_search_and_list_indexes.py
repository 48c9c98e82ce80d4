"""Indexes for people search and the list pages at city scale (issue 9).

Typo-tolerant search uses pg_trgm when the server offers it: the extension and its
GIN indexes are created only when ``pg_available_extensions`` lists pg_trgm (the
embedded PostgreSQL has no contrib extensions; stakeholders/selectors/people.py
falls back to a portable search there). The btree indexes serve each list's order,
so a page of 50 is read from an index instead of sorting the whole table.
"""

from django.db import migrations

TRIGRAM = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS person_search_trgm ON stakeholders_person
            USING gin ((first_name || ' ' || last_name || ' ' || preferred_name || ' ' || email) gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS organization_name_trgm ON stakeholders_organization
            USING gin ((name) gin_trgm_ops);
        -- The word-similarity operators are costed like a cheap comparison, so the
        -- planner prefers a sequential scan computing word_similarity() for all
        -- 50,000 people (2 s) over the index (0.2 s). Cost them as what they are.
        ALTER FUNCTION word_similarity_op(text, text) COST 100;
        ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
    END IF;
END
$$;
"""
TRIGRAM_REVERSE = """
DROP INDEX IF EXISTS person_search_trgm;
DROP INDEX IF EXISTS organization_name_trgm;
"""

# name, table, columns: one per list order (and filter) not yet backed by an index.
INDEXES = [
    ("person_list_order", "stakeholders_person", "last_name, first_name, id"),
    ("organization_list_order", "stakeholders_organization", "name, id"),
    ("stipend_payment_ledger_order", "stakeholders_stipendpayment", "period_start DESC, id DESC"),
    ("affiliation_organization_person", "stakeholders_affiliation", "organization_id, person_id"),
    ("relationship_other_person", "stakeholders_relationship", "other_person_id, person_id"),
]


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0010_stipend_overlap_trigger")]

    operations = [
        migrations.RunSQL(TRIGRAM, TRIGRAM_REVERSE),
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, columns in INDEXES
        ),
    ]
