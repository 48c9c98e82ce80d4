"""Reads of relationships, starting from the user who asks.

Staff, coordinators and admins (``view_relationship``) read every relationship.
A liaison reads only those they are part of: where their own Person record
(``user.person``) is one of the two ends.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Relationship, User


def _linked_person_id(actor: User) -> int | None:
    try:
        return actor.person.pk
    except (ObjectDoesNotExist, AttributeError):
        return None


def relationships_visible_to(actor: User) -> QuerySet[Relationship]:
    """Relationships ``actor`` may read, with both ends and the owner."""
    queryset = Relationship.objects.select_related("person", "other_person", "organization", "owner")
    if actor.has_perm("stakeholders.view_relationship"):
        return queryset
    person_id = _linked_person_id(actor)
    if actor.is_authenticated and person_id is not None:
        return queryset.filter(Q(person_id=person_id) | Q(other_person_id=person_id))
    return queryset.none()


def relationship_for_user(actor: User, pk: int) -> Relationship:
    """One relationship, or 404 when ``actor`` may not read it."""
    return get_object_or_404(relationships_visible_to(actor), pk=pk)


def relationships_of_person(actor: User, person_id: int) -> QuerySet[Relationship]:
    """The relationships of one person (either end) that ``actor`` may read."""
    return relationships_visible_to(actor).filter(Q(person_id=person_id) | Q(other_person_id=person_id))


def relationship_rows(relationships: QuerySet[Relationship]) -> QuerySet[dict]:
    """The columns a relationship list row shows, both ends and the owner included, in one query
    (for a page's slice of :func:`relationships_visible_to`)."""
    return relationships.values(
        "pk",
        "kind",
        "strength",
        "end_date",
        "person_id",
        "other_person_id",
        person_first_name=F("person__first_name"),
        person_preferred_name=F("person__preferred_name"),
        person_last_name=F("person__last_name"),
        other_person_first_name=F("other_person__first_name"),
        other_person_preferred_name=F("other_person__preferred_name"),
        other_person_last_name=F("other_person__last_name"),
        organization_name=F("organization__name"),
        owner_first_name=F("owner__first_name"),
        owner_last_name=F("owner__last_name"),
        owner_username=F("owner__username"),
    )
