"""Give the role groups the coalition permissions (see coalition/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0002_memberships_goals_agreements_stances"),
        ("stakeholders", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
