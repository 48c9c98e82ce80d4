"""Reads that start from the user who asks, so one forgotten check cannot leak a record."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from ..models import ApiToken, User


def users_visible_to(actor: User) -> QuerySet[User]:
    """User accounts ``actor`` may see: all of them with ``view_user``, else none."""
    if not actor.has_perm("stakeholders.view_user"):
        return User.objects.none()
    return User.objects.prefetch_related("groups")


def with_list_columns(users: QuerySet[User]) -> QuerySet[User]:
    """``users`` with what a row of the user list shows: the names of their roles as ``role_names``.

    One query for the page, instead of a prefetch read through ``groups.all`` per row.
    """
    roles = Group.objects.filter(user=OuterRef("pk")).order_by("name").values("name")
    return (
        users.prefetch_related(None)
        .only("username", "first_name", "last_name", "email", "is_active")
        .annotate(role_names=ArraySubquery(roles))
    )


def user_for_user(actor: User, pk: int) -> User:
    """One user account, or 404 when ``actor`` may not see it."""
    return get_object_or_404(users_visible_to(actor), pk=pk)


def api_token_for_user(actor: User, pk: int) -> ApiToken:
    """One of ``actor``'s own API tokens, or 404: nobody reaches another user's token."""
    return get_object_or_404(ApiToken.objects.filter(user=actor), pk=pk)
