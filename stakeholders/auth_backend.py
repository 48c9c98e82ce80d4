"""Django's model backend, loading the signed-in user with roles and permissions in one query.

Every signed-in request loads its user; nearly every page then asks for the user's
permissions (views, navigation) and roles (``User.has_role``). Django's backend
answers those with three more queries (user permissions, group permissions,
groups). This backend fetches all three as arrays beside the user row and fills
the caches Django and ``User.role_names`` already read, so a request pays one
query for them instead of four. The data is read fresh on every request, so a
role taken away applies on the user's next request, exactly as before.

The query is written once as SQL: built through the ORM, its three subqueries
cost more to compile on every request than the round trips they save.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType


@cache
def _user_query() -> str:
    """The user's row plus role names, user permissions and group permissions, by primary key."""
    user = get_user_model()
    groups = user.groups.through._meta.db_table
    user_perms = user.user_permissions.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    permission = Permission._meta.db_table
    content_type = ContentType._meta.db_table
    qualified = (
        f"ct.app_label || '.' || p.codename FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id"
    )
    # Table names come from the models' metadata, never from input; the user id is a parameter.
    return (
        f"SELECT u.*,"  # noqa: S608
        f" ARRAY(SELECT g.name FROM {Group._meta.db_table} g JOIN {groups} ug ON ug.group_id = g.id"
        f" WHERE ug.user_id = u.id) AS loaded_role_names,"
        f" ARRAY(SELECT {qualified} JOIN {user_perms} up ON up.permission_id = p.id"
        f" WHERE up.user_id = u.id) AS loaded_user_perms,"
        f" ARRAY(SELECT {qualified} JOIN {group_perms} gp ON gp.permission_id = p.id"
        f" JOIN {groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = u.id) AS loaded_group_perms"
        f" FROM {user._meta.db_table} u WHERE u.id = %s"
    )


class RoleAwareModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = next(iter(get_user_model()._default_manager.raw(_user_query(), [user_id])), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["role_names"] = frozenset(user.loaded_role_names)
        if not user.is_superuser:
            # The attributes ModelBackend caches its answers in (a superuser holds every permission:
            # leave those to Django's own query).
            user._user_perm_cache = set(user.loaded_user_perms)
            user._group_perm_cache = set(user.loaded_group_perms)
            user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user
