"""Create the four role groups with their permissions (see stakeholders/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from stakeholders.roles import sync_role_permissions

    sync_role_permissions(apps)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Staff", "Coordinator", "Admin", "Liaison"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
