"""Start every person's consent history from what was already recorded, and let admins erase.

People marked "may be contacted" get a granted contact consent, and people with a recorded
demographics consent a granted demographics consent dated when it was recorded; both with
the source "migrated". Reversing removes only the migrated records.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    Person = apps.get_model("stakeholders", "Person")
    PersonDemographics = apps.get_model("stakeholders", "PersonDemographics")
    ConsentRecord = apps.get_model("stakeholders", "ConsentRecord")
    records = [
        ConsentRecord(person_id=pk, purpose="contact", granted=True, recorded_at=updated_at, source="migrated")
        for pk, updated_at in Person.objects.filter(may_contact=True).values_list("pk", "updated_at").iterator()
    ]
    records += [
        ConsentRecord(
            person_id=row.person_id,
            purpose="demographics",
            granted=True,
            recorded_at=row.consent_recorded_at,
            recorded_by_id=row.consent_recorded_by_id,
            source="migrated",
        )
        for row in PersonDemographics.objects.filter(consent_recorded_at__isnull=False).iterator()
    ]
    ConsentRecord.objects.bulk_create(records, batch_size=2000)
    sync_role_permissions(apps)


def backwards(apps, schema_editor):
    apps.get_model("stakeholders", "ConsentRecord").objects.filter(source="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0021_consent_erasure")]
    operations = [migrations.RunPython(forwards, backwards)]
