"""Demo data for the reminders: a few Riverton office holders, an election, a resignation,
relationships owned by the demo coordinator and staff user, and one scan so the home page
has follow-ups. Idempotent: everything is looked up before it is created, and the scan
inserts nothing that exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from stakeholders.models import Department, Election, Person, Position, Relationship, Tenure, User

from .services.followups import followups_scan_all

COUNCIL = "City Council"
HOUSING = "Housing Office"

# first, last, department, position title, level
HOLDERS = [
    ("Marisol", "Vega", COUNCIL, "Council Member, Ward 1", Position.Level.ELECTED),
    ("Terrence", "Boyd", COUNCIL, "Council Member, Ward 2", Position.Level.ELECTED),
    ("Hannah", "Lindgren", COUNCIL, "Council Member, Ward 3", Position.Level.ELECTED),
    ("Dwayne", "Porter", HOUSING, "Housing Program Manager", Position.Level.STAFF),
]


def seed(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo holders and relationships that do not exist yet, then scan once."""
    today = today or timezone.localdate()
    coordinator = User.objects.filter(username="coordinator").first()
    staff = User.objects.filter(username="staff").first()
    if coordinator is None or staff is None:
        return {"total": 0}
    contact, _ = Person.objects.get_or_create(
        first_name="Rosa", last_name="Delgado", defaults={"notes": "Riverton Tenants Union organizer."}
    )
    tenures = {}
    for first, last, department_name, title, level in HOLDERS:
        # Reuse the department of that name wherever the government seed put it.
        department = Department.objects.filter(name=department_name).order_by("pk").first()
        if department is None:
            department = Department.objects.create(name=department_name)
        position, _ = Position.objects.get_or_create(title=title, department=department, defaults={"level": level})
        person, _ = Person.objects.get_or_create(first_name=first, last_name=last)
        tenure, _ = Tenure.objects.get_or_create(
            person=person,
            position=position,
            defaults={"start_date": today - datetime.timedelta(days=900), "planned_end_date": None},
        )
        tenures[title] = tenure
    # Ward 3's term ends within the term-end lead time.
    ward3 = tenures["Council Member, Ward 3"]
    if ward3.planned_end_date is None:
        Tenure.objects.filter(pk=ward3.pk).update(planned_end_date=today + datetime.timedelta(days=100))
    # The housing program manager resigned last week; an acting manager took over.
    director = tenures["Housing Program Manager"]
    if director.actual_end_date is None:
        Tenure.objects.filter(pk=director.pk).update(
            actual_end_date=today - datetime.timedelta(days=5), end_reason=Tenure.EndReason.RESIGNED
        )
        acting, _ = Person.objects.get_or_create(first_name="Imani", last_name="Clarke")
        Tenure.objects.get_or_create(
            person=acting,
            position=director.position,
            defaults={"start_date": today - datetime.timedelta(days=4), "is_acting": True},
        )
    election, created = Election.objects.get_or_create(
        name="Riverton General Election",
        defaults={"jurisdiction": "City of Riverton", "date": today + datetime.timedelta(days=85)},
    )
    if created:
        election.positions.add(tenures["Council Member, Ward 1"].position, tenures["Council Member, Ward 2"].position)
    for title, owner in [
        ("Council Member, Ward 1", coordinator),
        ("Council Member, Ward 2", staff),
        ("Council Member, Ward 3", coordinator),
        ("Housing Program Manager", coordinator),
    ]:
        Relationship.objects.get_or_create(
            person=contact,
            other_person=tenures[title].person,
            defaults={"owner": owner, "kind": Relationship.Kind.WORKS_WITH, "strength": 4},
        )
    return followups_scan_all(today=today)
