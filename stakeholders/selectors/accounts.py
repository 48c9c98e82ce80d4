"""Reads that start from the user who asks, so one forgotten check cannot leak a record."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import User


def users_visible_to(actor: User) -> QuerySet[User]:
    """User accounts ``actor`` may see: all of them with ``view_user``, else none."""
    if not actor.has_perm("stakeholders.view_user"):
        return User.objects.none()
    return User.objects.prefetch_related("groups")


def user_for_user(actor: User, pk: int) -> User:
    """One user account, or 404 when ``actor`` may not see it."""
    return get_object_or_404(users_visible_to(actor), pk=pk)
