"""Indexes for the engagement and commitment lists at city scale (issue 9).

Each list reads one page of 50 in its own order; without an index on that order
PostgreSQL sorts the whole table for every page.
"""

from django.db import migrations

# name, table, definition
INDEXES = [
    ("engagement_list_order", "engagements_engagement", "(starts_at DESC NULLS LAST, id DESC) WHERE status = 'logged'"),
    ("commitment_list_order", "engagements_commitment", "(due_on ASC NULLS LAST, id)"),
    ("commitment_status_due", "engagements_commitment", "(status, due_on)"),
]


class Migration(migrations.Migration):
    dependencies = [("engagements", "0004_merge_followups")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, definition in INDEXES
    ]
