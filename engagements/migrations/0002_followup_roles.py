"""Give the roles the reminder permissions (see engagements/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0001_followups"),
        ("stakeholders", "0004_languages"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
