"""Give the roles their government and relationship permissions (stakeholders/roles.py),
and fill Tenure.holds_single_seat from each position's seat count."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


def copy_seat_count(apps, schema_editor):
    Tenure = apps.get_model("stakeholders", "Tenure")
    Tenure.objects.filter(position__is_multi_seat=True).update(holds_single_seat=False)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0005_government_constraints_history")]

    operations = [
        migrations.RunPython(copy_seat_count, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
