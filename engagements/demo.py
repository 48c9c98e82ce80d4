"""Demo data for engagements: a year of sessions in Riverton with what was heard and promised.

Uses the neighborhoods, departments, organizations and people that other demo seeds made,
and creates a few of each only when there are none. Deterministic (``random.Random``),
fast (bulk inserts) and idempotent (a second run finds the first demo session and stops).
"""

from __future__ import annotations

import datetime
import random
import secrets
import zoneinfo
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from stakeholders.models import Department, Language, Neighborhood, Organization, Person, User
from stakeholders.roles import Role

from .models import (
    Attendance,
    AttendanceBreakdown,
    BreakdownCategory,
    BreakdownOption,
    Commitment,
    CommitmentStatusChange,
    Engagement,
    InputItem,
    LoopBack,
    Theme,
)

CITY_TZ = zoneinfo.ZoneInfo("America/Chicago")
NEIGHBORHOODS = ["Eastside", "Millbrook", "Old Town", "Riverside", "Northgate", "Southport", "Hillcrest", "Westfield"]
DEPARTMENTS = ["Housing", "Transportation", "Parks and Recreation", "Public Health", "Police", "Public Works"]
ORGANIZATIONS = [
    "Eastside Tenants Union",
    "Riverton Public Library",
    "Iglesia Santa Rosa",
    "Somali Community Center of Riverton",
    "Millbrook Neighborhood Association",
    "Riverton Youth Alliance",
]
FIRST_NAMES = ["Ana", "Luis", "Mai", "Hodan", "James", "Fatima", "Carlos", "Linh", "Grace", "Omar", "Rosa", "Ahmed"]
LAST_NAMES = ["Garcia", "Nguyen", "Abdi", "Johnson", "Hassan", "Lopez", "Tran", "Williams", "Ali", "Martinez"]
LOCATIONS = ["Community Center", "Public Library", "Recreation Center", "Elementary School gym", "Church hall"]
HEARD = {
    "Affordable housing": [
        "Rents went up 20% this year",
        "Landlords ignore repair requests",
        "Need more senior housing",
    ],
    "Streets and transit": ["Bus 7 comes late or not at all", "Crosswalk near the school is dangerous"],
    "Public safety": ["Streetlights are out on Main", "Speeding on residential streets"],
    "Parks and recreation": ["Playground equipment is broken", "Pool hours are too short in summer"],
    "Language access": ["City notices only come in English", "No interpreter at the last hearing"],
    "Health": ["Clinic wait times are months long", "Air quality near the plant worries parents"],
    "Jobs and small business": ["Permits take too long for small shops", "Youth need summer jobs"],
    "Environment": ["Flooding on the river road after storms", "Illegal dumping behind the market"],
}
PROMISES = [
    "Ask the department for a written answer within 30 days",
    "Schedule a follow-up meeting with the department lead",
    "Translate the next notice into Spanish, Vietnamese and Somali",
    "Add the repair to this year's work plan",
    "Share the budget figures at the next session",
    "Walk the street with residents and the traffic engineer",
]
KIND_WEIGHTS = {
    Engagement.Kind.LISTENING_SESSION: 40,
    Engagement.Kind.COMMUNITY_MEETING: 20,
    Engagement.Kind.PUBLIC_HEARING: 8,
    Engagement.Kind.COMMUNITY_LED: 10,
    Engagement.Kind.ONE_ON_ONE: 8,
    Engagement.Kind.WORKSHOP: 8,
    Engagement.Kind.BOARD_MEETING: 4,
    Engagement.Kind.OTHER: 2,
}


def _ensure_places_and_people(rng: random.Random):
    if not Neighborhood.objects.exists():
        Neighborhood.objects.bulk_create([Neighborhood(name=name) for name in NEIGHBORHOODS])
    if not Department.objects.exists():
        Department.objects.bulk_create([Department(name=name) for name in DEPARTMENTS])
    if not Organization.objects.exists():
        Organization.objects.bulk_create([Organization(name=name, is_partner=True) for name in ORGANIZATIONS])
    if Person.objects.filter(user__isnull=True).count() < 20:
        Person.objects.bulk_create(
            [
                Person(
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}@residents.riverton.example".lower(),
                    may_contact=True,
                )
                for first in FIRST_NAMES
                for last in LAST_NAMES[:4]
            ]
        )
    liaison = User.objects.filter(groups__name=str(Role.LIAISON), is_active=True).order_by("pk").first()
    if liaison is not None and not Person.objects.filter(user=liaison).exists():
        Person.objects.create(
            first_name=liaison.first_name or liaison.username, last_name=liaison.last_name, user=liaison
        )
    category = BreakdownCategory.objects.filter(kind=BreakdownCategory.Kind.NEIGHBORHOOD).first()
    if category is not None and not category.options.exists():
        BreakdownOption.objects.bulk_create(
            [
                BreakdownOption(category=category, label=n.name, neighborhood=n, position=i)
                for i, n in enumerate(Neighborhood.objects.all())
            ]
        )


def _first_start(today: datetime.date) -> datetime.datetime:
    day = today - datetime.timedelta(days=365)
    return datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=CITY_TZ)


def seed(*, count: int = 300, seed_value: int = 4) -> int:
    """Create about a year of demo engagements (ending two weeks from today); return how many were made."""
    rng = random.Random(seed_value)
    today = timezone.localdate()
    first_start = _first_start(today)
    if Engagement.objects.filter(starts_at=first_start, location__endswith=LOCATIONS[0]).exists():
        return 0
    _ensure_places_and_people(rng)

    neighborhoods = list(Neighborhood.objects.all())
    departments = list(Department.objects.all())
    organizations = list(Organization.objects.all())
    residents = list(Person.objects.filter(user__isnull=True).order_by("pk")[:200])
    liaisons = list(Person.objects.filter(user__groups__name=str(Role.LIAISON)))
    staff = list(User.objects.filter(groups__name=str(Role.STAFF), is_active=True)) or list(
        User.objects.filter(is_active=True)[:3]
    )
    owners = list(User.objects.filter(groups__name=str(Role.COORDINATOR), is_active=True)) or staff
    languages = {lang.code: lang for lang in Language.objects.filter(code__in=["en", "es", "vi", "so", "ar"])}
    themes = {theme.name: theme for theme in Theme.objects.all()}
    options_by_category = defaultdict(list)
    for option in BreakdownOption.objects.select_related("category"):
        options_by_category[option.category_id].append(option)
    coordinator = owners[0] if owners else None

    span_days = 365 + 14
    engagements = []
    for n in range(count):
        if n == 0:
            starts_at = first_start
        else:
            day = today - datetime.timedelta(days=365) + datetime.timedelta(days=rng.randrange(span_days))
            hour = rng.choice([9, 10, 13, 17, 18, 18, 19])
            starts_at = datetime.datetime.combine(day, datetime.time(hour, rng.choice([0, 30])), tzinfo=CITY_TZ)
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        neighborhood = rng.choice(neighborhoods) if neighborhoods else None
        place = LOCATIONS[0] if n == 0 else rng.choice(LOCATIONS)
        where = neighborhood.name if neighborhood else "Riverton"
        engagements.append(
            Engagement(
                kind=kind,
                title=f"{Engagement.Kind(kind).label}: {where}",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=rng.choice([60, 90, 120])),
                neighborhood=neighborhood,
                location=f"{where} {place}",
                summary=f"Residents of {where} shared concerns and ideas with city staff.",
                attendance_total=0 if starts_at.date() > today else rng.randint(4, 80),
                created_by=rng.choice(staff) if staff else None,
                status=Engagement.Status.LOGGED,
                accessibility=rng.choice(["", "", "Wheelchair access", "Childcare and snacks", "Live captioning"]),
            )
        )
    Engagement.objects.bulk_create(engagements)

    through = {name: getattr(Engagement, name).through for name in ("languages", "interpretation_languages")}
    rows = defaultdict(list)
    items, item_themes, commitment_rows, answered = [], [], [], []
    contact: dict[int, datetime.date] = {}
    for engagement in engagements:
        used = ["en"] + rng.sample(["es", "vi", "so", "ar"], k=rng.randint(0, 2))
        for code in used:
            if code in languages:
                rows["languages"].append(through["languages"](engagement_id=engagement.pk, language_id=code))
        for code in used[1:]:
            if code in languages:
                rows["interp"].append(
                    through["interpretation_languages"](engagement_id=engagement.pk, language_id=code)
                )
        for org in rng.sample(organizations, k=min(len(organizations), rng.randint(0, 2))):
            rows["hosts"].append(
                Engagement.host_organizations.through(engagement_id=engagement.pk, organization_id=org.pk)
            )
        for dept in rng.sample(departments, k=min(len(departments), rng.randint(1, 2))):
            rows["departments"].append(
                Engagement.departments.through(engagement_id=engagement.pk, department_id=dept.pk)
            )
        if engagement.created_by_id:
            rows["users"].append(
                Engagement.facilitator_users.through(engagement_id=engagement.pk, user_id=engagement.created_by_id)
            )
        day = engagement.starts_at.astimezone(CITY_TZ).date()
        if day > today:  # upcoming: planned, nothing heard yet
            continue
        if liaisons and rng.random() < 0.4:
            liaison = rng.choice(liaisons)
            rows["people"].append(
                Engagement.facilitator_people.through(engagement_id=engagement.pk, person_id=liaison.pk)
            )
            contact[liaison.pk] = max(contact.get(liaison.pk, day), day)
        for person in rng.sample(residents, k=min(len(residents), rng.randint(0, 6))):
            rows["attendance"].append(Attendance(engagement_id=engagement.pk, person_id=person.pk))
            contact[person.pk] = max(contact.get(person.pk, day), day)
        for category_options in options_by_category.values():
            if rng.random() < 0.5 or not category_options:
                continue
            remaining = engagement.attendance_total
            for option in rng.sample(category_options, k=min(len(category_options), rng.randint(1, 3))):
                share = rng.randint(0, remaining)
                remaining -= share
                rows["breakdowns"].append(AttendanceBreakdown(engagement_id=engagement.pk, option=option, count=share))
        heard_here = []
        for position, theme_name in enumerate(rng.sample(list(HEARD), k=rng.randint(1, 4))):
            item = InputItem(
                engagement_id=engagement.pk,
                text=rng.choice(HEARD[theme_name]),
                count_raised=rng.randint(1, max(1, engagement.attendance_total // 3)),
                position=position,
            )
            items.append(item)
            heard_here.append((item, theme_name))
        for position in range(rng.choice([0, 1, 1, 2, 3])):
            commitment = Commitment(
                engagement_id=engagement.pk,
                description=rng.choice(PROMISES),
                owner=rng.choice(owners) if owners else None,
                department=rng.choice(departments) if departments else None,
                due_on=day + datetime.timedelta(days=rng.choice([14, 30, 60, 90])),
                position=position,
            )
            commitment_rows.append(commitment)
            answered.append((commitment, rng.choice(heard_here)[0]))
        item_themes.extend(heard_here)
    InputItem.objects.bulk_create(items)
    InputItem.themes.through.objects.bulk_create(
        [
            InputItem.themes.through(inputitem_id=item.pk, theme_id=themes[name].pk)
            for item, name in item_themes
            if name in themes
        ]
    )

    # Older promises have moved further along; every status shows up.
    changes, loop_backs = [], []
    path = ["proposed", "accepted", "in_progress", "done"]
    for commitment in commitment_rows:
        engagement_day = commitment.due_on
        age = (today - engagement_day).days
        if age > 60:
            final = rng.choice(["done", "done", "in_progress", "declined"])
        elif age > 0:
            final = rng.choice(["accepted", "in_progress", "done", "proposed"])
        else:
            final = rng.choice(["proposed", "proposed", "accepted"])
        commitment.status = final
        if final == "declined":
            commitment.declined_reason = "Not within the city's authority; referred to the county."
    Commitment.objects.bulk_create(commitment_rows)
    Commitment.input_items.through.objects.bulk_create(
        [Commitment.input_items.through(commitment_id=c.pk, inputitem_id=item.pk) for c, item in answered]
    )
    for commitment in commitment_rows:
        steps = (
            ["proposed", "declined"] if commitment.status == "declined" else path[: path.index(commitment.status) + 1]
        )
        base = datetime.datetime.combine(commitment.due_on, datetime.time(12), tzinfo=CITY_TZ) - datetime.timedelta(
            days=30
        )
        for index, status in enumerate(steps):
            changes.append(
                CommitmentStatusChange(
                    commitment=commitment,
                    from_status=steps[index - 1] if index else "",
                    to_status=status,
                    reason=commitment.declined_reason if status == "declined" else "",
                    changed_by=coordinator,
                    changed_at=min(base + datetime.timedelta(days=7 * index), timezone.now()),
                )
            )
        if commitment.status in ("done", "declined", "in_progress") and rng.random() < 0.7:
            loop_backs.append(
                LoopBack(
                    commitment=commitment,
                    date=min(commitment.due_on, today),
                    method=rng.choice(LoopBack.Method.values),
                    note="Shared the update with residents who came.",
                    recorded_by=coordinator,
                )
            )
    CommitmentStatusChange.objects.bulk_create(changes)
    LoopBack.objects.bulk_create(loop_backs)
    if "en" in languages:
        LoopBack.languages.through.objects.bulk_create(
            [LoopBack.languages.through(loopback_id=lb.pk, language_id="en") for lb in loop_backs]
        )

    Engagement.languages.through.objects.bulk_create(rows["languages"])
    Engagement.interpretation_languages.through.objects.bulk_create(rows["interp"])
    Engagement.host_organizations.through.objects.bulk_create(rows["hosts"])
    Engagement.departments.through.objects.bulk_create(rows["departments"])
    Engagement.facilitator_users.through.objects.bulk_create(rows["users"], ignore_conflicts=True)
    Engagement.facilitator_people.through.objects.bulk_create(rows["people"], ignore_conflicts=True)
    Attendance.objects.bulk_create(rows["attendance"], ignore_conflicts=True)
    AttendanceBreakdown.objects.bulk_create(rows["breakdowns"], ignore_conflicts=True)

    # A few "You said, we did" pages are online.
    published = [e for e in engagements if e.starts_at.date() < today and rng.random() < 0.1]
    for engagement in published:
        engagement.is_published = True
        engagement.public_token = secrets.token_urlsafe(24)
        engagement.published_at = timezone.now()
    Engagement.objects.bulk_update(published, ["is_published", "public_token", "published_at"])

    # Last contact moves forward only (as the services do), for attendees, liaisons and staff facilitators.
    people = Person.objects.filter(Q(pk__in=contact) | Q(user__in=staff))
    staff_days: dict[int, datetime.date] = {}
    for engagement in engagements:
        day = engagement.starts_at.astimezone(CITY_TZ).date()
        if engagement.created_by_id and day <= today:
            staff_days[engagement.created_by_id] = max(staff_days.get(engagement.created_by_id, day), day)
    changed = []
    for person in people:
        day = contact.get(person.pk) or staff_days.get(person.user_id)
        if day and day > today:
            day = today
        if day and (person.last_contact_on is None or person.last_contact_on < day):
            person.last_contact_on = day
            changed.append(person)
    Person.objects.bulk_update(changed, ["last_contact_on"])
    return len(engagements)
