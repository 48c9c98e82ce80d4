"""The four roles and the permissions each holds.

Roles are Django groups. Each app says which of its permissions each role holds
in a ``ROLE_PERMISSIONS`` table in its own ``roles.py`` (this one is the
stakeholders app's); a data migration of each app calls
:func:`sync_role_permissions` once its models exist, so the groups always match
the tables. The tables are discovered by module name, like ``tasks.py``, so this
app never imports the apps above it.
"""

from __future__ import annotations

import importlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "Staff", _("Staff")
    COORDINATOR = "Coordinator", _("Coordinator")
    ADMIN = "Admin", _("Admin")
    LIAISON = "Liaison", _("Liaison")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STAFF: [],
    Role.COORDINATOR: [],
    Role.ADMIN: [
        "stakeholders.view_user",
        "stakeholders.add_user",
        "stakeholders.change_user",
        "stakeholders.view_securityevent",
        "stakeholders.manage_stipends",
        "stakeholders.approve_stipend_payment",
        "stakeholders.change_retentionsettings",
        "stakeholders.view_retentionrun",
        "stakeholders.erase_person",
    ],
    Role.LIAISON: [
        "stakeholders.view_own_statement",
    ],
}

# People and organizations. Staff edit what they created (see
# stakeholders.selectors.people.can_edit_person); change_* lets one edit all.
# Liaisons hold view_person without view_all_people: they see only the people
# they work with.
_PEOPLE_READ_AND_CREATE = [
    "stakeholders.view_person",
    "stakeholders.view_all_people",
    "stakeholders.add_person",
    "stakeholders.view_organization",
    "stakeholders.add_organization",
    "stakeholders.add_affiliation",
]
ROLE_PERMISSIONS[Role.STAFF] += _PEOPLE_READ_AND_CREATE
ROLE_PERMISSIONS[Role.COORDINATOR] += [
    *_PEOPLE_READ_AND_CREATE,
    "stakeholders.change_person",
    "stakeholders.change_organization",
    "stakeholders.change_affiliation",
]
ROLE_PERMISSIONS[Role.ADMIN] += [
    *_PEOPLE_READ_AND_CREATE,
    "stakeholders.change_person",
    "stakeholders.delete_person",
    "stakeholders.change_organization",
    "stakeholders.delete_organization",
    "stakeholders.change_affiliation",
    "stakeholders.view_demographics",
    "stakeholders.merge_person",
    "stakeholders.import_people",
    "stakeholders.import_organizations",
    "stakeholders.view_neighborhood",
    "stakeholders.add_neighborhood",
    "stakeholders.change_neighborhood",
]
ROLE_PERMISSIONS[Role.LIAISON] += ["stakeholders.view_person"]
# Government structure and relationships (stakeholders/views/government.py, relationships.py).
GOVERNMENT_READ = [
    "stakeholders.view_department",
    "stakeholders.view_position",
    "stakeholders.view_tenure",
    "stakeholders.view_election",
]
GOVERNMENT_EDIT = [
    f"stakeholders.{action}_{model}"
    for model in ("department", "position", "tenure", "election")
    for action in ("add", "change")
]
RELATIONSHIP_EDIT = ["stakeholders.add_relationship", "stakeholders.change_relationship"]
ROLE_PERMISSIONS[Role.STAFF] += [*GOVERNMENT_READ, "stakeholders.view_relationship"]
ROLE_PERMISSIONS[Role.COORDINATOR] += [*GOVERNMENT_READ, *GOVERNMENT_EDIT, "stakeholders.view_relationship"]
ROLE_PERMISSIONS[Role.COORDINATOR] += RELATIONSHIP_EDIT
ROLE_PERMISSIONS[Role.ADMIN] += [*GOVERNMENT_READ, *GOVERNMENT_EDIT, "stakeholders.view_relationship"]
ROLE_PERMISSIONS[Role.ADMIN] += [
    *RELATIONSHIP_EDIT,
    "stakeholders.delete_relationship",
    "stakeholders.view_tenureevent",
    "stakeholders.view_relationshipevent",
]
# Liaisons read the government structure; the relationships they see are only
# their own (stakeholders.selectors.relationships), so no view_relationship here.
ROLE_PERMISSIONS[Role.LIAISON] += GOVERNMENT_READ
# Boards and commissions (stakeholders/models/boards.py): everyone but liaisons reads them;
# coordinators and admins describe boards, add seats and open vacancies.
_BOARDS_READ = ["stakeholders.view_board", "stakeholders.view_vacancy"]
_BOARDS_WRITE = [
    "stakeholders.add_board",
    "stakeholders.change_board",
    "stakeholders.add_vacancy",
    "stakeholders.change_vacancy",
]
ROLE_PERMISSIONS[Role.STAFF] += _BOARDS_READ
ROLE_PERMISSIONS[Role.COORDINATOR] += [*_BOARDS_READ, *_BOARDS_WRITE]
ROLE_PERMISSIONS[Role.ADMIN] += [*_BOARDS_READ, *_BOARDS_WRITE]


def all_role_permissions() -> dict[str, list[str]]:
    """Every installed app's ``roles.ROLE_PERMISSIONS``, merged per role."""
    from django.apps import apps as installed_apps

    merged: dict[str, list[str]] = {str(role): [] for role in Role}
    for app_config in installed_apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app_config.name}.roles")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.roles":
                raise
            continue
        for role, names in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[str(role)].extend(names)
    return merged


def sync_role_permissions(apps) -> None:
    """Create the role groups and give each exactly the permissions listed above.

    Meant for data migrations (``apps`` is the migration state), and also works
    with the live app registry (tests that flush the database call it).
    Permissions of apps whose tables do not exist yet are skipped; a later
    migration of that app calls this again.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which is every
        # app in a migration state; pretend there is one for the call.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in all_role_permissions().items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = [tuple(name.split(".", 1)) for name in names]
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)
