"""Who may see and change which people and organizations. Reads start from the user."""

from __future__ import annotations

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from ..models import Affiliation, Language, Neighborhood, Organization, Person, Relationship, Tag, User


def person_display_name(path: str = "") -> Trim:
    """``Person.display_name`` computed by the database, for the person at ``path`` ("" or e.g. "person__").

    The preferred name, else the first name, then the last name, trimmed.
    """
    first = Coalesce(NullIf(F(f"{path}preferred_name"), Value("")), F(f"{path}first_name"))
    return Trim(Concat(first, Value(" "), F(f"{path}last_name"), output_field=CharField()))


def people_visible_to(user: User) -> QuerySet[Person]:
    """The people ``user`` may see.

    Staff, coordinators and admins (``view_all_people``) see everyone. A liaison
    (``view_person`` only) sees the people they work with: those with a
    relationship to the liaison's own person record, in either direction, and
    those affiliated with an organization the liaison is affiliated with; and
    themselves.
    """
    if not user.is_authenticated or not user.has_perm("stakeholders.view_person"):
        return Person.objects.none()
    if user.has_perm("stakeholders.view_all_people"):
        return Person.objects.all()
    me = Person.objects.filter(user=user).values("pk")
    related_to_me = Relationship.objects.filter(person__in=me, other_person__isnull=False).values("other_person")
    related_from_me = Relationship.objects.filter(other_person__in=me).values("person")
    my_organizations = Affiliation.objects.filter(person__in=me).values("organization")
    colleagues = Affiliation.objects.filter(organization__in=my_organizations).values("person")
    return Person.objects.filter(
        Q(pk__in=me) | Q(pk__in=related_to_me) | Q(pk__in=related_from_me) | Q(pk__in=colleagues)
    )


def person_for_user(user: User, pk: int) -> Person:
    """One person, or 404 when ``user`` may not see them."""
    return get_object_or_404(people_visible_to(user), pk=pk)


def people_list_for(user: User) -> QuerySet[Person]:
    """The people ``user`` may see, with what the CSV export writes."""
    return (
        people_visible_to(user)
        .select_related("neighborhood", "preferred_language")
        .prefetch_related("languages", "tags", "affiliations__organization")
    )


def people_list_rows(people: QuerySet[Person]) -> QuerySet[dict]:
    """``people`` as the rows of the people list, in their order: one query, no model instances.

    Dicts with the person's ``id``, ``name`` (``display_name``), ``pronouns`` and
    ``email``, and the names of their neighborhood, of the organizations they
    currently belong to (newest first), of the languages they speak and of their
    tags (``neighborhood_name``, ``organization_names``, ``language_names``,
    ``tag_names``). PostgreSQL computes the subqueries only for the rows of the
    page, after sorting and limiting.
    """
    current_organizations = (
        Affiliation.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
        .order_by("-start_date")
        .values("organization__name")
    )
    languages = Language.objects.filter(speakers=OuterRef("pk")).order_by("name").values("name")
    tags = Tag.objects.filter(people=OuterRef("pk")).order_by("name").values("name")
    return people.values("id", "pronouns", "email").annotate(
        name=person_display_name(),
        neighborhood_name=F("neighborhood__name"),
        organization_names=ArraySubquery(current_organizations),
        language_names=ArraySubquery(languages),
        tag_names=ArraySubquery(tags),
    )


def organizations_visible_to(user: User) -> QuerySet[Organization]:
    """The organizations ``user`` may see: all of them with ``view_organization``, else none."""
    if not user.is_authenticated or not user.has_perm("stakeholders.view_organization"):
        return Organization.objects.none()
    return Organization.objects.all()


def organization_for_user(user: User, pk: int) -> Organization:
    """One organization, or 404 when ``user`` may not see it."""
    return get_object_or_404(organizations_visible_to(user), pk=pk)


def organizations_list_for(user: User) -> QuerySet[Organization]:
    """The organizations ``user`` may see, with what the CSV export writes."""
    return organizations_visible_to(user).prefetch_related("neighborhoods", "languages", "tags")


def with_organization_list_columns(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """``organizations`` with what a row of the organization list shows, in the same query.

    The names of the neighborhoods served, languages and tags come as annotations
    (``neighborhood_names``, ``language_names``, ``tag_names``), each sorted by name.
    """
    through = Organization.neighborhoods.through.objects.filter(organization=OuterRef("pk"))
    neighborhoods = through.order_by("neighborhood__name").values("neighborhood__name")
    languages = Language.objects.filter(organizations=OuterRef("pk")).order_by("name").values("name")
    tags = Tag.objects.filter(organizations=OuterRef("pk")).order_by("name").values("name")
    return organizations.only("name", "kind", "is_partner").annotate(
        neighborhood_names=ArraySubquery(neighborhoods),
        language_names=ArraySubquery(languages),
        tag_names=ArraySubquery(tags),
    )


def neighborhoods_visible_to(user: User) -> QuerySet[Neighborhood]:
    if not user.has_perm("stakeholders.view_neighborhood"):
        return Neighborhood.objects.none()
    return Neighborhood.objects.all()


def neighborhood_for_user(user: User, pk: int) -> Neighborhood:
    return get_object_or_404(neighborhoods_visible_to(user), pk=pk)


def can_edit_person(user: User, person: Person) -> bool:
    """Coordinators and admins edit anyone; staff edit the people they created."""
    if user.has_perm("stakeholders.change_person"):
        return True
    return user.has_perm("stakeholders.add_person") and person.created_by_id == user.pk


def can_edit_organization(user: User, organization: Organization) -> bool:
    """Coordinators and admins edit any organization; staff those they created."""
    if user.has_perm("stakeholders.change_organization"):
        return True
    return user.has_perm("stakeholders.add_organization") and organization.created_by_id == user.pk


def can_view_demographics(user: User) -> bool:
    """Only admins see a person's demographics; everyone else sees aggregates at most."""
    return user.has_perm("stakeholders.view_demographics")


def can_view_history(user: User) -> bool:
    return user.has_perm("stakeholders.merge_person")


def person_history(person: Person) -> list[dict]:
    """The changes to ``person`` and their affiliations, newest first: who, when, what.

    Each change is ``(field label, before, after)`` with related records by name.
    """
    from pghistory.models import Events

    events = list(Events.objects.references(person).order_by("-pgh_created_at", "-pgh_id")[:200])
    user_ids = {(event.pgh_context or {}).get("user") for event in events}
    users = {user.pk: user for user in User.objects.filter(pk__in=[pk for pk in user_ids if pk])}
    raw = [(event, _changed_fields(event)) for event in events]
    names = _related_names(field_and_values for _event, changes in raw for field_and_values in changes)
    rows = []
    for event, changes in raw:
        context = event.pgh_context or {}
        rows.append(
            {
                "when": event.pgh_created_at,
                "who": users.get(context.get("user")),
                "label": event.pgh_label,
                "what": _event_description(event),
                "changes": [
                    (
                        str(field.verbose_name),
                        _readable(field, before, names),
                        _readable(field, after, names),
                    )
                    for field, before, after in changes
                ],
                "merged_person": context.get("merged_person"),
            }
        )
    return rows


def _event_description(event) -> str:
    tracked = apps.get_model(event.pgh_model).pgh_tracked_model
    verbs = {
        "insert": gettext("%(record)s created"),
        "update": gettext("%(record)s changed"),
        "delete": gettext("%(record)s deleted"),
        "merge": gettext("%(record)s merged with a duplicate"),
    }
    template = verbs.get(event.pgh_label, "%(record)s " + event.pgh_label)
    return template % {"record": str(tracked._meta.verbose_name).capitalize()}


_HIDDEN_HISTORY_FIELDS = {"id", "created_at", "updated_at"}


def _changed_fields(event) -> list[tuple]:
    tracked = apps.get_model(event.pgh_model).pgh_tracked_model
    by_attname = {field.attname: field for field in tracked._meta.concrete_fields}
    changes = []
    for attname, (before, after) in sorted((event.pgh_diff or {}).items()):
        field = by_attname.get(attname)
        if field is not None and field.name not in _HIDDEN_HISTORY_FIELDS:
            changes.append((field, before, after))
    return changes


def _related_names(changes) -> dict:
    """``{(model, pk): name}`` for every related record named in ``changes``, one query per model."""
    wanted: dict = {}
    for field, before, after in changes:
        if field.is_relation:
            wanted.setdefault(field.related_model, set()).update(value for value in (before, after) if value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def _readable(field, value, names) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)
