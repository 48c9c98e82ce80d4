"""Writes for the coalition domain. Views, the admin and commands all call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Department, Organization, Person, User

from .models import (
    Agreement,
    AllyStance,
    Coalition,
    Goal,
    GoalProgress,
    Influence,
    MemberResource,
    Membership,
    RiskSettings,
    Stance,
    StanceChange,
    WorkingGroup,
)


def coalition_create(
    *,
    name: str,
    mission_what: str = "",
    mission_why: str = "",
    mission_measure: str = "",
    status: str = Coalition.Status.ACTIVE,
    start_date: datetime.date | None = None,
    coordinators: Iterable[User] = (),
) -> Coalition:
    """Create a coalition with its charter and coordinators."""
    with transaction.atomic():
        coalition = Coalition(
            name=name,
            mission_what=mission_what,
            mission_why=mission_why,
            mission_measure=mission_measure,
            status=status,
            start_date=start_date,
        )
        coalition.full_clean()
        coalition.save()
        coalition.coordinators.set(list(coordinators))
    return coalition


_UNCHANGED = object()


def coalition_update(
    *,
    coalition: Coalition,
    name: str | object = _UNCHANGED,
    mission_what: str | object = _UNCHANGED,
    mission_why: str | object = _UNCHANGED,
    mission_measure: str | object = _UNCHANGED,
    status: str | object = _UNCHANGED,
    start_date: datetime.date | None | object = _UNCHANGED,
    coordinators: Iterable[User] | None = None,
) -> Coalition:
    """Change the charter fields that are given (and, when given, the coordinators)."""
    given = {
        "name": name,
        "mission_what": mission_what,
        "mission_why": mission_why,
        "mission_measure": mission_measure,
        "status": status,
        "start_date": start_date,
    }
    changed = {field: value for field, value in given.items() if value is not _UNCHANGED}
    with transaction.atomic():
        for field, value in changed.items():
            setattr(coalition, field, value)
        coalition.full_clean()
        coalition.save(update_fields=[*changed, "updated_at"])
        if coordinators is not None:
            coalition.coordinators.set(list(coordinators))
    return coalition


def membership_add(
    *,
    coalition: Coalition,
    organization: Organization | None = None,
    person: Person | None = None,
    role: str = Membership.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> Membership:
    """Add an organization or a person (exactly one) to a coalition."""
    if (organization is None) == (person is None):
        raise ValidationError({"organization": _("Choose either an organization or a person, not both.")})
    with transaction.atomic():
        membership = Membership(
            coalition=coalition,
            organization=organization,
            person=person,
            role=role,
            joined_on=joined_on or timezone.localdate(),
        )
        membership.full_clean()
        membership.save()
    return membership


def membership_end(*, membership: Membership, left_on: datetime.date | None = None) -> Membership:
    """Record that a member left the coalition."""
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This member has already left.")})
    with transaction.atomic():
        membership.left_on = left_on or timezone.localdate()
        membership.full_clean()
        membership.save(update_fields=["left_on", "updated_at"])
    return membership


def resource_add(*, membership: Membership, kind: str, note: str = "") -> MemberResource:
    """Record a resource a member brings."""
    if not membership.is_active:
        raise ValidationError({"membership": _("This member has left; add the resource to a current member.")})
    with transaction.atomic():
        resource = MemberResource(membership=membership, kind=kind, note=note)
        resource.full_clean()
        resource.save()
    return resource


def goal_create(
    *,
    coalition: Coalition,
    metric: str,
    target: Decimal,
    unit: str = "",
    baseline: Decimal = Decimal("0"),
    due_date: datetime.date | None = None,
) -> Goal:
    """Create a measurable goal."""
    with transaction.atomic():
        goal = Goal(coalition=coalition, metric=metric, unit=unit, baseline=baseline, target=target, due_date=due_date)
        goal.full_clean()
        goal.save()
    return goal


def goal_progress_record(
    *,
    goal: Goal,
    value: Decimal,
    recorded_on: datetime.date | None = None,
    note: str = "",
    recorded_by: User | None = None,
) -> GoalProgress:
    """Record the value of a goal's metric on a date (today unless given)."""
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("Progress cannot be recorded for a future date.")})
    with transaction.atomic():
        progress = GoalProgress(goal=goal, value=value, recorded_on=recorded_on, note=note, recorded_by=recorded_by)
        progress.full_clean()
        progress.save()
    return progress


def working_group_create(
    *,
    coalition: Coalition,
    name: str,
    purpose: str = "",
    departments: Iterable[Department] = (),
    people: Iterable[Person] = (),
) -> WorkingGroup:
    """Create a cross-departmental working group."""
    with transaction.atomic():
        group = WorkingGroup(coalition=coalition, name=name, purpose=purpose)
        group.full_clean()
        group.save()
        group.departments.set(list(departments))
        group.people.set(list(people))
    return group


def agreement_create(
    *,
    coalition: Coalition,
    title: str,
    kind: str = Agreement.Kind.MOU,
    parties: Iterable[Organization] = (),
    signed_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    data_categories: str = "",
    document: UploadedFile | None = None,
) -> Agreement:
    """Record an agreement and store its uploaded document (type and size are validated)."""
    with transaction.atomic():
        agreement = Agreement(
            coalition=coalition,
            title=title,
            kind=kind,
            signed_on=signed_on,
            expires_on=expires_on,
            data_categories=data_categories,
        )
        if document is not None:
            agreement.document = document
        agreement.full_clean()
        agreement.save()
        agreement.parties.set(list(parties))
    return agreement


def stance_set(
    *,
    coalition: Coalition,
    person: Person,
    stance: str,
    influence: str = Influence.MEDIUM,
    owner: User | None = None,
    notes: str | None = None,
    changed_by: User | None = None,
    note: str = "",
) -> AllyStance:
    """Create or change a person's stance in a coalition and keep the change as dated history.

    A history row (who, when, from, to) is written whenever the stance, the
    influence or the owner is new or changes; a call that changes nothing
    writes none.
    """
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose a stance from the list.")})
    if influence not in Influence.values:
        raise ValidationError({"influence": _("Choose an influence from the list.")})
    with transaction.atomic():
        ally = AllyStance.objects.select_for_update().filter(coalition=coalition, person=person).first()
        if ally is None:
            ally = AllyStance(
                coalition=coalition, person=person, stance=stance, influence=influence, owner=owner, notes=notes or ""
            )
            ally.full_clean()
            ally.save()
            StanceChange.objects.create(
                ally_stance=ally,
                changed_by=changed_by,
                to_stance=stance,
                to_influence=influence,
                to_owner=owner,
                note=note,
            )
            return ally
        before = (ally.stance, ally.influence, ally.owner_id)
        if before == (stance, influence, owner.pk if owner else None) and (notes is None or notes == ally.notes):
            return ally
        ally.stance, ally.influence, ally.owner = stance, influence, owner
        update_fields = ["stance", "influence", "owner", "updated_at"]
        if notes is not None:
            ally.notes = notes
            update_fields.append("notes")
        ally.full_clean()
        ally.save(update_fields=update_fields)
        if before != (stance, influence, ally.owner_id):
            StanceChange.objects.create(
                ally_stance=ally,
                changed_by=changed_by,
                from_stance=before[0],
                to_stance=stance,
                from_influence=before[1],
                to_influence=influence,
                from_owner_id=before[2],
                to_owner=owner,
                note=note,
            )
    return ally


def stance_owner_transfer(
    *, from_user: User, to_user: User, changed_by: User | None = None, note: str = ""
) -> list[int]:
    """Give every stance ``from_user`` owns to ``to_user`` (a handover), keeping the history.

    One dated ``StanceChange`` per stance records the change of owner (stance and influence
    unchanged), written in bulk; returns the ids of the stances moved.
    """
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": _("Choose a new owner other than the current one.")})
    with transaction.atomic():
        stances = list(
            AllyStance.objects.select_for_update()
            .filter(owner=from_user)
            .order_by("pk")
            .values("pk", "stance", "influence")
        )
        if not stances:
            return []
        ids = [row["pk"] for row in stances]
        now = timezone.now()
        AllyStance.objects.filter(pk__in=ids).update(owner=to_user, updated_at=now)
        StanceChange.objects.bulk_create(
            StanceChange(
                ally_stance_id=row["pk"],
                changed_at=now,
                changed_by=changed_by,
                from_stance=row["stance"],
                to_stance=row["stance"],
                from_influence=row["influence"],
                to_influence=row["influence"],
                from_owner=from_user,
                to_owner=to_user,
                note=note,
            )
            for row in stances
        )
    return ids


def risk_settings_update(*, term_end_window_days: int, ballot_window_days: int, no_contact_days: int) -> RiskSettings:
    """Change the ally map's continuity risk thresholds."""
    with transaction.atomic():
        risk_settings = RiskSettings.load()
        risk_settings.term_end_window_days = term_end_window_days
        risk_settings.ballot_window_days = ballot_window_days
        risk_settings.no_contact_days = no_contact_days
        risk_settings.full_clean()
        risk_settings.save(
            update_fields=["term_end_window_days", "ballot_window_days", "no_contact_days", "updated_at"]
        )
    return risk_settings
