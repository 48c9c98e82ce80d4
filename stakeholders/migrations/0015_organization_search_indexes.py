"""Trigram indexes for the organization list's search and the security log's username filter (issue 9).

The organization list's search (and the relationship list's, for the organization's
name) matches a word anywhere in an organization's name or email: Django's
``icontains``, ``UPPER(column::text) LIKE UPPER('%word%')``. One pg_trgm GIN index
per column on that expression lets PostgreSQL answer it without reading all 5,000
organizations of the large city. Created only where pg_trgm is installed (0011),
with ``fastupdate`` off like the other search indexes.

The security log's username filter is ``iexact``, ``UPPER(actor_username::text) =
UPPER('name')``: a btree index on the same expression, on every server.
"""

from django.db import migrations, models
from django.db.models.functions import Upper

CREATE = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS organization_search_name_trgm ON stakeholders_organization
            USING gin ((upper(name::text)) gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS organization_search_email_trgm ON stakeholders_organization
            USING gin ((upper(email::text)) gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
"""
DROP = """
DROP INDEX IF EXISTS organization_search_name_trgm;
DROP INDEX IF EXISTS organization_search_email_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0014_relationship_list_order")]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.AddIndex(
            model_name="securityevent",
            index=models.Index(Upper("actor_username"), name="security_event_username"),
        ),
    ]
