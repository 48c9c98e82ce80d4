"""Writes for the government structure: departments, positions, tenures, elections.

Turnover is the heart of it: ``tenure_start`` on a single-seat position ends the
current holder's tenure in the same transaction, and every start and end is
announced (``stakeholders.events``) only once the transaction commits.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import events
from ..models import Department, Election, Person, Position, Tenure, User


def history_context(actor: User | None):
    """Who made the change, recorded with each history event of the block."""
    if actor is None or not actor.pk:
        return contextlib.nullcontext()
    return pghistory.context(user=actor.pk)


def _check_parent(department: Department, parent: Department | None) -> None:
    ancestor = parent
    while ancestor is not None and department.pk:
        if ancestor.pk == department.pk:
            raise ValidationError({"parent": _("A department cannot be part of itself or of its own sub-department.")})
        ancestor = ancestor.parent


def department_create(
    *, name: str, abbreviation: str = "", parent: Department | None = None, actor: User | None = None
) -> Department:
    """Create a department, optionally nested under ``parent``."""
    with transaction.atomic(), history_context(actor):
        department = Department(name=name, abbreviation=abbreviation, parent=parent)
        department.full_clean()
        department.save()
    return department


def department_update(
    *,
    department: Department,
    name: str,
    abbreviation: str = "",
    parent: Department | None = None,
    actor: User | None = None,
) -> Department:
    """Rename or move a department; refuses to make it part of its own subtree."""
    with transaction.atomic(), history_context(actor):
        _check_parent(department, parent)
        department.name = name
        department.abbreviation = abbreviation
        department.parent = parent
        department.full_clean()
        department.save(update_fields=["name", "abbreviation", "parent", "updated_at"])
    return department


def position_create(
    *,
    title: str,
    department: Department,
    level: str = Position.Level.STAFF,
    is_multi_seat: bool = False,
    actor: User | None = None,
) -> Position:
    """Create a position in ``department``."""
    with transaction.atomic(), history_context(actor):
        position = Position(title=title, department=department, level=level, is_multi_seat=is_multi_seat)
        position.full_clean()
        position.save()
    return position


def position_update(
    *,
    position: Position,
    title: str,
    department: Department,
    level: str,
    is_multi_seat: bool,
    actor: User | None = None,
) -> Position:
    """Change a position. Making it single-seat is refused while several people hold it."""
    with transaction.atomic(), history_context(actor):
        position = Position.objects.select_for_update().get(pk=position.pk)
        seat_count_changed = position.is_multi_seat != is_multi_seat
        if seat_count_changed and not is_multi_seat:
            holders = position.tenures.filter(actual_end_date__isnull=True).count()
            if holders > 1:
                raise ValidationError(
                    {
                        "is_multi_seat": _(
                            "%(count)d people hold this position now. End all but one tenure before making it "
                            "single-seat."
                        )
                        % {"count": holders}
                    }
                )
        position.title = title
        position.department = department
        position.level = level
        position.is_multi_seat = is_multi_seat
        position.full_clean()
        position.save(update_fields=["title", "department", "level", "is_multi_seat", "updated_at"])
        if seat_count_changed:
            position.tenures.update(holds_single_seat=not is_multi_seat)
    return position


def _check_planned_end(start_date: datetime.date, planned_end_date: datetime.date | None) -> None:
    if planned_end_date is not None and planned_end_date < start_date:
        raise ValidationError({"planned_end_date": _("The planned end cannot be before the start.")})


def _end(tenure: Tenure, *, end_date: datetime.date, end_reason: str) -> None:
    if not tenure.is_current:
        raise ValidationError({"actual_end_date": _("This tenure has already ended.")})
    if end_reason not in Tenure.EndReason.values:
        raise ValidationError({"end_reason": _("Choose how the tenure ended.")})
    if end_date < tenure.start_date:
        raise ValidationError(
            {
                "actual_end_date": _("The end date cannot be before the tenure started (%(start)s).")
                % {"start": tenure.start_date.isoformat()}
            }
        )
    tenure.actual_end_date = end_date
    tenure.end_reason = end_reason
    tenure.full_clean(validate_constraints=False)
    tenure.save(update_fields=["actual_end_date", "end_reason", "updated_at"])


def tenure_end(*, tenure: Tenure, end_date: datetime.date, end_reason: str, actor: User | None = None) -> Tenure:
    """Record that ``tenure`` ended on ``end_date`` and how; announce the turnover after commit."""
    with transaction.atomic(), history_context(actor):
        tenure = Tenure.objects.select_for_update().select_related("person", "position").get(pk=tenure.pk)
        _end(tenure, end_date=end_date, end_reason=end_reason)
        transaction.on_commit(lambda: events.tenure_ended.send(sender=Tenure, tenure=tenure))
    return tenure


def tenure_start(
    *,
    position: Position,
    person: Person,
    start_date: datetime.date,
    planned_end_date: datetime.date | None = None,
    is_acting: bool = False,
    replaces: Tenure | None = None,
    replaced_end_date: datetime.date | None = None,
    replaced_end_reason: str = Tenure.EndReason.REPLACED,
    actor: User | None = None,
) -> Tenure:
    """``person`` starts holding ``position`` on ``start_date``.

    On a single-seat position the current holder's tenure (if any) ends in the
    same transaction, on ``replaced_end_date`` (default: the start date) with
    ``replaced_end_reason`` (default "replaced"). On a multi-seat position only
    the tenure passed as ``replaces`` ends. After commit, ``tenure_ended`` is sent
    for the replaced tenure and ``tenure_started`` with ``tenure`` and ``previous``.
    """
    _check_planned_end(start_date, planned_end_date)
    with transaction.atomic(), history_context(actor):
        # Lock the position so that two simultaneous starts queue up instead of racing.
        position = Position.objects.select_for_update().get(pk=position.pk)
        current = Tenure.objects.select_for_update().filter(position=position, actual_end_date__isnull=True)
        previous = None
        if replaces is not None:
            previous = current.filter(pk=replaces.pk).first()
            if previous is None:
                raise ValidationError(
                    {
                        "replaces": _("The tenure to replace is not a current tenure of %(position)s.")
                        % {"position": position}
                    }
                )
        elif not position.is_multi_seat:
            previous = current.first()
        if previous is not None and previous.person_id == person.pk:
            raise ValidationError({"person": _("%(person)s already holds this position.") % {"person": person}})
        if position.is_multi_seat and current.filter(person=person).exists():
            raise ValidationError({"person": _("%(person)s already holds this position.") % {"person": person}})
        if previous is not None:
            end_date = replaced_end_date or start_date
            if end_date > start_date:
                raise ValidationError(
                    {"actual_end_date": _("The previous holder must leave on or before the successor starts.")}
                )
            _end(previous, end_date=end_date, end_reason=replaced_end_reason)
        tenure = Tenure(
            position=position,
            person=person,
            start_date=start_date,
            planned_end_date=planned_end_date,
            is_acting=is_acting,
            holds_single_seat=not position.is_multi_seat,
        )
        tenure.full_clean()
        tenure.save()
        if previous is not None:
            ended = previous
            transaction.on_commit(lambda: events.tenure_ended.send(sender=Tenure, tenure=ended))
        transaction.on_commit(lambda: events.tenure_started.send(sender=Tenure, tenure=tenure, previous=previous))
    return tenure


def tenure_update(
    *,
    tenure: Tenure,
    start_date: datetime.date,
    planned_end_date: datetime.date | None,
    is_acting: bool,
    actor: User | None = None,
) -> Tenure:
    """Correct a tenure's dates (not its holder or position: that is a turnover)."""
    _check_planned_end(start_date, planned_end_date)
    with transaction.atomic(), history_context(actor):
        tenure.start_date = start_date
        tenure.planned_end_date = planned_end_date
        tenure.is_acting = is_acting
        tenure.full_clean()
        tenure.save(update_fields=["start_date", "planned_end_date", "is_acting", "updated_at"])
    return tenure


def election_create(
    *,
    name: str,
    jurisdiction: str,
    date: datetime.date,
    kind: str = Election.Kind.GENERAL,
    positions: Iterable[Position] = (),
    actor: User | None = None,
) -> Election:
    """Create an election with the positions on its ballot."""
    with transaction.atomic(), history_context(actor):
        election = Election(name=name, jurisdiction=jurisdiction, date=date, kind=kind)
        election.full_clean()
        election.save()
        election.positions.set(positions)
    return election


def election_update(
    *,
    election: Election,
    name: str,
    jurisdiction: str,
    date: datetime.date,
    kind: str,
    positions: Iterable[Position],
    actor: User | None = None,
) -> Election:
    """Change an election and the positions on its ballot."""
    with transaction.atomic(), history_context(actor):
        election.name = name
        election.jurisdiction = jurisdiction
        election.date = date
        election.kind = kind
        election.full_clean()
        election.save(update_fields=["name", "jurisdiction", "date", "kind", "updated_at"])
        election.positions.set(positions)
    return election
