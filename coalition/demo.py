"""Demo data for coalitions in the fictional city of Riverton.

Three coalitions with members, resources, goals with progress, ally stances
(with history) and an agreement. Uses the people, organizations and
government structure other apps seed when they exist, and creates the few it
still needs. Running it twice changes nothing: a coalition that exists is left
as it is.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from stakeholders.models import Department, Election, Organization, Person, Position, Tenure, User

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

DEPARTMENTS = [
    # name, parent
    ("Office of the Mayor", None),
    ("City Council", None),
    ("Public Works", None),
    ("Streets Division", "Public Works"),
    ("Water Utility", "Public Works"),
    ("Parks and Recreation", None),
    ("Public Health", None),
    ("Environmental Health", "Public Health"),
    ("Planning and Development", None),
    ("Housing Office", "Planning and Development"),
    ("Transportation", None),
    ("Riverton Public Schools Liaison Office", None),
]

OFFICIALS = [
    # first, last, position title, department, level, planned end in days (None: open-ended)
    ("Marisol", "Ortega", "Mayor", "Office of the Mayor", "elected", 420),
    ("Derek", "Lindgren", "Deputy Mayor", "Office of the Mayor", "appointed", None),
    ("Annette", "Cho", "Council Member, District 1", "City Council", "elected", 120),
    ("Ray", "Whitaker", "Council Member, District 2", "City Council", "elected", 120),
    ("Fatima", "Diallo", "Council Member, District 3", "City Council", "elected", 600),
    ("Tom", "Brennan", "Council Member, District 4", "City Council", "elected", 600),
    ("Luz", "Navarro", "Director of Public Works", "Public Works", "executive", None),
    ("Kevin", "Osei", "Streets Program Manager", "Streets Division", "staff", 150),
    ("Priya", "Raman", "Water Quality Manager", "Water Utility", "staff", None),
    ("Hank", "Sorensen", "Parks Director", "Parks and Recreation", "executive", None),
    ("Grace", "Kim", "Health Commissioner", "Public Health", "appointed", 90),
    ("Omar", "Haddad", "Environmental Health Supervisor", "Environmental Health", "staff", None),
    ("Beth", "Yoder", "Housing Director", "Housing Office", "executive", None),
    ("Jamal", "Price", "Transportation Planner", "Transportation", "staff", None),
    ("Nora", "Fitzgerald", "Schools Liaison", "Riverton Public Schools Liaison Office", "staff", 300),
]

ORGANIZATIONS = [
    ("Eastside Tenants Union", Organization.Kind.GRASSROOTS),
    ("Grace Fellowship Church", Organization.Kind.FAITH),
    ("Riverton Community College", Organization.Kind.EDUCATION),
    ("Riverton Chamber of Commerce", Organization.Kind.BUSINESS),
    ("Riverton Food Bank", Organization.Kind.NONPROFIT),
    ("Meyer Family Foundation", Organization.Kind.PHILANTHROPY),
    ("Riverton Transit Authority", Organization.Kind.GOVERNMENT),
    ("Radio Riverton", Organization.Kind.MEDIA),
    ("Walk Bike Riverton", Organization.Kind.NONPROFIT),
    ("Latino Community Center", Organization.Kind.GRASSROOTS),
    ("Masjid Al-Noor", Organization.Kind.FAITH),
    ("Northside Neighbors Association", Organization.Kind.GRASSROOTS),
]

COALITIONS = [
    {
        "name": "Safe Routes to School Riverton",
        "mission_what": "Every child in Riverton can walk or bike to school safely.",
        "mission_why": "Most traffic injuries to children happen within half a mile of a school.",
        "mission_measure": "Crossing guards posted, sidewalk gaps closed and injuries near schools.",
        "goals": [("Sidewalk gaps closed near schools", "gaps", 0, 40), ("Crossing guards posted", "guards", 12, 30)],
    },
    {
        "name": "Riverton Housing Stability Coalition",
        "mission_what": "Fewer evictions and more affordable homes in Riverton.",
        "mission_why": "Eviction filings doubled on the east side in three years.",
        "mission_measure": "Eviction filings per month and households helped with rent.",
        "goals": [
            ("Households helped with emergency rent", "households", 0, 500),
            ("Eviction filings per month", "filings", 140, 80),
        ],
    },
    {
        "name": "Eastside Heat Relief Network",
        "mission_what": "No one in Riverton dies of heat.",
        "mission_why": "Heat waves are longer and the east side has the least shade.",
        "mission_measure": "Cooling centers open on heat days and trees planted.",
        "goals": [("Cooling centers open on heat days", "centers", 3, 15), ("Street trees planted", "trees", 0, 1200)],
    },
]


def _departments() -> dict[str, Department]:
    by_name: dict[str, Department] = {}
    for name, parent_name in DEPARTMENTS:
        parent = by_name.get(parent_name) if parent_name else None
        department = Department.objects.filter(name=name, parent=parent).first()
        if department is None:
            department = Department.objects.create(name=name, parent=parent)
        by_name[name] = department
    return by_name


def _officials(rng: random.Random, today: datetime.date) -> list[Person]:
    """The officials the ally maps are about, with positions and tenures (created when missing)."""
    departments = _departments()
    people = []
    for first, last, title, department_name, level, planned_days in OFFICIALS:
        department = departments[department_name]
        position = Position.objects.filter(title=title, department=department).first()
        if position is None:
            position = Position.objects.create(title=title, department=department, level=level)
        tenure = position.tenures.filter(actual_end_date__isnull=True).select_related("person").first()
        if tenure is None:
            contact = rng.choice([None, 5, 20, 45, 80, 100, 140, 200])
            person = Person.objects.create(
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}@riverton.example",
                last_contact_on=None if contact is None else today - datetime.timedelta(days=contact),
            )
            tenure = Tenure.objects.create(
                person=person,
                position=position,
                start_date=today - datetime.timedelta(days=rng.randint(200, 1500)),
                planned_end_date=None if planned_days is None else today + datetime.timedelta(days=planned_days),
            )
        people.append(tenure.person)
    # A former parks planner whose seat is still empty: the map flags it.
    former_position = Position.objects.filter(title="Urban Forestry Planner").first()
    if former_position is None:
        former_position = Position.objects.create(
            title="Urban Forestry Planner", department=departments["Parks and Recreation"], level="staff"
        )
        former = Person.objects.create(
            first_name="Wendell", last_name="Ashby", last_contact_on=today - datetime.timedelta(days=30)
        )
        Tenure.objects.create(
            person=former,
            position=former_position,
            start_date=today - datetime.timedelta(days=900),
            actual_end_date=today - datetime.timedelta(days=20),
            end_reason=Tenure.EndReason.RETIRED,
        )
    people.append(former_position.tenures.order_by("-start_date").first().person)
    election = Election.objects.filter(name="Riverton Municipal General Election").first()
    if election is None:
        election = Election.objects.create(
            name="Riverton Municipal General Election",
            jurisdiction="City of Riverton",
            date=today + datetime.timedelta(days=130),
        )
        election.positions.set(
            Position.objects.filter(title__in=["Council Member, District 1", "Council Member, District 2"])
        )
    return people


def _organizations() -> list[Organization]:
    organizations = []
    for name, kind in ORGANIZATIONS:
        organization = Organization.objects.filter(name=name).first() or Organization.objects.create(
            name=name, kind=kind, is_partner=True
        )
        organizations.append(organization)
    return organizations


def _liaison_person() -> Person | None:
    liaison = User.objects.filter(username="liaison").first()
    if liaison is None:
        return None
    person = Person.objects.filter(user=liaison).first()
    if person is None:
        person = Person.objects.create(
            first_name=liaison.first_name or "Lupe", last_name=liaison.last_name, user=liaison
        )
    return person


def seed(seed: int = 20261122) -> list[Coalition]:
    """Create the three demo coalitions that do not exist yet; return all three."""
    rng = random.Random(seed)
    today = timezone.localdate()
    RiskSettings.load()
    coordinator = User.objects.filter(username="coordinator").first()
    owners = list(User.objects.filter(username__in=["coordinator", "staff", "admin"]).order_by("username"))
    officials = _officials(rng, today)
    organizations = _organizations()
    liaison_person = _liaison_person()

    coalitions = []
    for index, spec in enumerate(COALITIONS):
        coalition = Coalition.objects.filter(name=spec["name"]).first()
        if coalition is not None:
            coalitions.append(coalition)
            continue
        coalition = Coalition.objects.create(
            name=spec["name"],
            mission_what=spec["mission_what"],
            mission_why=spec["mission_why"],
            mission_measure=spec["mission_measure"],
            status=Coalition.Status.ACTIVE,
            start_date=today - datetime.timedelta(days=400 - index * 90),
        )
        if coordinator:
            coalition.coordinators.add(coordinator)
        coalitions.append(coalition)

        members = rng.sample(organizations, 7)
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    coalition=coalition,
                    organization=organization,
                    role=[Membership.Role.LEAD, Membership.Role.STEERING, Membership.Role.FUNDER][position]
                    if position < 3
                    else rng.choice([Membership.Role.MEMBER, Membership.Role.ALLY]),
                    joined_on=coalition.start_date + datetime.timedelta(days=rng.randint(0, 120)),
                )
                for position, organization in enumerate(members)
            ]
        )
        if liaison_person and index == 0:
            memberships.append(
                Membership.objects.create(
                    coalition=coalition,
                    person=liaison_person,
                    role=Membership.Role.MEMBER,
                    joined_on=coalition.start_date,
                )
            )
        kinds = [kind for kind, _label in MemberResource.Kind.choices if kind != MemberResource.Kind.DATA or index == 1]
        MemberResource.objects.bulk_create(
            [
                MemberResource(membership=membership, kind=kind, note="")
                for membership in memberships
                for kind in rng.sample(kinds, rng.randint(0, 2))
            ]
        )

        for metric, unit, baseline, target in spec["goals"]:
            goal = Goal.objects.create(
                coalition=coalition,
                metric=metric,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                due_date=today + datetime.timedelta(days=365),
            )
            value = Decimal(baseline)
            step = (Decimal(target) - Decimal(baseline)) / 10
            progress = []
            for month in range(6, 0, -1):
                value += step * Decimal(rng.choice([0.5, 1, 1.5]))
                progress.append(
                    GoalProgress(
                        goal=goal, recorded_on=today - datetime.timedelta(days=30 * month), value=round(value, 2)
                    )
                )
            GoalProgress.objects.bulk_create(progress)

        allies = rng.sample(officials, 11) if index else officials[:]
        stances = AllyStance.objects.bulk_create(
            [
                AllyStance(
                    coalition=coalition,
                    person=person,
                    stance=rng.choice(Stance.values),
                    influence=rng.choice(Influence.values),
                    owner=rng.choice(owners) if owners else None,
                )
                for person in allies
            ]
        )
        history = []
        for ally in stances:
            earlier = rng.choice(Stance.values)
            started = timezone.now() - datetime.timedelta(days=rng.randint(120, 300))
            history.append(
                StanceChange(
                    ally_stance=ally,
                    changed_at=started,
                    changed_by=coordinator,
                    to_stance=earlier,
                    to_influence=ally.influence,
                    to_owner=ally.owner,
                )
            )
            if earlier != ally.stance:
                history.append(
                    StanceChange(
                        ally_stance=ally,
                        changed_at=started + datetime.timedelta(days=rng.randint(20, 100)),
                        changed_by=coordinator,
                        from_stance=earlier,
                        to_stance=ally.stance,
                        from_influence=ally.influence,
                        to_influence=ally.influence,
                        from_owner=ally.owner,
                        to_owner=ally.owner,
                        note="After a one-on-one meeting.",
                    )
                )
        StanceChange.objects.bulk_create(history)

        group = WorkingGroup.objects.create(
            coalition=coalition, name="Data and evaluation", purpose="Agree on the numbers the coalition reports."
        )
        group.departments.set({person.tenures.first().position.department for person in allies[:3]})
        group.people.set(allies[:3])

        agreement = Agreement(
            coalition=coalition,
            kind=Agreement.Kind.DATA_SHARING if index == 1 else Agreement.Kind.MOU,
            title=f"{spec['name']} memorandum",
            signed_on=coalition.start_date,
            expires_on=coalition.start_date + datetime.timedelta(days=730),
            data_categories="Program participation counts\nNeighborhood-level outcomes",
        )
        agreement.document.save(
            f"memorandum-{coalition.pk}.txt",
            ContentFile(f"Memorandum of understanding for {spec['name']} (demo).\n".encode()),
            save=False,
        )
        agreement.save()
        agreement.parties.set(members[:3])
    return coalitions
