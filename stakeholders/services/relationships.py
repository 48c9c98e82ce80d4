"""Writes for relationships: who is connected to whom, and who owns the connection."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Organization, Person, Relationship, User
from .government import history_context


def _check_target(person: Person, other_person: Person | None, organization: Organization | None) -> None:
    if other_person is None and organization is None:
        raise ValidationError({"other_person": _("Choose another person or an organization.")})
    if other_person is not None and organization is not None:
        raise ValidationError({"organization": _("Choose either another person or an organization, not both.")})
    if other_person is not None and other_person.pk == person.pk:
        raise ValidationError({"other_person": _("A person cannot have a relationship with themselves.")})


def relationship_create(
    *,
    person: Person,
    other_person: Person | None = None,
    organization: Organization | None = None,
    kind: str = Relationship.Kind.WORKS_WITH,
    strength: int = 3,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    owner: User | None = None,
    notes: str = "",
    actor: User | None = None,
) -> Relationship:
    """Record that ``person`` is connected to another person or an organization."""
    _check_target(person, other_person, organization)
    with transaction.atomic(), history_context(actor):
        relationship = Relationship(
            person=person,
            other_person=other_person,
            organization=organization,
            kind=kind,
            strength=strength,
            start_date=start_date,
            end_date=end_date,
            owner=owner,
            notes=notes,
        )
        relationship.full_clean()
        relationship.save()
    return relationship


def relationship_update(
    *,
    relationship: Relationship,
    other_person: Person | None,
    organization: Organization | None,
    kind: str,
    strength: int,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    owner: User | None,
    notes: str = "",
    actor: User | None = None,
) -> Relationship:
    """Change a relationship: its target, kind, strength, dates, owner or notes."""
    _check_target(relationship.person, other_person, organization)
    with transaction.atomic(), history_context(actor):
        relationship.other_person = other_person
        relationship.organization = organization
        relationship.kind = kind
        relationship.strength = strength
        relationship.start_date = start_date
        relationship.end_date = end_date
        relationship.owner = owner
        relationship.notes = notes
        relationship.full_clean()
        relationship.save(
            update_fields=[
                "other_person",
                "organization",
                "kind",
                "strength",
                "start_date",
                "end_date",
                "owner",
                "notes",
                "updated_at",
            ]
        )
    return relationship


def relationship_end(*, relationship: Relationship, end_date: datetime.date, actor: User | None = None) -> Relationship:
    """Record that a relationship ended on ``end_date``; it stays on record."""
    with transaction.atomic(), history_context(actor):
        if relationship.end_date is not None:
            raise ValidationError({"end_date": _("This relationship has already ended.")})
        if relationship.start_date and end_date < relationship.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        relationship.end_date = end_date
        relationship.save(update_fields=["end_date", "updated_at"])
    return relationship
