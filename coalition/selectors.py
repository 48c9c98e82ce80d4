"""Reads for the coalition domain, starting from the user who asks.

The ally map and its graph read only ``stakeholders`` tables and this app's own;
the date of last contact comes from ``Person.last_contact_on``, which the
engagement services keep current.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Department, Election, Person, Relationship, Tenure, User
from stakeholders.rows import person_name, pk_url, user_name

from .counts import related_count
from .models import (
    AllyStance,
    Coalition,
    Goal,
    Influence,
    MemberResource,
    Membership,
    RiskSettings,
    Stance,
)

# --- Access -------------------------------------------------------------------


def coalitions_visible_to(user: User) -> QuerySet[Coalition]:
    """Coalitions ``user`` may see: every one for staff and admins; those they
    coordinate for coordinators; those they are a current member of for liaisons."""
    if not user.is_authenticated or not user.has_perm("coalition.view_coalition"):
        return Coalition.objects.none()
    coalitions = Coalition.objects.all()
    if user.has_perm("coalition.view_all_coalitions") or user.has_perm("coalition.manage_all_coalitions"):
        return coalitions
    # Two id lists, each found from the user's own rows through an index; one
    # filter across the joins would hash every person in the city (25 ms at 50,000).
    coordinated = Coalition.coordinators.through.objects.filter(user=user).values("coalition_id")
    member_of = Membership.objects.filter(person__user=user, left_on__isnull=True).values("coalition_id")
    return coalitions.filter(Q(pk__in=coordinated) | Q(pk__in=member_of))


def coalition_for_user(user: User, pk: int) -> Coalition:
    """One coalition, or 404 when ``user`` may not see it."""
    return get_object_or_404(coalitions_visible_to(user), pk=pk)


def can_manage_coalition(user: User, coalition: Coalition) -> bool:
    """Admins manage every coalition; coordinators the ones they coordinate."""
    if user.has_perm("coalition.manage_all_coalitions"):
        return True
    return user.has_perm("coalition.coordinate_coalition") and coalition.coordinators.filter(pk=user.pk).exists()


def coalition_managed_by(user: User, pk: int) -> Coalition:
    """A coalition ``user`` may change: 404 when they cannot see it, 403 when they only see it."""
    coalition = coalition_for_user(user, pk)
    if not can_manage_coalition(user, coalition):
        raise PermissionDenied
    return coalition


def can_view_stances(user: User) -> bool:
    return user.has_perm("coalition.view_allystance")


def ally_for_user(user: User, coalition: Coalition, pk: int) -> AllyStance:
    """One ally's stance in a coalition ``user`` may see, or 404."""
    if not can_view_stances(user):
        raise PermissionDenied
    return get_object_or_404(
        AllyStance.objects.select_related("person", "owner", "coalition"), coalition=coalition, pk=pk
    )


def coalition_list(user: User) -> QuerySet[Coalition]:
    """The coalition list with its counts, in a fixed number of queries."""
    return (
        coalitions_visible_to(user)
        .prefetch_related("coordinators")
        .annotate(
            member_count=related_count(Membership.objects.filter(left_on__isnull=True), "coalition"),
            ally_count=related_count(AllyStance.objects.all(), "coalition"),
        )
    )


# --- Members and resources ----------------------------------------------------


@dataclass
class ResourceMap:
    memberships: list[Membership]
    by_kind: list[tuple[str, list[MemberResource]]]
    missing_kinds: list[str]
    sector_counts: list[tuple[str, int]]


def resource_map(coalition: Coalition) -> ResourceMap:
    """Members with what each brings, resources by kind, kinds nobody brings, and the sector mix."""
    memberships = list(
        Membership.objects.filter(coalition=coalition)
        .select_related("organization", "person")
        .prefetch_related("resources")
        .order_by("left_on", "role", "organization__name", "person__last_name")
    )
    active = [membership for membership in memberships if membership.is_active]
    grouped: dict[str, list[MemberResource]] = defaultdict(list)
    for membership in active:
        for resource in membership.resources.all():
            resource.membership = membership
            grouped[resource.kind].append(resource)
    by_kind = [(label, grouped[kind]) for kind, label in MemberResource.Kind.choices if grouped[kind]]
    missing = [label for kind, label in MemberResource.Kind.choices if not grouped[kind]]
    sectors = Counter(
        membership.organization.get_kind_display() if membership.organization else _("Individual")
        for membership in active
    )
    return ResourceMap(memberships, by_kind, missing, sorted(sectors.items(), key=lambda item: (-item[1], item[0])))


def goals_with_progress(coalition: Coalition) -> list[Goal]:
    return list(Goal.objects.filter(coalition=coalition).prefetch_related("progress"))


# --- The ally map ---------------------------------------------------------------

# A matrix cell shows its first few allies (at risk first, then by influence and
# name) and links to the whole cell as a paged list: at city scale (1,800 allies
# over some 300 cells) every card at once made a 2 MB page.
CELL_LIMIT = 3
LIST_PAGE_SIZE = 50
# The ``department`` filter value for allies who hold no position in any department.
OUTSIDE_GOVERNMENT = 0
INFLUENCE_RANK = {value: rank for rank, value in enumerate(Influence.values)}  # high first


@dataclass(slots=True)
class RiskFlag:
    code: str  # term_end, ballot, no_contact, vacated
    facts: tuple = ()  # what the reason is written from
    reason: str = ""  # the sentence, written by ``explain_flags`` for the allies whose reasons are shown


@dataclass(slots=True)
class AllyRow:
    """One ally on the map, built from plain values rather than model instances so
    that a map of 1,800 allies builds in milliseconds."""

    pk: int
    person_id: int
    stance: str
    influence: str
    owner_id: int | None
    name: str
    owner_name: str
    last_contact_on: datetime.date | None
    url: str
    sort_name: str  # last name first, lower case
    # The current position, or the last one when none is current.
    position_id: int | None = None
    position_title: str = ""
    planned_end_date: datetime.date | None = None
    department: Department | None = None
    is_former: bool = False
    flags: list[RiskFlag] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)

    @property
    def department_key(self) -> int:
        return self.department.pk if self.department else OUTSIDE_GOVERNMENT


@dataclass(slots=True)
class MatrixCell:
    allies: list[AllyRow]  # the first CELL_LIMIT of the cell
    count: int
    at_risk_count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.allies)


@dataclass
class DepartmentRow:
    department: Department | None
    depth: int
    cells: list[MatrixCell]  # one per stance column

    @property
    def count(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def key(self) -> int:
        return self.department.pk if self.department else OUTSIDE_GOVERNMENT


@dataclass
class AllyMap:
    coalition: Coalition
    allies: list[AllyRow]  # every ally shown, at risk first, then by influence and last name
    rows: list[DepartmentRow]  # the matrix; empty when the map is focused on a department or stance
    stances: list[tuple[str, str]]
    influence_grid: list[tuple[str, list[int]]]
    settings: RiskSettings
    today: datetime.date
    department_id: int | None = None  # focus: one department (OUTSIDE_GOVERNMENT for none) ...
    stance: str | None = None  # ... and/or one stance
    department: Department | None = None
    page: Page | None = None  # of ``allies``, when focused

    @property
    def focused(self) -> bool:
        return self.department_id is not None or self.stance is not None

    @property
    def at_risk_count(self) -> int:
        return sum(1 for row in self.allies if row.flags)


def ally_rows(
    coalition: Coalition,
    *,
    today: datetime.date | None = None,
    risk: RiskSettings | None = None,
    ally_pk: int | None = None,
    explain: bool = True,
) -> tuple[list[AllyRow], RiskSettings, dict[int, Department]]:
    """Every ally of ``coalition`` (or only the one ``ally_pk``) with position, owner,
    last contact and computed risk flags, and the departments by pk.

    Runs a fixed number of queries however many allies there are: the stances
    with people and owners, each ally's current (or last) tenure, the departments,
    the elections on their seats, who now holds the positions they left, and
    (with ``explain``) the names in the reasons. It reads plain values, not model
    instances, which is what keeps 1,800 allies fast. Without ``explain`` the
    flags have their codes but no reasons yet (see ``explain_flags``).
    """
    today = today or timezone.localdate()
    risk = risk or RiskSettings.load()
    stances = AllyStance.objects.filter(coalition=coalition)
    if ally_pk is not None:
        stances = stances.filter(pk=ally_pk)
    ally_url = pk_url("coalition:ally_detail", coalition.pk)
    rows = [
        AllyRow(
            pk=pk,
            person_id=person_id,
            stance=stance,
            influence=influence,
            owner_id=owner_id,
            name=person_name(first, preferred, last),
            owner_name=user_name(owner_first, owner_last, username) if owner_id else "",
            last_contact_on=last_contact_on,
            url=ally_url(pk),
            sort_name=f"{last} {preferred or first}".lower(),
        )
        for (
            pk,
            person_id,
            stance,
            influence,
            owner_id,
            first,
            preferred,
            last,
            last_contact_on,
            owner_first,
            owner_last,
            username,
        ) in stances.order_by().values_list(
            "pk",
            "person_id",
            "stance",
            "influence",
            "owner_id",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
            "person__last_contact_on",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
    ]
    by_person = {row.person_id: row for row in rows}
    departments = {department.pk: department for department in Department.objects.only("pk", "name", "parent_id")}
    # Each ally's current tenure (the latest started), or else the last one that ended.
    for person_id, position_id, title, department_id, planned_end, actual_end in (
        Tenure.objects.filter(person_id__in=stances.values("person_id"))
        .order_by("person_id", F("actual_end_date").desc(nulls_first=True), "-start_date")
        .distinct("person_id")
        .values_list(
            "person_id",
            "position_id",
            "position__title",
            "position__department_id",
            "planned_end_date",
            "actual_end_date",
        )
    ):
        row = by_person[person_id]
        row.position_id = position_id
        row.position_title = title
        row.department = departments[department_id]
        row.planned_end_date = planned_end
        row.is_former = actual_end is not None

    current_positions = {row.position_id for row in rows if row.position_id and not row.is_former}
    former_positions = {row.position_id for row in rows if row.position_id and row.is_former}
    ballots: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    if current_positions:
        ballot_end = today + datetime.timedelta(days=risk.ballot_window_days)
        for position_id, name, date in (
            Election.positions.through.objects.filter(
                position_id__in=current_positions, election__date__gte=today, election__date__lte=ballot_end
            )
            .order_by("election__date", "pk")
            .values_list("position_id", "election__name", "election__date")
        ):
            ballots[position_id].append((name, date))
    # Who now holds each position an ally left, and whether any of them has a stance here.
    # For a whole map, reading every current tenure (one per occupied seat in the city,
    # through the index on current tenures) is cheaper than sending a thousand position ids.
    holders: dict[int, list[int]] = defaultdict(list)
    if former_positions:
        current = Tenure.objects.filter(actual_end_date__isnull=True)
        if ally_pk is not None:
            current = current.filter(position_id__in=former_positions)
        for position_id, person_id in current.order_by("pk").values_list("position_id", "person_id"):
            if position_id in former_positions:
                holders[position_id].append(person_id)
    people_with_stance = set(by_person)
    if ally_pk is not None and holders:  # one ally read: ask whether its successors have a stance
        successors = [person_id for held in holders.values() for person_id in held]
        people_with_stance = set(
            AllyStance.objects.filter(coalition=coalition, person_id__in=successors).values_list("person_id", flat=True)
        )

    term_end = today + datetime.timedelta(days=risk.term_end_window_days)
    for row in rows:
        row.flags = _risk_flags(row, today, term_end, risk, ballots, holders, people_with_stance)
    if explain:
        explain_flags(rows)
    return rows, risk, departments


def _risk_flags(row: AllyRow, today, term_end, risk, ballots, holders, people_with_stance) -> list[RiskFlag]:
    flags = []
    if row.position_id and not row.is_former:
        planned = row.planned_end_date
        if planned and planned <= term_end:
            flags.append(RiskFlag("term_end", (planned, (planned - today).days)))
        for name, date in ballots.get(row.position_id, ()):
            flags.append(RiskFlag("ballot", (name, date)))
    last_contact = row.last_contact_on
    if last_contact is None:
        flags.append(RiskFlag("no_contact", (None, None)))
    elif (today - last_contact).days > risk.no_contact_days:
        flags.append(RiskFlag("no_contact", (last_contact, (today - last_contact).days)))
    if row.is_former:
        successors = holders.get(row.position_id, [])
        if not successors:
            flags.append(RiskFlag("vacated", (row.position_title, ())))
        elif not any(person_id in people_with_stance for person_id in successors):
            flags.append(RiskFlag("vacated", (row.position_title, tuple(successors))))
    return flags


def explain_flags(rows: list[AllyRow]) -> None:
    """Write the reason of each risk flag of ``rows``: one query for the names of
    successors without a stance, and only for the allies whose reasons are shown."""
    successor_ids = {
        person_id for row in rows for flag in row.flags if flag.code == "vacated" for person_id in flag.facts[1]
    }
    names = {}
    if successor_ids:
        names = {
            pk: person_name(first, preferred, last)
            for pk, first, preferred, last in Person.objects.filter(pk__in=successor_ids).values_list(
                "pk", "first_name", "preferred_name", "last_name"
            )
        }
    term_end = _("Planned term end on %(date)s, in %(days)s days.")
    term_end_passed = _("Planned term end passed on %(date)s.")
    ballot = _("Seat on the ballot: %(election)s on %(date)s.")
    no_contact_ever = _("No contact on record.")
    no_contact = _("No contact in %(days)s days (last on %(date)s).")
    vacant = _("Their former position, %(position)s, is vacant.")
    successor = _("Their former position, %(position)s, is now held by %(holder)s, who has no stance recorded.")
    for row in rows:
        for flag in row.flags:
            if flag.code == "term_end":
                date, days = flag.facts
                if days >= 0:
                    flag.reason = term_end % {"date": date.isoformat(), "days": days}
                else:
                    flag.reason = term_end_passed % {"date": date.isoformat()}
            elif flag.code == "ballot":
                name, date = flag.facts
                flag.reason = ballot % {"election": name, "date": date.isoformat()}
            elif flag.code == "no_contact":
                date, days = flag.facts
                flag.reason = no_contact % {"days": days, "date": date.isoformat()} if date else no_contact_ever
            elif flag.code == "vacated":
                position, successors = flag.facts
                if successors:
                    holder = ", ".join(names[person_id] for person_id in successors)
                    flag.reason = successor % {"position": position, "holder": holder}
                else:
                    flag.reason = vacant % {"position": position}


def _map_order(row: AllyRow) -> tuple:
    return (not row.flags, INFLUENCE_RANK.get(row.influence, len(INFLUENCE_RANK)), row.sort_name, row.pk)


def ally_map(
    coalition: Coalition,
    *,
    only_at_risk: bool = False,
    owner_id: int | None = None,
    department_id: int | None = None,
    stance: str | None = None,
    page_number: int | str | None = None,
    today: datetime.date | None = None,
) -> AllyMap:
    """The ally map: departments (nested, grouped under their top department) by stance.

    ``only_at_risk`` keeps the allies with a continuity risk flag; ``owner_id``
    those whose relationship that staff user owns. ``department_id`` (a
    department's pk, or ``OUTSIDE_GOVERNMENT``) and ``stance`` focus the map on
    one department, one stance or one cell: it then lists those allies and has
    no matrix: ``page`` holds the ``page_number``-th ``LIST_PAGE_SIZE`` of those
    allies, with the reasons of their risk flags. Each matrix cell holds its first
    ``CELL_LIMIT`` allies with the cell's counts, and their flags have no reasons
    (the matrix names the kinds of risk only). Raises Http404 for a department
    that does not exist."""
    today = today or timezone.localdate()
    rows, risk, departments = ally_rows(coalition, today=today, explain=False)
    focus_department = None
    if department_id is not None and department_id != OUTSIDE_GOVERNMENT:
        focus_department = departments.get(department_id)
        if focus_department is None:
            raise Http404("No such department.")
    shown = [row for row in rows if row.flags] if only_at_risk else rows
    if owner_id is not None:
        shown = [row for row in shown if row.owner_id == owner_id]
    if department_id is not None:
        shown = [row for row in shown if row.department_key == department_id]
    if stance is not None:
        shown = [row for row in shown if row.stance == stance]
    shown.sort(key=_map_order)
    stance_index = {value: index for index, value in enumerate(Stance.values)}

    influence_index = {value: index for index, value in enumerate(Influence.values)}
    influence_counts = [[0 for _stance in Stance.values] for _influence in Influence.values]
    for row in shown:
        influence_counts[influence_index[row.influence]][stance_index[row.stance]] += 1
    influence_grid = [(label, influence_counts[index]) for index, (_value, label) in enumerate(Influence.choices)]

    matrix: list[DepartmentRow] = []
    page = None
    if department_id is None and stance is None:
        matrix = _matrix(shown, departments, stance_index)
    else:
        page = Paginator(shown, LIST_PAGE_SIZE).get_page(page_number)
        explain_flags(page.object_list)
    return AllyMap(
        coalition,
        shown,
        matrix,
        list(Stance.choices),
        influence_grid,
        risk,
        today,
        department_id=department_id,
        stance=stance,
        department=focus_department,
        page=page,
    )


def _matrix(shown: list[AllyRow], departments: dict[int, Department], stance_index) -> list[DepartmentRow]:
    children: dict[int | None, list[Department]] = defaultdict(list)
    for department in departments.values():
        children[department.parent_id].append(department)
    for siblings in children.values():
        siblings.sort(key=lambda department: department.name.lower())

    grouped: dict[int | None, list[list[AllyRow]]] = defaultdict(lambda: [[] for _stance in Stance.values])
    for row in shown:  # already in map order, so each cell is too
        grouped[row.department.pk if row.department else None][stance_index[row.stance]].append(row)

    def cells(department_id: int | None) -> list[MatrixCell]:
        return [
            MatrixCell(cell[:CELL_LIMIT], len(cell), sum(1 for row in cell if row.flags))
            for cell in grouped[department_id]
        ]

    used = set(grouped)
    subtree_used: dict[int, bool] = {}

    def has_allies(department: Department) -> bool:
        if department.pk not in subtree_used:
            subtree_used[department.pk] = department.pk in used or any(
                has_allies(child) for child in children[department.pk]
            )
        return subtree_used[department.pk]

    matrix: list[DepartmentRow] = []

    def walk(department: Department, depth: int) -> None:
        if not has_allies(department):
            return
        matrix.append(DepartmentRow(department, depth, cells(department.pk)))
        for child in children[department.pk]:
            walk(child, depth + 1)

    for root in children[None]:
        walk(root, 0)
    if None in used:
        matrix.append(DepartmentRow(None, 0, cells(None)))
    return matrix


# --- The ally graph ---------------------------------------------------------------


def ally_graph(coalition: Coalition) -> dict:
    """The network of a coalition's allies, member organizations and owning staff.

    Compact for the wire: ``n`` nodes ``{i: id, l: label, t: type, u: url}``
    (types ``c`` coalition, ``p`` person, ``o`` organization, ``s`` staff; people
    also carry ``s`` stance and ``f`` influence), ``e`` edges ``[source, target,
    kind]`` (``own`` owns the relationship, ``m`` membership, ``r`` relationship).
    A staff node opens the ally map of the allies that person owns.
    Four queries, whatever the size.
    """
    ally_url = pk_url("coalition:ally_detail", coalition.pk)
    person_url = pk_url("stakeholders:person_detail")
    organization_url = pk_url("stakeholders:organization_detail")
    ally_map_url = reverse("coalition:ally_map", args=[coalition.pk])

    coalition_id = "c"
    nodes: list[dict] = [{"i": coalition_id, "l": coalition.name, "t": "c", "u": coalition.get_absolute_url()}]
    edges: list[list] = []
    people: set[int] = set()
    staff: set[int] = set()
    for row in AllyStance.objects.filter(coalition=coalition).values_list(
        "pk",
        "person_id",
        "person__first_name",
        "person__preferred_name",
        "person__last_name",
        "stance",
        "influence",
        "owner_id",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
    ):
        pk, person_id, first, preferred, last, stance, influence, owner_id, owner_first, owner_last, username = row
        people.add(person_id)
        nodes.append(
            {
                "i": f"p{person_id}",
                "l": person_name(first, preferred, last),
                "t": "p",
                "s": stance,
                "f": influence,
                "u": ally_url(pk),
            }
        )
        if owner_id:
            if owner_id not in staff:
                staff.add(owner_id)
                nodes.append(
                    {
                        "i": f"s{owner_id}",
                        "l": user_name(owner_first, owner_last, username),
                        "t": "s",
                        "u": f"{ally_map_url}?owner={owner_id}",
                    }
                )
            edges.append([f"s{owner_id}", f"p{person_id}", "own"])

    organizations: set[int] = set()
    for organization_id, org_name, person_id, first, preferred, last in (
        Membership.objects.filter(coalition=coalition, left_on__isnull=True)
        .values_list(
            "organization_id",
            "organization__name",
            "person_id",
            "person__first_name",
            "person__preferred_name",
            "person__last_name",
        )
        .order_by("pk")
    ):
        if organization_id:
            if organization_id not in organizations:
                organizations.add(organization_id)
                nodes.append(
                    {
                        "i": f"o{organization_id}",
                        "l": org_name,
                        "t": "o",
                        "u": organization_url(organization_id),
                    }
                )
            edges.append([f"o{organization_id}", coalition_id, "m"])
        else:
            if person_id not in people:
                people.add(person_id)
                nodes.append(
                    {
                        "i": f"p{person_id}",
                        "l": person_name(first, preferred, last),
                        "t": "p",
                        "u": person_url(person_id),
                    }
                )
            edges.append([f"p{person_id}", coalition_id, "m"])

    if people:
        person_ids = list(people)
        relationships = Relationship.objects.filter(person_id__in=person_ids).filter(
            Q(other_person_id__in=person_ids) | Q(organization_id__in=list(organizations))
        )
        for source, other_person_id, organization_id in relationships.values_list(
            "person_id", "other_person_id", "organization_id"
        ).order_by("pk"):
            target = f"p{other_person_id}" if other_person_id else f"o{organization_id}"
            edges.append([f"p{source}", target, "r"])
    return {"n": nodes, "e": edges}


NETWORK_PAGE_SIZE = 100
NODE_TYPE_ORDER = {"c": 0, "s": 1, "o": 2, "p": 3}


def ally_network_page(coalition: Coalition, page_number: int | str | None) -> Page:
    """One page of the ally network as a table, for keyboard and screen-reader users:
    the nodes of ``ally_graph`` (the coalition first, then staff, organizations and
    people, each by name), each with its type, stance and connections. Only the
    page's nodes get their connections written out."""
    graph = ally_graph(coalition)
    nodes = sorted(graph["n"], key=lambda node: (NODE_TYPE_ORDER[node["t"]], node["l"].lower(), node["i"]))
    page = Paginator(nodes, NETWORK_PAGE_SIZE).get_page(page_number)
    type_labels = {"c": _("Coalition"), "p": _("Person"), "o": _("Organization"), "s": _("Staff")}
    stance_labels = dict(Stance.choices)
    edge_labels = {
        "own": (_("owns the relationship with"), _("relationship owned by")),
        "m": (_("member of"), _("has member")),
        "r": (_("has a relationship with"), _("has a relationship with")),
    }
    rows = {
        node["i"]: {
            "label": node["l"],
            "url": node["u"],
            "type": type_labels[node["t"]],
            "stance": stance_labels.get(node.get("s"), ""),
            "links": [],
        }
        for node in page.object_list
    }
    labels = {node["i"]: node["l"] for node in graph["n"]}
    for source, target, kind in graph["e"]:
        if source in rows:
            rows[source]["links"].append((edge_labels[kind][0], labels[target]))
        if target in rows:
            rows[target]["links"].append((edge_labels[kind][1], labels[source]))
    page.object_list = list(rows.values())
    return page


# --- Panels on stakeholder pages ---------------------------------------------------


def organization_coalitions(user: User, *, organization_id: int) -> list[Membership]:
    """The memberships of an organization in coalitions ``user`` may see (nothing else of it is read)."""
    return list(
        Membership.objects.filter(organization_id=organization_id, coalition__in=coalitions_visible_to(user))
        .select_related("coalition")
        .order_by("left_on", "coalition__name")
    )


def person_coalitions(user: User, *, person_id: int) -> tuple[list[Membership], list[AllyStance]]:
    """A person's memberships and (for users who may see them) stances, in visible coalitions."""
    visible = coalitions_visible_to(user)
    memberships = list(
        Membership.objects.filter(person_id=person_id, coalition__in=visible)
        .select_related("coalition")
        .order_by("left_on", "coalition__name")
    )
    stances: list[AllyStance] = []
    if can_view_stances(user):
        stances = list(
            AllyStance.objects.filter(person_id=person_id, coalition__in=visible)
            .select_related("coalition", "owner")
            .order_by("coalition__name")
        )
    return memberships, stances
