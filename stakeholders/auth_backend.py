"""Django's model backend, loading the signed-in user with roles and permissions in one query.

Every signed-in request loads its user; nearly every page then asks for the user's
permissions (views, navigation) and roles (``User.has_role``). Django's backend
answers those with three more queries (user permissions, group permissions,
groups). This backend fetches all three as arrays beside the user row and fills
the caches Django and ``User.role_names`` already read, so a request pays one
query for them instead of four. The data is read fresh on every request, so a
role taken away applies on the user's next request, exactly as before.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Value
from django.db.models.functions import Concat


def _permission_names(**filters) -> ArraySubquery:
    """'app_label.codename' of the permissions matching ``filters`` (OuterRef to the user)."""
    return ArraySubquery(
        Permission.objects.filter(**filters)
        .order_by()
        .values(qualified=Concat("content_type__app_label", Value("."), "codename"))
    )


class RoleAwareModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .annotate(
                loaded_role_names=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).order_by().values("name")),
                loaded_user_perms=_permission_names(user=OuterRef("pk")),
                loaded_group_perms=_permission_names(group__user=OuterRef("pk")),
            )
            .first()
        )
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
