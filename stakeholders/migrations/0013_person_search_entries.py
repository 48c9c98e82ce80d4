"""People search reads one table of search entries, kept current by triggers (issue 9).

A search of the large city matched 2,862 people for "okafor": PostgreSQL found
them with two trigram scans (people, organizations) and a union with the
organizations' members, then joined every match back to the people table to sort
them by name and count them, about 20 ms of the page's 55 ms. The entries table
(``PersonSearchEntry``) holds, per person, the text a search matches (names,
email, the names of all their organizations, in lower case, so a case-blind match
is a plain LIKE) and the names the list sorts by, so one trigram scan finds,
counts and sorts the matches and only the 50 people of the page are read from
the people table.

Statement-level triggers with transition tables keep the entries current:

* people: insert, and update when a name or the email changed;
* affiliations: insert, delete, and update when the person or organization changed;
* organizations: update when the name changed;
* a person's deletion deletes their entry (``ON DELETE CASCADE``).

One trigger call per statement, so a bulk COPY (the city generator) rewrites the
entries in one set-based statement, not one per row. The rewrite skips entries
whose content did not change. The trigram index exists where pg_trgm does (see
0011); the old per-table trigram indexes are dropped, nothing else used them.
"""

from django.db import migrations, models

REFRESH = """
CREATE FUNCTION stakeholders_person_search_refresh(person_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO stakeholders_personsearchentry AS entry (person_id, last_name, first_name, document)
    SELECT p.id, p.last_name, p.first_name,
           lower(concat_ws(' ', p.first_name, NULLIF(p.last_name, ''), NULLIF(p.preferred_name, ''), NULLIF(p.email, ''),
                           (SELECT string_agg(DISTINCT o.name, ' ' ORDER BY o.name)
                              FROM stakeholders_affiliation f
                              JOIN stakeholders_organization o ON o.id = f.organization_id
                             WHERE f.person_id = p.id)))
      FROM stakeholders_person p
     WHERE p.id = ANY (person_ids)
    ON CONFLICT (person_id) DO UPDATE
       SET last_name = EXCLUDED.last_name, first_name = EXCLUDED.first_name, document = EXCLUDED.document
     WHERE (entry.last_name, entry.first_name, entry.document)
           IS DISTINCT FROM (EXCLUDED.last_name, EXCLUDED.first_name, EXCLUDED.document)
$$;

CREATE FUNCTION stakeholders_person_search_people_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION stakeholders_person_search_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.first_name, n.last_name, n.preferred_name, n.email)
               IS DISTINCT FROM (o.first_name, o.last_name, o.preferred_name, o.email)));
    RETURN NULL;
END $$;

CREATE FUNCTION stakeholders_person_search_affiliations_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION stakeholders_person_search_affiliations_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION stakeholders_person_search_affiliations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(
        SELECT unnest(ARRAY[n.person_id, o.person_id]) FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.person_id, n.organization_id) IS DISTINCT FROM (o.person_id, o.organization_id)));
    RETURN NULL;
END $$;

CREATE FUNCTION stakeholders_person_search_organizations_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stakeholders_person_search_refresh(ARRAY(
        SELECT DISTINCT f.person_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          JOIN stakeholders_affiliation f ON f.organization_id = n.id
         WHERE n.name IS DISTINCT FROM o.name));
    RETURN NULL;
END $$;

ALTER TABLE stakeholders_personsearchentry ADD CONSTRAINT personsearchentry_person_deleted
    FOREIGN KEY (person_id) REFERENCES stakeholders_person (id) ON DELETE CASCADE;
"""
# After the triggers: creating them waits for writes in flight, and from then on they keep
# up, so every person added before or during the migration gets an entry.
BACKFILL = "SELECT stakeholders_person_search_refresh(ARRAY(SELECT id FROM stakeholders_person))"

# name (also the name of its function, with a "stakeholders_" prefix), table, event, transition tables
TRIGGERS = [
    ("person_search_people_added", "stakeholders_person", "INSERT", "NEW TABLE AS new_rows"),
    ("person_search_people_changed", "stakeholders_person", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("person_search_affiliations_added", "stakeholders_affiliation", "INSERT", "NEW TABLE AS new_rows"),
    ("person_search_affiliations_removed", "stakeholders_affiliation", "DELETE", "OLD TABLE AS old_rows"),
    (
        "person_search_affiliations_changed",
        "stakeholders_affiliation",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    (
        "person_search_organizations_renamed",
        "stakeholders_organization",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
]
CREATE_TRIGGERS = "\n".join(
    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition}"
    f" FOR EACH STATEMENT EXECUTE FUNCTION stakeholders_{name}();"
    for name, table, event, transition in TRIGGERS
)
DROP_TRIGGERS = "\n".join(
    f"DROP TRIGGER {name} ON {table}; DROP FUNCTION stakeholders_{name}();" for name, table, _event, _ in TRIGGERS
)
REFRESH_REVERSE = """
ALTER TABLE stakeholders_personsearchentry DROP CONSTRAINT personsearchentry_person_deleted;
DROP FUNCTION stakeholders_person_search_refresh(bigint[]);
"""

TRIGRAM = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS person_search_entry_trgm ON stakeholders_personsearchentry
            USING gin (document gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
DROP INDEX IF EXISTS person_search_trgm;
DROP INDEX IF EXISTS organization_name_trgm;
"""
TRIGRAM_REVERSE = """
DROP INDEX IF EXISTS person_search_entry_trgm;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS person_search_trgm ON stakeholders_person
            USING gin ((first_name || ' ' || last_name || ' ' || preferred_name || ' ' || email) gin_trgm_ops)
            WITH (fastupdate = off);
        CREATE INDEX IF NOT EXISTS organization_name_trgm ON stakeholders_organization
            USING gin ((name) gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0012_search_indexes_without_pending_list")]

    operations = [
        migrations.CreateModel(
            name="PersonSearchEntry",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="stakeholders.person",
                    ),
                ),
                ("last_name", models.CharField(blank=True, max_length=100)),
                ("first_name", models.CharField(max_length=100)),
                ("document", models.TextField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunSQL(REFRESH, REFRESH_REVERSE),
        migrations.RunSQL(CREATE_TRIGGERS, DROP_TRIGGERS),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGRAM, TRIGRAM_REVERSE),
    ]
