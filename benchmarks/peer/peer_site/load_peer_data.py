"""Set up DjangoCRM and load the benchmark's people into it with its own ORM (run by the peer's venv).

    cd benchmarks/peer/peer_site && PEER_DATABASE_URL=... DJANGO_SETTINGS_MODULE=peer_bench_settings \\
        <peer venv>/bin/python load_peer_data.py EXPORT.json

EXPORT.json (written by benchmarks/peer/compare.py from Coalition's database) holds the
organizations, the people (with one current organization each) and the attendance rows of
the Coalition city, so both sides hold the same names, emails and counts:

- each organization becomes a ``crm.Company``, each person a ``crm.Contact`` of the company
  of their first current affiliation (DjangoCRM requires one company per contact);
- each attendance row becomes a ``crm.CrmEmail`` of that contact and company, subject the
  engagement's title: the activity the contact page lists, as the person page lists attendance.

The first run calls DjangoCRM's own ``setupdata`` (migrate, its reference fixtures and a
superuser from ``DJANGO_SUPERUSER_USERNAME`` / ``DJANGO_SUPERUSER_PASSWORD``). Rows are written
with ``bulk_create`` in one transaction, then the tables are vacuumed and analysed, as
Coalition's generator leaves its city. A database that already holds contacts is left as it
is. Prints the counts as one JSON line.
"""

import json
import os
import sys
import time

import django

BATCH = 2000


def main(export_path: str) -> dict:
    django.setup()

    from crm.models import Company, Contact, CrmEmail
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    user_model = get_user_model()
    username = os.environ["DJANGO_SUPERUSER_USERNAME"]
    started = time.perf_counter()
    migrated = user_model._meta.db_table in connection.introspection.table_names()
    if not migrated or not user_model.objects.filter(username=username).exists():
        call_command("setupdata")
    owner = user_model.objects.get(username=username)
    loaded = False
    if not Contact.objects.exists():
        with open(export_path) as handle:
            export = json.load(handle)
        with transaction.atomic():
            companies = Company.objects.bulk_create(
                [
                    Company(full_name=org["name"], email=org["email"], phone=org["phone"], owner=owner)
                    for org in export["organizations"]
                ],
                batch_size=BATCH,
            )
            company_by_source = {
                org["id"]: company for org, company in zip(export["organizations"], companies, strict=True)
            }
            contacts = Contact.objects.bulk_create(
                [
                    Contact(
                        first_name=person["first_name"],
                        last_name=person["last_name"],
                        email=person["email"],
                        phone=person["phone"],
                        company=company_by_source[person["organization_id"]],
                        owner=owner,
                    )
                    for person in export["people"]
                ],
                batch_size=BATCH,
            )
            contact_by_source = {
                person["id"]: contact for person, contact in zip(export["people"], contacts, strict=True)
            }
            emails = []
            for person_id, title in export["activities"]:
                contact = contact_by_source[person_id]
                emails.append(
                    CrmEmail(
                        subject=title[:250],
                        content=f"<p>Notes from {title}.</p>",
                        to=contact.email or "someone@example.com",
                        from_field="crm@example.com",
                        sent=True,
                        contact=contact,
                        company_id=contact.company_id,
                        owner=owner,
                    )
                )
            CrmEmail.objects.bulk_create(emails, batch_size=BATCH)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        loaded = True
    return {
        "loaded": loaded,
        "seconds": round(time.perf_counter() - started, 1),
        "companies": Company.objects.count(),
        "contacts": Contact.objects.count(),
        "activities": CrmEmail.objects.count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
