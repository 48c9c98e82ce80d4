"""Reads of engagements and commitments, always starting from the user who asks.

- Staff, coordinators and admins (``view_all_engagements``) see every logged engagement.
- Liaisons see the engagements they facilitated (as a person or as a user) or logged.
- Drafts are seen only by whoever started them.
- Coordinators and admins (``change_engagement``) edit any engagement; anyone who may
  log edits the ones they logged.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from coalition.counts import related_count
from stakeholders.models import Department, Language, Organization, Person, User
from stakeholders.selectors.people import organization_for_user, person_for_user

from ..models import Attendance, AttendanceBreakdown, CalendarFeed, Commitment, Engagement, InputItem, LoopBack, Theme


def engagements_visible_to(user: User, *, include_drafts: bool = False) -> QuerySet[Engagement]:
    """Logged engagements ``user`` may see (plus their own drafts when asked)."""
    if not user.is_authenticated or not user.has_perm("engagements.view_engagement"):
        return Engagement.objects.none()
    visible = Q(status=Engagement.Status.LOGGED)
    if not user.has_perm("engagements.view_all_engagements"):
        # The ids of the user's own engagements, each list found through an index from
        # the user's side; one filter across the facilitator joins scanned all 30,000.
        logged = Engagement.objects.filter(created_by=user).order_by().values("pk")
        visible &= Q(pk__in=logged.union(*facilitated_ids(user)))
    if include_drafts:
        visible |= Q(status=Engagement.Status.DRAFT, created_by=user)
    return Engagement.objects.filter(visible)


def facilitated_ids(user: User) -> tuple[QuerySet, QuerySet]:
    """The ids of the engagements ``user`` facilitated, as a user and as a person: two
    lists read from the link tables through their user and person indexes, for
    ``Q(pk__in=first.union(second))``."""
    return (
        Engagement.facilitator_users.through.objects.filter(user=user).values("engagement_id"),
        Engagement.facilitator_people.through.objects.filter(person__user=user).values("engagement_id"),
    )


def _names(model: type[Model], related_name: str) -> ArraySubquery:
    """The names of the ``model`` rows linked to the outer engagement (or item), in name order."""
    return ArraySubquery(model.objects.filter(**{related_name: OuterRef("pk")}).order_by("name").values("name"))


def _commitment_count() -> Coalesce:
    return related_count(Commitment.objects.all(), "engagement")


def engagement_list_for(user: User) -> QuerySet[Engagement]:
    """Visible engagements with what a list row shows, in a fixed number of queries."""
    return (
        engagements_visible_to(user)
        .select_related("neighborhood", "coalition", "created_by")
        .prefetch_related("languages", "host_organizations", "departments")
        # A correlated subquery, not a join + GROUP BY: the paginator's COUNT then drops it
        # and counts the engagements alone instead of grouping every row of the table.
        .annotate(commitment_count=_commitment_count())
        .order_by(F("starts_at").desc(nulls_last=True), "-pk")
    )


def engagement_rows(engagements: QuerySet[Engagement]) -> QuerySet[dict]:
    """The columns an engagement list row shows, languages and hosts included, in one query
    (for the page's slice of :func:`engagement_list_for`)."""
    return engagements.prefetch_related(None).values(
        "pk",
        "title",
        "kind",
        "starts_at",
        "attendance_total",
        "commitment_count",
        neighborhood_name=F("neighborhood__name"),
        language_names=_names(Language, "engagements"),
        host_names=_names(Organization, "hosted_engagements"),
    )


def engagement_for_user(user: User, pk: int) -> Engagement:
    """One engagement with everything its page shows, or 404 when ``user`` may not see it."""
    queryset = (
        engagements_visible_to(user, include_drafts=True)
        .select_related("neighborhood", "coalition", "created_by")
        .prefetch_related(
            "languages",
            "interpretation_languages",
            "host_organizations",
            "facilitator_people",
            "facilitator_users",
            "departments",
            "breakdowns__option__category",
            "attendances__person",
            Prefetch("input_items", queryset=InputItem.objects.prefetch_related("themes")),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("owner", "department").prefetch_related(
                    "input_items", "loop_backs"
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def engagement_detail_for(user: User, pk: int) -> Engagement:
    """One engagement with what its page shows, or 404 when ``user`` may not see it.

    Like :func:`engagement_for_user`, in 8 queries instead of 17: the names of its
    languages, hosts and departments come as arrays on the engagement row, each item
    carries its theme names, and the breakdowns, attendees and commitments join what
    they show (a commitment counts its loop-backs instead of fetching them)."""
    queryset = (
        engagements_visible_to(user, include_drafts=True)
        .select_related("neighborhood", "coalition", "created_by")
        .annotate(
            language_names=_names(Language, "engagements"),
            interpretation_language_names=_names(Language, "interpreted_engagements"),
            host_names=_names(Organization, "hosted_engagements"),
            department_names=_names(Department, "engagements"),
        )
        .prefetch_related(
            "facilitator_people",
            "facilitator_users",
            Prefetch("breakdowns", queryset=AttendanceBreakdown.objects.select_related("option__category")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("person")),
            Prefetch("input_items", queryset=InputItem.objects.annotate(theme_names=_names(Theme, "input_items"))),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("owner", "department").annotate(
                    loop_back_count=related_count(LoopBack.objects.all(), "commitment")
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def can_edit_engagement(user: User, engagement: Engagement) -> bool:
    if user.has_perm("engagements.change_engagement") and not engagement.is_draft:
        return True
    return engagement.created_by_id == user.pk and user.has_perm("engagements.add_engagement")


def engagement_for_edit(user: User, pk: int) -> Engagement:
    """An engagement ``user`` may edit: 404 when not visible, 403 when visible but not theirs to change."""
    engagement = engagement_for_user(user, pk)
    if not can_edit_engagement(user, engagement):
        raise PermissionDenied
    return engagement


def drafts_of(user: User) -> QuerySet[Engagement]:
    """The user's unfinished quick logs, newest first."""
    return Engagement.objects.filter(status=Engagement.Status.DRAFT, created_by=user).order_by("-updated_at")


def published_engagement(token: str) -> Engagement:
    """The engagement behind a public "You said, we did" address, or 404 if it is not published."""
    queryset = Engagement.objects.filter(is_published=True, status=Engagement.Status.LOGGED).prefetch_related(
        Prefetch("input_items", queryset=InputItem.objects.prefetch_related("themes")),
        Prefetch(
            "commitments",
            # The assessment joined, not fetched: the page shows it only when published.
            queryset=Commitment.objects.select_related("department", "equity_assessment").prefetch_related(
                Prefetch("loop_backs", queryset=LoopBack.objects.prefetch_related("languages"))
            ),
        ),
        "languages",
    )
    return get_object_or_404(queryset.select_related("neighborhood"), public_token=token)


def commitments_visible_to(user: User) -> QuerySet[Commitment]:
    """Commitments of the engagements ``user`` may see."""
    if not user.has_perm("engagements.view_commitment"):
        return Commitment.objects.none()
    if user.has_perm("engagements.view_engagement") and user.has_perm("engagements.view_all_engagements"):
        # Every logged engagement, said as "not on a draft" (an engagement is one or the
        # other): PostgreSQL then anti-joins the few drafts instead of hashing every
        # logged engagement, which made the accountability page's COUNT cost ~10 ms.
        on_draft = Engagement.objects.filter(pk=OuterRef("engagement_id"), status=Engagement.Status.DRAFT)
        return Commitment.objects.filter(~Exists(on_draft))
    return Commitment.objects.filter(engagement__in=engagements_visible_to(user).values("pk"))


def commitment_list_for(user: User) -> QuerySet[Commitment]:
    """Visible commitments in the accountability page's order, with their loop-back count.

    No ``select_related``: the page counts this queryset and reads its rows' columns
    with :func:`commitment_rows`."""
    return (
        commitments_visible_to(user)
        .annotate(loop_back_count=related_count(LoopBack.objects.all(), "commitment"))
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def commitment_rows(commitments: QuerySet[Commitment]) -> QuerySet[dict]:
    """The columns an accountability row shows, one query for the page (of :func:`commitment_list_for`)."""
    return commitments.values(
        "pk",
        "description",
        "due_on",
        "status",
        "engagement_id",
        "loop_back_count",
        engagement_title=F("engagement__title"),
        owner_first_name=F("owner__first_name"),
        owner_last_name=F("owner__last_name"),
        owner_username=F("owner__username"),
        department_name=F("department__name"),
        assessment_id=F("equity_assessment__id"),
        assessment_status=F("equity_assessment__status"),
    )


def commitment_for_user(user: User, pk: int) -> Commitment:
    """One commitment with its history, or 404 when ``user`` may not see its engagement."""
    queryset = (
        commitments_visible_to(user)
        .select_related("engagement", "owner", "department")
        .prefetch_related(
            "input_items",
            Prefetch(
                "loop_backs", queryset=LoopBack.objects.prefetch_related("languages").select_related("recorded_by")
            ),
            "status_changes__changed_by",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def attendee_candidates(user: User, query: str, *, limit: int = 8) -> QuerySet[Person]:
    """People ``user`` may pick as attendees, matching ``query`` by name, email or phone."""
    if not user.has_perm("engagements.add_engagement"):
        return Person.objects.none()
    query = " ".join(query.split())
    if len(query) < 2:
        return Person.objects.none()
    condition = Q()
    for word in query.split(" "):
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return Person.objects.filter(condition).order_by("last_name", "first_name", "pk")[:limit]


def attendees_pickable_by(user: User) -> QuerySet[Person]:
    """Every person ``user`` may name as an attendee (to check submitted ids)."""
    if not user.has_perm("engagements.add_engagement"):
        return Person.objects.none()
    return Person.objects.all()


def person_for_panel(user: User, pk: int) -> tuple[Person, QuerySet[Engagement]]:
    """A person and the engagements ``user`` may see that they attended or facilitated;
    404 when ``user`` may not see the person."""
    if not user.has_perm("engagements.view_engagement"):
        raise PermissionDenied
    person = person_for_user(user, pk)
    engagements = (
        engagement_list_for(user)
        .filter(
            Q(pk__in=person.attendances.values("engagement_id"))
            | Q(pk__in=Engagement.facilitator_people.through.objects.filter(person=person).values("engagement_id"))
        )
        .distinct()
    )
    return person, engagements


def organization_for_panel(user: User, pk: int) -> tuple[Organization, QuerySet[Engagement]]:
    """An organization and the engagements ``user`` may see that it hosted; 404 when
    ``user`` may not see the organization."""
    if not user.has_perm("engagements.view_engagement"):
        raise PermissionDenied
    organization = organization_for_user(user, pk)
    return organization, engagement_list_for(user).filter(host_organizations=organization)


def calendar_engagements_for(feed_token: str) -> tuple[User, QuerySet[Engagement]]:
    """The owner of a live feed token and the visible engagements they logged or facilitated, or 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=feed_token, user__is_active=True)
    user = feed.user
    mine = Engagement.objects.filter(
        Q(created_by=user) | Q(facilitator_users=user) | Q(facilitator_people__user=user)
    ).values("pk")
    return user, engagements_visible_to(user).filter(pk__in=mine).select_related("neighborhood")
