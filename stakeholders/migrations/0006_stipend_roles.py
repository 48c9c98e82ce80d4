"""Give the Admin and Liaison roles the stipend permissions (see stakeholders/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0005_stipends"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
