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
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Department, Election, Person, Position, Relationship, Tenure, User

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
    mine = Q(coordinators=user) | Q(memberships__person__user=user, memberships__left_on__isnull=True)
    return coalitions.filter(pk__in=Coalition.objects.filter(mine).values("pk"))


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
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
            ally_count=Count("stances", distinct=True),
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


@dataclass(frozen=True)
class RiskFlag:
    code: str  # term_end, ballot, no_contact, vacated
    reason: str


@dataclass
class AllyRow:
    ally: AllyStance
    tenure: Tenure | None = None  # the current tenure, or the last one when none is current
    is_former: bool = False
    flags: list[RiskFlag] = field(default_factory=list)
    url: str = ""
    # Display strings, computed once so that a map of hundreds renders fast.
    name: str = ""
    owner_name: str = ""
    last_contact: str = ""
    influence_label: str = ""

    @property
    def person(self) -> Person:
        return self.ally.person

    @property
    def position(self) -> Position | None:
        return self.tenure.position if self.tenure else None

    department: Department | None = None

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)


@dataclass
class DepartmentRow:
    department: Department | None
    depth: int
    cells: list[list[AllyRow]]  # one list per stance column

    @property
    def count(self) -> int:
        return sum(len(cell) for cell in self.cells)


@dataclass
class AllyMap:
    coalition: Coalition
    allies: list[AllyRow]
    rows: list[DepartmentRow]
    stances: list[tuple[str, str]]
    influence_grid: list[tuple[str, list[int]]]
    settings: RiskSettings
    today: datetime.date

    @property
    def at_risk_count(self) -> int:
        return sum(1 for row in self.allies if row.at_risk)


ALLY_FIELDS = (
    "pk",
    "coalition_id",
    "stance",
    "influence",
    "person__id",
    "person__first_name",
    "person__preferred_name",
    "person__last_name",
    "person__last_contact_on",
    "owner__id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)
TENURE_FIELDS = (
    "pk",
    "person_id",
    "position_id",
    "start_date",
    "planned_end_date",
    "actual_end_date",
    "position__id",
    "position__title",
    "position__department_id",
)


def _pick_tenure(tenures: list[Tenure]) -> tuple[Tenure | None, bool]:
    current = [tenure for tenure in tenures if tenure.actual_end_date is None]
    if current:
        return max(current, key=lambda tenure: tenure.start_date), False
    if tenures:
        return max(tenures, key=lambda tenure: (tenure.actual_end_date, tenure.start_date)), True
    return None, False


def ally_rows(coalition: Coalition, *, today: datetime.date | None = None, risk: RiskSettings | None = None):
    """Every ally of ``coalition`` with position, owner, last contact and computed risk flags.

    Runs a fixed number of queries however many allies there are: the
    stances with people and owners, their tenures, the elections on their
    seats, and the successors in positions they left.
    """
    today = today or timezone.localdate()
    risk = risk or RiskSettings.load()
    stances = list(
        AllyStance.objects.filter(coalition=coalition)
        .select_related("person", "owner")
        .only(*ALLY_FIELDS)
        .prefetch_related(
            Prefetch(
                "person__tenures",
                queryset=Tenure.objects.select_related("position").only(*TENURE_FIELDS),
                to_attr="all_tenures",
            )
        )
    )
    departments = {department.pk: department for department in Department.objects.only("pk", "name", "parent_id")}
    url_pattern = reverse("coalition:ally_detail", args=[coalition.pk, 0])
    influence_labels = dict(Influence.choices)
    rows = []
    for ally in stances:
        tenure, is_former = _pick_tenure(ally.person.all_tenures)
        last_contact = ally.person.last_contact_on
        rows.append(
            AllyRow(
                ally=ally,
                tenure=tenure,
                is_former=is_former,
                url=_fill(url_pattern, ally.pk, ""),
                department=departments[tenure.position.department_id] if tenure else None,
                name=ally.person.display_name,
                owner_name=str(ally.owner) if ally.owner else "",
                last_contact=last_contact.isoformat() if last_contact else "",
                influence_label=str(influence_labels[ally.influence]),
            )
        )

    current_positions = {row.tenure.position_id for row in rows if row.tenure and not row.is_former}
    former_positions = {row.tenure.position_id for row in rows if row.is_former}
    ballots: dict[int, list[Election]] = defaultdict(list)
    if current_positions:
        ballot_end = today + datetime.timedelta(days=risk.ballot_window_days)
        for link in Election.positions.through.objects.filter(
            position_id__in=current_positions, election__date__gte=today, election__date__lte=ballot_end
        ).select_related("election"):
            ballots[link.position_id].append(link.election)
    holders: dict[int, list[Person]] = defaultdict(list)
    if former_positions:
        for tenure in Tenure.objects.filter(
            position_id__in=former_positions, actual_end_date__isnull=True
        ).select_related("person"):
            holders[tenure.position_id].append(tenure.person)
    people_with_stance = {ally.person_id for ally in stances}

    term_end = today + datetime.timedelta(days=risk.term_end_window_days)
    for row in rows:
        row.flags = _risk_flags(row, today, term_end, risk, ballots, holders, people_with_stance)
    return rows, risk, departments


def _risk_flags(row, today, term_end, risk, ballots, holders, people_with_stance) -> list[RiskFlag]:
    flags = []
    tenure = row.tenure
    if tenure and not row.is_former:
        if tenure.planned_end_date and tenure.planned_end_date <= term_end:
            days = (tenure.planned_end_date - today).days
            if days >= 0:
                reason = _("Planned term end on %(date)s, in %(days)s days.") % {
                    "date": tenure.planned_end_date.isoformat(),
                    "days": days,
                }
            else:
                reason = _("Planned term end passed on %(date)s.") % {"date": tenure.planned_end_date.isoformat()}
            flags.append(RiskFlag("term_end", reason))
        for election in sorted(ballots.get(tenure.position_id, []), key=lambda e: e.date):
            flags.append(
                RiskFlag(
                    "ballot",
                    _("Seat on the ballot: %(election)s on %(date)s.")
                    % {"election": election.name, "date": election.date.isoformat()},
                )
            )
    last_contact = row.person.last_contact_on
    if last_contact is None:
        flags.append(RiskFlag("no_contact", _("No contact on record.")))
    elif (today - last_contact).days > risk.no_contact_days:
        flags.append(
            RiskFlag(
                "no_contact",
                _("No contact in %(days)s days (last on %(date)s).")
                % {"days": (today - last_contact).days, "date": last_contact.isoformat()},
            )
        )
    if row.is_former:
        successors = holders.get(tenure.position_id, [])
        if not successors:
            flags.append(
                RiskFlag(
                    "vacated", _("Their former position, %(position)s, is vacant.") % {"position": tenure.position}
                )
            )
        elif not any(person.pk in people_with_stance for person in successors):
            flags.append(
                RiskFlag(
                    "vacated",
                    _("Their former position, %(position)s, is now held by %(holder)s, who has no stance recorded.")
                    % {"position": tenure.position, "holder": ", ".join(str(person) for person in successors)},
                )
            )
    return flags


def ally_map(
    coalition: Coalition,
    *,
    only_at_risk: bool = False,
    owner_id: int | None = None,
    today: datetime.date | None = None,
) -> AllyMap:
    """The ally map: departments (nested, grouped under their top department) by stance.

    ``only_at_risk`` keeps the allies with a continuity risk flag; ``owner_id``
    those whose relationship that staff user owns."""
    today = today or timezone.localdate()
    rows, risk, departments = ally_rows(coalition, today=today)
    shown = [row for row in rows if row.at_risk] if only_at_risk else rows
    if owner_id is not None:
        shown = [row for row in shown if row.ally.owner_id == owner_id]
    stance_index = {value: index for index, value in enumerate(Stance.values)}

    children: dict[int | None, list[Department]] = defaultdict(list)
    for department in departments.values():
        children[department.parent_id].append(department)
    for siblings in children.values():
        siblings.sort(key=lambda department: department.name.lower())

    cells: dict[int | None, list[list[AllyRow]]] = defaultdict(lambda: [[] for _stance in Stance.values])
    for row in shown:
        department_id = row.department.pk if row.department else None
        cells[department_id][stance_index[row.ally.stance]].append(row)
    used = set(cells)
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
        matrix.append(DepartmentRow(department, depth, cells[department.pk]))
        for child in children[department.pk]:
            walk(child, depth + 1)

    for root in children[None]:
        walk(root, 0)
    if None in used:
        matrix.append(DepartmentRow(None, 0, cells[None]))

    influence_grid = []
    for influence, label in Influence.choices:
        counts = [0 for _stance in Stance.values]
        for row in shown:
            if row.ally.influence == influence:
                counts[stance_index[row.ally.stance]] += 1
        influence_grid.append((label, counts))
    return AllyMap(coalition, shown, matrix, list(Stance.choices), influence_grid, risk, today)


# --- The ally graph ---------------------------------------------------------------


def _url_pattern(url_name: str, *args) -> str | None:
    """A URL with ``0`` in place of the record's pk, or None when the page does not exist (yet)."""
    try:
        return reverse(url_name, args=[*args, 0])
    except NoReverseMatch:
        return None


def _fill(pattern: str | None, pk: int, fallback: str) -> str:
    return pattern[: pattern.rfind("/0/")] + f"/{pk}/" if pattern else fallback


def _name(first: str, preferred: str, last: str) -> str:
    return f"{preferred or first} {last}".strip()


def ally_graph(coalition: Coalition) -> dict:
    """The network of a coalition's allies, member organizations and owning staff.

    Compact for the wire: ``n`` nodes ``{i: id, l: label, t: type, u: url}``
    (types ``c`` coalition, ``p`` person, ``o`` organization, ``s`` staff; people
    also carry ``s`` stance and ``f`` influence), ``e`` edges ``[source, target,
    kind]`` (``own`` owns the relationship, ``m`` membership, ``r`` relationship).
    A staff node opens the ally map of the allies that person owns.
    Four queries, whatever the size.
    """
    members_url = reverse("coalition:members", args=[coalition.pk])
    ally_pattern = _url_pattern("coalition:ally_detail", coalition.pk)
    person_pattern = _url_pattern("stakeholders:person_detail")
    org_pattern = _url_pattern("stakeholders:organization_detail")
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
                "l": _name(first, preferred, last),
                "t": "p",
                "s": stance,
                "f": influence,
                "u": _fill(ally_pattern, pk, ally_map_url),
            }
        )
        if owner_id:
            if owner_id not in staff:
                staff.add(owner_id)
                nodes.append(
                    {
                        "i": f"s{owner_id}",
                        "l": f"{owner_first} {owner_last}".strip() or username,
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
                        "u": _fill(org_pattern, organization_id, members_url),
                    }
                )
            edges.append([f"o{organization_id}", coalition_id, "m"])
        else:
            if person_id not in people:
                people.add(person_id)
                nodes.append(
                    {
                        "i": f"p{person_id}",
                        "l": _name(first, preferred, last),
                        "t": "p",
                        "u": _fill(person_pattern, person_id, members_url),
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
