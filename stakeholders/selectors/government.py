"""Reads of the government structure, starting from the user who asks.

Every role that holds ``view_department`` (staff, coordinators, admins,
liaisons) reads the whole structure; only coordinators and admins change it.
"""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from coalition.counts import related_count

from ..models import Department, Election, Position, Tenure, User


def current_tenures() -> QuerySet[Tenure]:
    """Tenures still running, with their holders, oldest first."""
    return Tenure.objects.filter(actual_end_date__isnull=True).select_related("person").order_by("start_date", "pk")


def departments_visible_to(actor: User) -> QuerySet[Department]:
    """Departments ``actor`` may read, with their parent and position counts.

    Counted per department (``related_count``), not by joining positions to their
    100,000 tenures and counting distinct positions: that join read every tenure
    the city ever had to show 60 rows.
    """
    if not actor.has_perm("stakeholders.view_department"):
        return Department.objects.none()
    open_tenure = Tenure.objects.filter(position=OuterRef("pk"), actual_end_date__isnull=True)
    return Department.objects.select_related("parent").annotate(
        position_count=related_count(Position.objects.all(), "department"),
        vacancy_count=related_count(Position.objects.filter(~Exists(open_tenure)), "department"),
    )


def department_for_user(actor: User, pk: int) -> Department:
    """One department, or 404 when ``actor`` may not read it."""
    if not actor.has_perm("stakeholders.view_department"):
        return get_object_or_404(Department.objects.none(), pk=pk)
    return get_object_or_404(Department.objects.select_related("parent"), pk=pk)


def positions_visible_to(actor: User) -> QuerySet[Position]:
    """Positions ``actor`` may read, with their department and current holders
    (``current_tenures``) prefetched."""
    if not actor.has_perm("stakeholders.view_position"):
        return Position.objects.none()
    return Position.objects.select_related("department").prefetch_related(
        Prefetch("tenures", queryset=current_tenures(), to_attr="current_tenures")
    )


def position_for_user(actor: User, pk: int) -> Position:
    """One position, or 404 when ``actor`` may not read it."""
    return get_object_or_404(positions_visible_to(actor), pk=pk)


def tenures_visible_to(actor: User) -> QuerySet[Tenure]:
    """Tenures ``actor`` may read, with person, position and department."""
    if not actor.has_perm("stakeholders.view_tenure"):
        return Tenure.objects.none()
    return Tenure.objects.select_related("person", "position", "position__department")


def tenure_for_user(actor: User, pk: int) -> Tenure:
    """One tenure, or 404 when ``actor`` may not read it."""
    return get_object_or_404(tenures_visible_to(actor), pk=pk)


def elections_visible_to(actor: User) -> QuerySet[Election]:
    """Elections ``actor`` may read, with the number of positions on each ballot."""
    if not actor.has_perm("stakeholders.view_election"):
        return Election.objects.none()
    return Election.objects.annotate(position_count=Count("positions")).order_by("date", "name")


def election_for_user(actor: User, pk: int) -> Election:
    """One election, or 404 when ``actor`` may not read it; positions on the ballot
    come prefetched with their department and current holders."""
    if not actor.has_perm("stakeholders.view_election"):
        return get_object_or_404(Election.objects.none(), pk=pk)
    return get_object_or_404(
        Election.objects.prefetch_related(
            Prefetch("positions", queryset=positions_visible_to(actor).order_by("department__name", "title"))
        ),
        pk=pk,
    )


def record_history(model: type[models.Model], object_ids: list[int]) -> list[dict]:
    """The pghistory events of the ``model`` rows ``object_ids``, newest first, each
    as ``{"when", "who", "label", "record", "changes": [(field, old, new), ...]}``.

    Two queries whatever the number of events: the events (with their context and
    related rows) and the users named in their contexts.
    """
    event_model = django_apps.get_model(model._meta.app_label, f"{model.__name__}Event")
    skip = {"created_at", "updated_at", "holds_single_seat"}  # bookkeeping, not news
    fields = [
        field
        for field in event_model._meta.concrete_fields
        if not field.name.startswith("pgh_") and field.name not in skip and field.name != "id"
    ]
    relations = [field.name for field in fields if field.is_relation]
    events = list(
        event_model.objects.filter(pgh_obj_id__in=object_ids)
        .select_related("pgh_context", *relations)
        .order_by("pgh_obj_id", "pgh_id")
    )
    user_ids = {
        event.pgh_context.metadata.get("user") for event in events if event.pgh_context_id and event.pgh_context
    }
    users = {user.pk: user for user in User.objects.filter(pk__in=[pk for pk in user_ids if pk])}

    def shown(event, field):
        if field.is_relation:
            return getattr(event, field.name)
        if field.choices:
            return getattr(event, f"get_{field.name}_display")()
        return getattr(event, field.attname)

    history, previous_by_object = [], {}
    for event in events:
        previous = previous_by_object.get(event.pgh_obj_id)
        changes = [
            (field.verbose_name, shown(previous, field) if previous else None, shown(event, field))
            for field in fields
            if previous is None or getattr(previous, field.attname) != getattr(event, field.attname)
        ]
        if previous is None:
            changes = [change for change in changes if change[2] not in (None, "")]
        context = event.pgh_context.metadata if event.pgh_context else {}
        history.append(
            {
                "when": event.pgh_created_at,
                "who": users.get(context.get("user")),
                "label": event.pgh_label,
                "record": event.pgh_obj_id,
                "changes": changes,
            }
        )
        previous_by_object[event.pgh_obj_id] = event
    history.sort(key=lambda entry: entry["when"], reverse=True)
    return history
