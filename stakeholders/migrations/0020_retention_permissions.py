"""Give admins the permissions to set the retention windows and to read what each clean-up removed."""

from django.db import migrations


def sync(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0019_retention")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
