"""Reads for follow-ups and the home page, starting from the user who asks."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Case, F, IntegerField, Model, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from coalition.models import Agreement, AllyStance
from coalition.selectors import coalitions_visible_to
from stakeholders.models import LiaisonProfile, Person, Relationship, Tenure, User
from stakeholders.roles import Role

from ..models import Commitment, Engagement, FollowUp, Handover
from .engagements import commitments_visible_to, engagements_visible_to


def followups_visible_to(user: User) -> QuerySet[FollowUp]:
    """A user sees their own follow-ups and nobody else's."""
    if not user.is_authenticated:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(user=user).select_related("content_type")


def followup_for_user(user: User, pk: int) -> FollowUp:
    """One of ``user``'s follow-ups, or 404."""
    return get_object_or_404(followups_visible_to(user), pk=pk)


def followups_inbox(user: User, *, today: datetime.date) -> QuerySet[FollowUp]:
    """The inbox: open (and woken snoozed) first, then snoozed, then closed; due soonest first."""
    actionable = Q(status=FollowUp.Status.OPEN) | Q(status=FollowUp.Status.SNOOZED, snoozed_until__lte=today)
    return (
        followups_visible_to(user)
        # No join to the content types: PostgreSQL would join every follow-up of the user
        # before sorting them (twice the time); the subjects' prefetch takes each row's
        # content type from Django's content-type cache.
        .select_related(None)
        .prefetch_related(
            GenericPrefetch(
                "subject",
                [
                    Person.objects.all(),
                    Tenure.objects.select_related("person", "position"),
                    User.objects.all(),
                    Engagement.objects.all(),
                    Commitment.objects.all(),
                    Agreement.objects.all(),
                    AllyStance.objects.all(),
                    LiaisonProfile.objects.all(),
                ],
            )
        )
        .annotate(
            rank=Case(
                When(actionable, then=Value(0)),
                When(status=FollowUp.Status.SNOOZED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "due_on", "pk")
    )


def home_followups(user: User, *, today: datetime.date, limit: int = 10) -> QuerySet[FollowUp]:
    """The inbox's first rank (open, and snoozed ones woken by ``today``), soonest due first.

    Said as ``actionable`` rather than as the inbox's rank, so PostgreSQL walks the
    ``followup_actionable_due`` index in order and stops after ``limit`` rows."""
    return followups_visible_to(user).select_related(None).actionable(today).order_by("due_on", "pk")[:limit]


def followup_open_count(user: User, *, today: datetime.date) -> int:
    """How many follow-ups need ``user``'s attention now (one COUNT query)."""
    return FollowUp.objects.filter(user=user).actionable(today).count()


def _people_staff_may_see(actor: User) -> QuerySet[Person]:
    if actor.has_role(Role.STAFF, Role.COORDINATOR, Role.ADMIN):
        return Person.objects.all()
    return Person.objects.none()


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """Coalition agreements of the coalitions ``user`` may see."""
    return Agreement.objects.filter(coalition__in=coalitions_visible_to(user).values("pk"))


#: Records a follow-up can be created from by hand: "app_label.model" → who may see which.
FOLLOWUP_SUBJECTS: dict[str, Callable[[User], QuerySet]] = {
    "stakeholders.person": _people_staff_may_see,
    "engagements.engagement": engagements_visible_to,
    "engagements.commitment": commitments_visible_to,
    "coalition.agreement": agreements_visible_to,
}


def followup_subject_for_user(actor: User, *, model_label: str, pk: int) -> Model:
    """The record a manual follow-up is about, or 404 when ``actor`` may not see it."""
    visible = FOLLOWUP_SUBJECTS.get(model_label.lower())
    if visible is None:
        raise Http404("No follow-ups on this kind of record.")
    return get_object_or_404(visible(actor), pk=pk)


def handovers_visible_to(actor: User) -> QuerySet[Handover]:
    if not actor.has_perm("engagements.view_handover"):
        return Handover.objects.none()
    return Handover.objects.select_related("from_user", "to_user", "performed_by")


def _my_people(user: User, today: datetime.date) -> Q:
    """Tenures held by someone at either end of a current relationship ``user`` owns.

    A condition on the tenure's ``person_id`` (not a ``Person`` subquery): PostgreSQL then
    checks each tenure against the two short id lists, instead of scanning every person."""
    mine = Relationship.objects.filter(owner=user).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return Q(person_id__in=mine.values("person_id")) | Q(
        person_id__in=mine.exclude(other_person=None).values("other_person_id")
    )


def home_elections(user: User, *, today: datetime.date, days: int = 180) -> list[dict]:
    """Elections in the next ``days`` with a seat held by someone ``user`` has a relationship with.

    One query: each row is a (election, position, holder)."""
    rows = (
        Tenure.objects.filter(
            _my_people(user, today),
            actual_end_date__isnull=True,
            position__elections__date__gte=today,
            position__elections__date__lte=today + datetime.timedelta(days=days),
        )
        .values(
            "position__elections__id",
            "position__elections__name",
            "position__elections__date",
            "position__title",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
        .order_by("position__elections__date", "position__title")
    )
    return [
        {
            "election_id": row["position__elections__id"],
            "election": row["position__elections__name"],
            "date": row["position__elections__date"],
            "position": row["position__title"],
            "holder": " ".join(
                part
                for part in (row["person__preferred_name"] or row["person__first_name"], row["person__last_name"])
                if part
            ),
        }
        for row in rows[:50]
    ]


def home_term_ends(user: User, *, today: datetime.date, days: int = 180) -> QuerySet[dict]:
    """Current tenures of people ``user`` knows whose planned end is in the next ``days``:
    the columns a home row shows."""
    return (
        Tenure.objects.filter(
            _my_people(user, today),
            actual_end_date__isnull=True,
            planned_end_date__gte=today,
            planned_end_date__lte=today + datetime.timedelta(days=days),
        )
        .order_by("planned_end_date", "pk")
        .values(
            "pk",
            "planned_end_date",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "position__title",
        )[:50]
    )


def home_commitments_due(user: User, *, today: datetime.date, limit: int = 50) -> QuerySet[dict]:
    """Open commitments ``user`` owns that are due by the end of this month, overdue ones
    included (they are still due), soonest first: the columns a home row shows. One query."""
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return (
        Commitment.objects.filter(
            owner=user,
            engagement__status=Engagement.Status.LOGGED,
            due_on__lt=next_month,
        )
        .exclude(status__in=[Commitment.Status.DONE, Commitment.Status.DECLINED])
        .order_by("due_on", "pk")
        .values("pk", "description", "due_on", "status", engagement_title=F("engagement__title"))[:limit]
    )
