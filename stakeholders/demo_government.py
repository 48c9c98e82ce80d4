"""Demo government of the fictional city of Riverton: departments, positions,
who holds them (with some turnover), two upcoming elections and relationships
owned by the demo users.

Idempotent: departments and positions are matched by name, officials by email,
tenures are only added to positions that have none, and relationships only when
the demo users own none yet. Deterministic for a given day (``random.Random``
with a fixed seed; dates count from today so that "terms ending soon" and
"upcoming elections" stay true whenever the demo is seeded).
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from .models import Department, Election, Organization, Person, Position, Relationship, Tenure, User

DEMO_NOTE = "Riverton demo relationship."
PRIMARY_IN_DAYS = 96  # within the 180-day horizon of the reminders
GENERAL_IN_DAYS = 250
ON_THE_BALLOT = {"Mayor", "Council Member, At Large", *(f"Council Member, District {n}" for n in range(1, 6))}

# name, abbreviation, parent name
DEPARTMENTS = [
    ("Office of the Mayor", "OOM", None),
    ("City Council", "CC", None),
    ("Public Works", "DPW", None),
    ("Streets Division", "", "Public Works"),
    ("Water Utility", "RWU", "Public Works"),
    ("Parks and Recreation", "PRD", None),
    ("Urban Forestry", "", "Parks and Recreation"),
    ("Planning and Development", "PDD", None),
    ("Housing Office", "", "Planning and Development"),
    ("Police Department", "RPD", None),
    ("Fire Department", "RFD", None),
    ("Public Health", "RPH", None),
    ("Riverton Public Library", "RPL", None),
    ("Finance", "FIN", None),
    ("Budget Office", "", "Finance"),
    ("Boards and Commissions", "", None),
]

DEPARTMENT_STAFF_TITLES = [
    ("Deputy Director", Position.Level.EXECUTIVE),
    ("Community Engagement Manager", Position.Level.STAFF),
    ("Program Manager", Position.Level.STAFF),
    ("Policy Analyst", Position.Level.STAFF),
    ("Neighborhood Outreach Coordinator", Position.Level.STAFF),
    ("Data and Performance Analyst", Position.Level.STAFF),
]

COMMISSIONS = [
    "Planning Commission",
    "Parks Board",
    "Library Board of Trustees",
    "Human Rights Commission",
    "Police Oversight Board",
    "Youth Commission",
    "Arts Commission",
    "Sustainability Commission",
    "Zoning Board of Appeals",
    "Housing Authority Board",
]

FIRST_NAMES = [
    "Amara", "Ben", "Carmen", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Isaac", "Jada", "Kenji", "Lucia",
    "Malik", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samuel", "Tamika", "Uriel", "Vera", "Wes", "Ximena",
    "Yusuf", "Zoe", "Andre", "Beatriz", "Chen", "Delia",
]  # fmt: skip
LAST_NAMES = [
    "Abernathy", "Bautista", "Castellanos", "Delacroix", "Ekwueme", "Fitzgerald", "Gallardo", "Haddad",
    "Iverson", "Jablonski", "Kowalczyk", "Lindgren", "Mbeki", "Nakamura", "Okonkwo", "Petrov", "Quintero",
    "Rasmussen", "Szabo", "Tran", "Underwood", "Valdivia", "Whitfield", "Xiong", "Yamamoto", "Zelinski",
]  # fmt: skip


def _departments() -> dict[str, Department]:
    existing = {(d.parent.name if d.parent else None, d.name): d for d in Department.objects.select_related("parent")}
    by_name: dict[str, Department] = {}
    for name, abbreviation, parent_name in DEPARTMENTS:
        department = existing.get((parent_name, name))
        if department is None:
            department = Department.objects.create(
                name=name, abbreviation=abbreviation, parent=by_name.get(parent_name) if parent_name else None
            )
        by_name[name] = department
    return by_name


def _position_specs(departments: dict[str, Department]) -> list[tuple[Department, str, str, bool]]:
    specs = [
        (departments["Office of the Mayor"], "Mayor", Position.Level.ELECTED, False),
        (departments["Office of the Mayor"], "Deputy Mayor", Position.Level.APPOINTED, False),
        (departments["Office of the Mayor"], "Chief of Staff", Position.Level.STAFF, False),
        (departments["Office of the Mayor"], "Chief Equity Officer", Position.Level.EXECUTIVE, False),
        (departments["City Council"], "Council Member, At Large", Position.Level.ELECTED, True),
        (departments["City Council"], "City Clerk", Position.Level.APPOINTED, False),
    ]
    specs += [
        (departments["City Council"], f"Council Member, District {district}", Position.Level.ELECTED, False)
        for district in range(1, 10)
    ]
    for name, department in departments.items():
        if name in ("Office of the Mayor", "City Council", "Boards and Commissions"):
            continue
        head = "Chief" if name in ("Police Department", "Fire Department") else "Director"
        specs.append((department, f"{head}, {name}", Position.Level.EXECUTIVE, False))
        specs += [(department, f"{title}, {name}", level, False) for title, level in DEPARTMENT_STAFF_TITLES]
    boards = departments["Boards and Commissions"]
    for commission in COMMISSIONS:
        specs.append((boards, f"{commission} Chair", Position.Level.BOARD, False))
        specs.append((boards, f"{commission} Commissioner", Position.Level.BOARD, True))
    return specs


def _officials(count: int) -> list[Person]:
    """``count`` demo officials, matched by their demo email, created when missing."""
    emails = [f"official{number:03d}@riverton.example" for number in range(count)]
    existing = {person.email: person for person in Person.objects.filter(email__in=emails)}
    missing = [
        Person(
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
            email=email,
            may_contact=True,
        )
        for number, email in enumerate(emails)
        if email not in existing
    ]
    Person.objects.bulk_create(missing)
    existing.update({person.email: person for person in Person.objects.filter(email__in=emails)})
    return [existing[email] for email in emails]


def _tenures(rng: random.Random, positions: list[Position], officials: list[Person], today: datetime.date):
    reasons = [Tenure.EndReason.RESIGNED, Tenure.EndReason.RETIRED, Tenure.EndReason.TERM_ENDED]
    reasons += [Tenure.EndReason.LOST_ELECTION, Tenure.EndReason.REASSIGNED]
    # Enough officials for every seat and predecessor: nobody holds two seats at once.
    people = iter(officials)
    tenures: list[Tenure] = []
    for position in positions:
        if rng.random() < 0.08:
            continue  # a vacancy
        seats = rng.randint(3, 5) if position.is_multi_seat else 1
        for _seat in range(seats):
            start = today - datetime.timedelta(days=rng.randint(60, 2400))
            if rng.random() < 0.35:
                predecessor_start = start - datetime.timedelta(days=rng.randint(700, 2500))
                reason = (
                    rng.choice(reasons) if position.level != Position.Level.ELECTED else Tenure.EndReason.TERM_ENDED
                )
                tenures.append(
                    Tenure(
                        position=position,
                        person=next(people),
                        start_date=predecessor_start,
                        actual_end_date=start - datetime.timedelta(days=rng.randint(0, 45)),
                        end_reason=reason,
                        holds_single_seat=not position.is_multi_seat,
                    )
                )
            planned_end = None
            if position.title in ON_THE_BALLOT:
                # the term ends when the winner of the general election is sworn in
                planned_end = today + datetime.timedelta(days=GENERAL_IN_DAYS + 35)
            elif position.level in (Position.Level.ELECTED, Position.Level.BOARD) or rng.random() < 0.15:
                planned_end = today + datetime.timedelta(
                    days=rng.choice([rng.randint(15, 175), rng.randint(200, 1200)])
                )
            tenures.append(
                Tenure(
                    position=position,
                    person=next(people),
                    start_date=start,
                    planned_end_date=planned_end,
                    is_acting=rng.random() < 0.05,
                    holds_single_seat=not position.is_multi_seat,
                )
            )
    Tenure.objects.bulk_create(tenures)
    return tenures


def _elections(today: datetime.date, positions: list[Position]) -> list[Election]:
    ballot = [position for position in positions if position.title in ON_THE_BALLOT]
    primary_ballot = [position for position in ballot if position.title != "Council Member, At Large"]
    wanted = [
        ("Riverton Municipal Primary", today + datetime.timedelta(days=PRIMARY_IN_DAYS), "primary", primary_ballot),
        ("Riverton Municipal General", today + datetime.timedelta(days=GENERAL_IN_DAYS), "general", ballot),
    ]
    elections = []
    for name, date, kind, ballot in wanted:
        election = Election.objects.filter(name=name, jurisdiction="City of Riverton").first()
        if election is None:
            election = Election.objects.create(name=name, jurisdiction="City of Riverton", date=date, kind=kind)
            election.positions.set(ballot)
        elections.append(election)
    return elections


def _relationships(rng: random.Random, officials: list[Person], count: int) -> int:
    owners = list(User.objects.filter(username__in=["staff", "coordinator", "admin"]).order_by("username"))
    if not owners or Relationship.objects.filter(owner__in=owners, notes=DEMO_NOTE).exists():
        return 0
    others = list(Person.objects.exclude(pk__in=[person.pk for person in officials]).order_by("pk")[:400])
    people = officials + others
    organizations = list(Organization.objects.order_by("pk")[:80])
    kinds = Relationship.Kind.values
    seen: set[tuple] = set()
    relationships = []
    today = timezone.localdate()
    while len(relationships) < count:
        person = rng.choice(people)
        if organizations and rng.random() < 0.3:
            target = ("org", rng.choice(organizations).pk)
        else:
            other = rng.choice(people)
            if other.pk == person.pk:
                continue
            target = ("person", other.pk)
        if (person.pk, target) in seen:
            continue
        seen.add((person.pk, target))
        start = today - datetime.timedelta(days=rng.randint(30, 3000))
        ended = rng.random() < 0.1
        relationships.append(
            Relationship(
                person=person,
                other_person_id=target[1] if target[0] == "person" else None,
                organization_id=target[1] if target[0] == "org" else None,
                kind=rng.choice(kinds),
                strength=rng.randint(1, 5),
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(1, 25)) if ended else None,
                owner=rng.choice(owners),
                notes=DEMO_NOTE,
            )
        )
    Relationship.objects.bulk_create(relationships)
    return len(relationships)


def seed(*, seed: int = 3, officials: int = 330, relationships: int = 300) -> dict[str, int]:
    """Create Riverton's government and demo relationships that do not exist yet.

    Returns how many rows of each kind this run created.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    departments_before = Department.objects.count()
    departments = _departments()
    specs = _position_specs(departments)
    existing = {(p.department_id, p.title): p for p in Position.objects.filter(department__in=departments.values())}
    new_positions = [
        Position(department=department, title=title, level=level, is_multi_seat=multi)
        for department, title, level, multi in specs
        if (department.pk, title) not in existing
    ]
    Position.objects.bulk_create(new_positions)
    positions = list(Position.objects.filter(department__in=departments.values()).order_by("pk"))
    people = _officials(officials)
    # Only positions created by this run get holders, so a second run adds nothing.
    tenures = _tenures(rng, new_positions, people, today) if new_positions else []
    elections_before = Election.objects.count()
    _elections(today, positions)
    relationships_created = _relationships(rng, people, relationships)
    return {
        "departments": Department.objects.count() - departments_before,
        "positions": len(new_positions),
        "tenures": len(tenures),
        "elections": Election.objects.count() - elections_before,
        "relationships": relationships_created,
    }


def demo_summary() -> str:
    """One line for the seed command's output."""
    current = Tenure.objects.filter(actual_end_date__isnull=True).count()
    ended = Tenure.objects.filter(~Q(actual_end_date=None)).count()
    return (
        f"{Department.objects.count()} departments, {Position.objects.count()} positions, "
        f"{current} current and {ended} ended tenures, {Election.objects.count()} elections, "
        f"{Relationship.objects.count()} relationships"
    )
