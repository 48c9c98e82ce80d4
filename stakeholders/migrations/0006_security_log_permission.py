"""Give admins the permission to read the security log."""

from django.db import migrations


def sync(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0005_security_log")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
