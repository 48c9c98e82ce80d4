"""Reads for follow-ups and the home page, starting from the user who asks."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Exists, F, IntegerField, Model, OuterRef, Q, QuerySet, Value, prefetch_related_objects
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


class FollowUpInbox:
    """Follow-ups in inbox order: open (and woken snoozed) first, then snoozed, then closed;
    due soonest first. Sliced and counted like a queryset, so a ``Paginator`` takes it.

    One ``ORDER BY rank, due_on`` over all of a user's follow-ups would make PostgreSQL
    read and sort every one of them (thousands) for each page. A slice ``[start:stop]``
    is instead one ``UNION ALL`` of the three ranks, each walking its own index
    (``followup_actionable_due``, ``followup_inbox``, ``followup_closed_due``) in due
    order and stopping after ``stop`` rows; only those are sorted into the page."""

    def __init__(self, followups: QuerySet[FollowUp], *, today: datetime.date) -> None:
        self._followups = followups
        self._today = today

    def count(self) -> int:
        return self._followups.count()

    def __getitem__(self, key: slice) -> list[FollowUp]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("An inbox is read a slice at a time.")
        start, stop = key.start or 0, key.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        status = FollowUp.Status
        woken = Q(status=status.SNOOZED, snoozed_until__lte=self._today)
        ranks = [
            Q(status=status.OPEN) | woken,
            Q(status=status.SNOOZED) & ~woken,
            ~Q(status__in=[status.OPEN, status.SNOOZED]),
        ]
        first, *rest = (
            self._followups.filter(condition)
            .annotate(rank=Value(rank, output_field=IntegerField()))
            .order_by("due_on", "pk")[:stop]
            for rank, condition in enumerate(ranks)
        )
        page = list(first.union(*rest, all=True).order_by("rank", "due_on", "pk")[start:stop])
        prefetch_related_objects(
            page,
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
            ),
        )
        return page


def followups_inbox(followups: QuerySet[FollowUp], *, today: datetime.date) -> FollowUpInbox:
    """``followups`` (from ``followups_visible_to``, perhaps filtered) in inbox order.

    No join to the content types: the subjects' prefetch takes each row's content type
    from Django's content-type cache."""
    return FollowUpInbox(followups.select_related(None), today=today)


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

    Two correlated ``EXISTS`` (not ``person_id IN (...)``): PostgreSQL then probes the
    relationships of each tenure the query reaches (a few hundred at most: the horizon's)
    by the person indexes, instead of hashing every relationship the user owns
    (thousands in a large city) for each query."""
    mine = Relationship.objects.filter(owner=user).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return Q(Exists(mine.filter(person_id=OuterRef("person_id")))) | Q(
        Exists(mine.filter(other_person_id=OuterRef("person_id")))
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
