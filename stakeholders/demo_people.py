"""Demo people and organizations of the fictional city of Riverton.

Deterministic (a seeded random generator), fast (bulk_create) and idempotent:
records are keyed by name or email and only the missing ones are created.
"""

from __future__ import annotations

import datetime
import random

from django.db.models.functions import Lower

from .models import Affiliation, Language, Neighborhood, Organization, Person, Tag, User

# (name, council district)
NEIGHBORHOODS = [
    ("Old Town", "1"),
    ("Riverfront", "1"),
    ("Millbrook", "2"),
    ("North Bend", "2"),
    ("Cedar Heights", "3"),
    ("Eastside Flats", "3"),
    ("Lakeview", "4"),
    ("Harbor Point", "4"),
    ("Southgate", "5"),
    ("Westmoor", "5"),
    ("Orchard Park", "6"),
    ("Union Square", "6"),
    ("Bellwood", "7"),
    ("Fairground", "7"),
    ("Iron Hill", "8"),
    ("Prairie View", "8"),
    ("Canal District", "1"),
    ("Sunnyside", "3"),
    ("Maple Grove", "5"),
    ("Stockyards", "7"),
]

TAGS = [
    "youth",
    "seniors",
    "housing",
    "transit",
    "small business",
    "immigrant services",
    "public safety",
    "parks",
    "faith leader",
    "tenant organizer",
    "disability advocate",
    "environment",
]

FIRST_NAMES = [
    "Maria", "James", "Fatima", "Nguyen", "Aisha", "Carlos", "Mei", "David", "Amina", "Luis", "Grace", "Omar",
    "Sofia", "Kwame", "Hannah", "Jamal", "Priya", "Miguel", "Linh", "Abdi", "Rosa", "Tyrone", "Leila", "Samuel",
    "Yesenia", "Hassan", "Keisha", "Diego", "Hoa", "Ruth", "Ahmed", "Elena", "Marcus", "Nadia", "Kofi", "Teresa",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Johnson", "Ali", "Tran", "Mohamed", "Hernandez", "Chen", "Williams", "Hassan", "Lopez", "Kim",
    "Brown", "Martinez", "Osei", "Nguyen", "Davis", "Patel", "Rodriguez", "Pham", "Abdullahi", "Jackson",
    "Sanchez", "Yusuf", "Miller", "Reyes", "Lee", "Okafor", "Flores", "Wilson", "Gomez", "Ibrahim", "Moore",
]  # fmt: skip
ORGANIZATION_STEMS = {
    Organization.Kind.GRASSROOTS: ["Neighbors United", "Tenants Union", "Block Club", "Mutual Aid Network"],
    Organization.Kind.FAITH: ["First Baptist Church", "Masjid An-Nur", "St. Brigid Parish", "Temple Beth Shalom"],
    Organization.Kind.EDUCATION: ["Elementary PTA", "Community College", "Literacy Center", "Youth Academy"],
    Organization.Kind.BUSINESS: ["Business Association", "Merchants Guild", "Chamber of Commerce", "Makers Co-op"],
    Organization.Kind.NONPROFIT: ["Food Bank", "Housing Partners", "Health Clinic", "Legal Aid"],
    Organization.Kind.PHILANTHROPY: ["Community Foundation", "Giving Circle"],
    Organization.Kind.GOVERNMENT: ["Housing Authority", "Transit Agency"],
    Organization.Kind.MEDIA: ["Community Radio", "Neighborhood Gazette"],
}
LANGUAGE_CODES = ["en", "es", "vi", "so", "ar", "zh", "hmn", "fr"]
ROLE_TITLES = ["Member", "Board member", "Director", "Volunteer", "Organizer", "Pastor", "Chair", "Staff"]
PEOPLE = 400
ORGANIZATIONS = 80


def seed(random_seed: int = 2026) -> dict[str, int]:
    """Create the missing demo neighborhoods, tags, organizations, people and affiliations."""
    known = {name.lower() for name in Neighborhood.objects.values_list("name", flat=True)}
    Neighborhood.objects.bulk_create(
        [
            Neighborhood(name=name, council_district=district)
            for name, district in NEIGHBORHOODS
            if name.lower() not in known
        ]
    )
    neighborhoods = list(Neighborhood.objects.filter(name__in=[name for name, _ in NEIGHBORHOODS]).order_by("name"))
    Tag.objects.bulk_create([Tag(name=name) for name in TAGS], ignore_conflicts=True)
    tags = list(Tag.objects.filter(name__in=TAGS).order_by("name"))
    languages = list(Language.objects.filter(code__in=LANGUAGE_CODES).order_by("code"))

    # Each part draws from its own generator, so skipping what exists never
    # shifts the random choices of the next part.
    organizations = _seed_organizations(random.Random(random_seed), neighborhoods, languages, tags)
    created_people = _seed_people(random.Random(random_seed + 1), neighborhoods, languages, tags, organizations)
    _link_liaison(organizations)
    return {"organizations": len(organizations), "people_created": created_people}


def _seed_organizations(rng, neighborhoods, languages, tags) -> list[Organization]:
    wanted = []
    kinds = list(ORGANIZATION_STEMS)
    for number in range(ORGANIZATIONS):
        kind = kinds[number % len(kinds)]
        stem = ORGANIZATION_STEMS[kind][(number // len(kinds)) % len(ORGANIZATION_STEMS[kind])]
        place = neighborhoods[number % len(neighborhoods)]
        wanted.append((f"{place.name} {stem}", kind, place))
    existing = set(Organization.objects.annotate(lowered=Lower("name")).values_list("lowered", flat=True))
    every = [
        Organization(
            name=name,
            kind=kind,
            is_partner=rng.random() < 0.4,
            communities_served=rng.choice(["Families", "Young people", "Older adults", "Immigrants", "Workers"]),
            email=f"info@{name.lower().replace(' ', '-').replace('.', '')}.example",
            website=f"https://{name.lower().replace(' ', '-').replace('.', '')}.example",
        )
        for name, kind, _place in wanted
    ]
    new = [organization for organization in every if organization.name.lower() not in existing]
    Organization.objects.bulk_create(new)
    by_name = {o.name: o for o in Organization.objects.filter(name__in=[name for name, _, _ in wanted])}
    places = {name: place for name, _kind, place in wanted}
    neighborhood_links, language_links, tag_links = [], [], []
    for organization in new:
        organization = by_name[organization.name]
        neighborhood_links.append(
            Organization.neighborhoods.through(
                organization_id=organization.pk, neighborhood_id=places[organization.name].pk
            )
        )
        for language in rng.sample(languages, k=rng.randint(1, 3)):
            language_links.append(
                Organization.languages.through(organization_id=organization.pk, language_id=language.pk)
            )
        tag_links.append(Organization.tags.through(organization_id=organization.pk, tag_id=rng.choice(tags).pk))
    Organization.neighborhoods.through.objects.bulk_create(neighborhood_links, ignore_conflicts=True)
    Organization.languages.through.objects.bulk_create(language_links, ignore_conflicts=True)
    Organization.tags.through.objects.bulk_create(tag_links, ignore_conflicts=True)
    return sorted(by_name.values(), key=lambda o: o.name)


def _seed_people(rng, neighborhoods, languages, tags, organizations) -> int:
    english = next(language for language in languages if language.code == "en")
    rows = []
    for number in range(PEOPLE):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        spoken = {english, *rng.sample(languages, k=rng.randint(0, 2))}
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{number}@riverton.example".lower(),
                "phone": f"(555) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                "neighborhood": rng.choice(neighborhoods),
                "preferred_language": rng.choice(sorted(spoken, key=lambda language: language.code)),
                "languages": spoken,
                "tags": rng.sample(tags, k=rng.randint(0, 2)),
                "may_contact": rng.random() < 0.8,
                "may_share": rng.random() < 0.5,
                "organization": rng.choice(organizations),
                "role_title": rng.choice(ROLE_TITLES),
                "start": datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3500)),
            }
        )
    existing = set(Person.objects.filter(email__endswith="@riverton.example").values_list("email", flat=True))
    rows = [row for row in rows if row["email"] not in existing]
    people = [
        Person(
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            phone=row["phone"],
            neighborhood=row["neighborhood"],
            preferred_language=row["preferred_language"],
            may_contact=row["may_contact"],
            may_share=row["may_share"],
        )
        for row in rows
    ]
    Person.objects.bulk_create(people)
    Person.languages.through.objects.bulk_create(
        [
            Person.languages.through(person_id=p.pk, language_id=lang.pk)
            for p, row in zip(people, rows, strict=True)
            for lang in row["languages"]
        ]
    )
    Person.tags.through.objects.bulk_create(
        [
            Person.tags.through(person_id=p.pk, tag_id=tag.pk)
            for p, row in zip(people, rows, strict=True)
            for tag in row["tags"]
        ]
    )
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                person=p, organization=row["organization"], role_title=row["role_title"], start_date=row["start"]
            )
            for p, row in zip(people, rows, strict=True)
        ]
    )
    return len(people)


def _link_liaison(organizations) -> None:
    """Give the demo liaison a person record, affiliated with two organizations,
    so that they see the people they work with."""
    liaison = User.objects.filter(username="liaison").first()
    if liaison is None or Person.objects.filter(user=liaison).exists():
        return
    person = Person.objects.filter(email__iexact=liaison.email).first() if liaison.email else None
    if person is None:
        person = Person.objects.create(
            first_name=liaison.first_name or "Lupe",
            last_name=liaison.last_name,
            email=liaison.email,
            may_contact=True,
            user=liaison,
        )
    else:
        Person.objects.filter(pk=person.pk).update(user=liaison)
    Affiliation.objects.bulk_create(
        [
            Affiliation(person=person, organization=organization, role_title="Community liaison")
            for organization in organizations[:2]
        ]
    )
