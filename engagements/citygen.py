"""Build a large synthetic city fast: PostgreSQL COPY of model instances.

Used by ``manage.py generate_city --size small|large`` (see that command). Rows
are built as ordinary model instances (so model defaults and ``auto_now``
apply), then streamed with one ``COPY ... FROM STDIN`` per table; the ids come
back in insertion order. Database triggers (pghistory insert events, the
breakdown and agreement-overlap checks) and every constraint fire as usual.

Each run adds a self-contained city next to whatever exists: names carry a run
prefix, stances and follow-ups point at this run's rows only, so running it
twice doubles the city without breaking a unique key.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import uuid
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from coalition.models import AllyStance, Coalition, Membership
from engagements import citygen_boards
from engagements.models import (
    Attendance,
    AttendanceBreakdown,
    BaselineRow,
    BreakdownCategory,
    BreakdownOption,
    CensusBaseline,
    Commitment,
    Engagement,
    FollowUp,
    InputItem,
)
from engagements.services.equity import equity_reach_refresh
from stakeholders.models import (
    Affiliation,
    Department,
    Election,
    FundingSource,
    Language,
    LiaisonProfile,
    Neighborhood,
    Organization,
    Person,
    PersonDemographics,
    Position,
    Relationship,
    StipendAgreement,
    StipendPayment,
    Tenure,
    User,
)

SIZES: dict[str, dict[str, int]] = {
    "small": {
        "users": 6,
        "people": 400,
        "organizations": 40,
        "affiliations": 200,
        "departments": 4,
        "positions": 20,
        "tenures": 100,
        "elections": 2,
        "relationships": 200,
        "engagements": 60,
        "attendance": 600,
        "input_items": 120,
        "commitments": 60,
        "coalitions": 2,
        "stances": 60,
        "liaisons": 4,
        "payments": 60,
        "followups": 200,
    },
    "large": {
        "users": 100,
        "people": 50_000,
        "organizations": 5_000,
        "affiliations": 25_000,
        "departments": 60,
        "positions": 2_000,
        "tenures": 100_000,
        "elections": 6,
        "relationships": 20_000,
        "engagements": 30_000,
        "attendance": 300_000,
        "input_items": 60_000,
        "commitments": 10_000,
        "coalitions": 20,
        "stances": 3_000,
        "liaisons": 200,
        "payments": 5_000,
        "followups": 50_000,
    },
}

FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hector",
    "Ines",
    "Jamal",
    "Keiko",
    "Luis",
    "Maya",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Diallo",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Johnson",
    "Kowalski",
    "Lopez",
    "Murphy",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quintero",
    "Rossi",
    "Smith",
    "Tanaka",
    "Usman",
    "Vargas",
    "Williams",
    "Xu",
    "Young",
    "Zhang",
]
WORDS = [
    "river",
    "park",
    "housing",
    "transit",
    "library",
    "youth",
    "safety",
    "jobs",
    "parks",
    "clinic",
    "food",
    "arts",
    "water",
    "budget",
]
ORG_KINDS = ["Alliance", "Network", "Church", "Co-op", "Association"]
# Preferred languages by share of residents (None: not recorded), roughly a mid-sized US
# city's; the messenger panel (stakeholders/selectors/messengers.py) matches on them.
PREFERRED_LANGUAGES = [
    ("en", 50),
    ("es", 18),
    (None, 10),
    ("vi", 4),
    ("zh", 3),
    ("so", 3),
    ("ar", 2),
    ("tl", 2),
    ("hmn", 2),
    ("ru", 2),
    ("ht", 1),
    ("ko", 1),
    ("am", 1),
    ("fr", 1),
]
DEMO_USERNAMES = ("admin", "staff", "coordinator", "admin2")


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list):  # an array column, as a PostgreSQL array literal
        value = "{" + ",".join('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value) + "}"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_instances(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    """Insert ``objs`` with one COPY and set their primary keys (in insertion order)."""
    if not objs:
        return objs
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    buffer = io.StringIO()
    for obj in objs:
        values = (f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
        buffer.write("\t".join(_text(v) for v in values))
        buffer.write("\n")
    buffer.seek(0)
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608 -- quoted model table
        (before,) = cursor.fetchone()
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)  # noqa: S608
        if isinstance(meta.pk, models.AutoField):
            cursor.execute(f"SELECT id FROM {table} WHERE id > %s ORDER BY id", [before])  # noqa: S608  # nosec B608
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) != len(objs):
                raise RuntimeError(f"{meta.db_table}: expected {len(objs)} new rows, found {len(ids)}.")
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
                obj._state.adding = False
    return objs


class _Equity:
    """Places, consented demographics and anonymous breakdown counts for the equity dashboard.

    Draws from its own generator, like ``_Languages``, so the rest of the city is what
    it was before. Neighborhoods come in council districts; each engagement is held in
    one; two in five people consent to give an age band; half the engagements were
    counted anonymously by language, age band and neighborhood (within their total).
    """

    NEIGHBORHOODS = 40
    DISTRICTS = 10

    def __init__(self, seed: int, prefix: str):
        self.rng = random.Random(f"equity-{seed}")
        self.neighborhoods = copy_instances(
            Neighborhood,
            [
                Neighborhood(
                    name=f"{WORDS[i % len(WORDS)].title()} {prefix}-{i}", council_district=str(1 + i % self.DISTRICTS)
                )
                for i in range(self.NEIGHBORHOODS)
            ],
        )
        category = BreakdownCategory.objects.filter(kind=BreakdownCategory.Kind.NEIGHBORHOOD).first()
        self.place_options = {}
        if category is not None:
            options = copy_instances(
                BreakdownOption,
                [
                    BreakdownOption(category=category, label=n.name, neighborhood=n, position=100 + i)
                    for i, n in enumerate(self.neighborhoods)
                ],
            )
            self.place_options = {option.neighborhood_id: option for option in options}
        self.languages = list(
            BreakdownOption.objects.filter(category__kind=BreakdownCategory.Kind.LANGUAGE).order_by("pk")
        )
        self.ages = list(BreakdownOption.objects.filter(category__kind=BreakdownCategory.Kind.AGE_BAND).order_by("pk"))

    def neighborhood_id(self) -> int:
        return self.neighborhoods[self.rng.randrange(len(self.neighborhoods))].pk

    def demographics(self, people, recorder, now) -> list:
        bands = [band for band in PersonDemographics.AgeBand.values if band != "not_said"]
        return [
            PersonDemographics(
                person=person, consent_recorded_at=now, consent_recorded_by=recorder, age_band=self.rng.choice(bands)
            )
            for person in people
            if self.rng.random() < 0.4
        ]

    def baseline(self, prefix: str) -> int:
        """A census baseline for the city and each district, unless one is already in use."""
        if CensusBaseline.objects.filter(is_current=True).exists():
            return 0
        baseline = CensusBaseline.objects.create(name=f"Generated census {prefix}")
        rows = [
            BaselineRow(baseline=baseline, geography_kind="city", option=option, population=self.rng.randint(800, 9000))
            for option in self.place_options.values()
        ]
        places = [("city", "")] + [("council_district", str(d)) for d in range(1, self.DISTRICTS + 1)]
        for kind, name in places:
            scale = 10 if kind == "city" else 1
            rows += [
                BaselineRow(
                    baseline=baseline,
                    geography_kind=kind,
                    geography=name,
                    option=option,
                    population=scale * self.rng.randint(200, 20_000),
                )
                for option in self.languages + self.ages
            ]
        BaselineRow.objects.bulk_create(rows)
        return len(rows)

    def breakdowns(self, engagements) -> list:
        rows = []
        for engagement in engagements:
            if self.rng.random() >= 0.5 or not engagement.attendance_total:
                continue
            for options in (self.languages, self.ages):
                if not options:
                    continue
                left = self.rng.randint(0, engagement.attendance_total)
                for option in self.rng.sample(options, k=min(3, len(options))):
                    count = self.rng.randint(0, left)
                    left -= count
                    if count:
                        rows.append(AttendanceBreakdown(engagement=engagement, option=option, count=count))
            place = self.place_options.get(engagement.neighborhood_id)
            if place is not None:
                count = self.rng.randint(0, engagement.attendance_total)
                if count:
                    rows.append(AttendanceBreakdown(engagement=engagement, option=place, count=count))
        return rows


class _Languages:
    """Preferred, spoken and served languages for generated people and liaisons.

    Draws from its own generator (seeded from the city's seed), so that adding languages
    changed no other choice of the generator: a seed gives the same people, relationships
    and engagements as before. Codes missing from the Language table are left out.
    """

    def __init__(self, seed: int):
        self.rng = random.Random(f"languages-{seed}")
        wanted = [code for code, _weight in PREFERRED_LANGUAGES if code]
        known = set(Language.objects.filter(code__in=wanted).values_list("pk", flat=True))
        choices = [(code, weight) for code, weight in PREFERRED_LANGUAGES if code is None or code in known]
        self.codes = [code for code, _weight in choices]
        self.weights = [weight for _code, weight in choices]
        self.others = [code for code in self.codes if code not in (None, "en")]
        self.english = "en" if "en" in known else None

    def preferred(self) -> str | None:
        """A preferred language code, None (not recorded) for one person in ten."""
        return self.rng.choices(self.codes, self.weights)[0]

    def spoken_links(self, people: list[Person]) -> list:
        """Person–language rows: each person speaks their preferred language, most who prefer
        another also speak English, and some one more language."""
        through = Person.languages.through
        links = []
        for person in people:
            spoken = {person.preferred_language_id} - {None}
            if self.english and person.preferred_language_id != self.english and self.rng.random() < 0.6:
                spoken.add(self.english)
            if self.others and self.rng.random() < 0.15:
                spoken.add(self.rng.choice(self.others))
            links.extend(through(person_id=person.pk, language_id=code) for code in sorted(spoken))
        return links

    def served_links(self, liaisons: list[LiaisonProfile]) -> list:
        """Liaison–language rows: one or two languages other than English per liaison."""
        through = LiaisonProfile.languages.through
        links = []
        for liaison in liaisons:
            served = self.rng.sample(self.others, k=min(len(self.others), self.rng.randint(1, 2)))
            links.extend(through(liaisonprofile_id=liaison.pk, language_id=code) for code in sorted(served))
        return links


def _set_trigger_context(prefix: str) -> None:
    """Give this transaction a pghistory context and an empty pgtrigger ignore list.

    Every pghistory/pgtrigger trigger reads both settings inside an EXCEPTION block;
    when a setting does not exist the block's subtransaction aborts, and each abort
    scans the queue of pending AFTER-trigger events: quadratic in the rows of one
    COPY (50,000 people took minutes). With the settings present nothing aborts;
    every trigger still fires, and the history rows record where they came from
    (the same settings ``pghistory.context()`` sets).
    """
    metadata = json.dumps({"source": "generate_city", "prefix": prefix})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', %s, true),"
            " set_config('pghistory.context_metadata', %s, true),"
            " set_config('pgtrigger.ignore',"
            " COALESCE(NULLIF(current_setting('pgtrigger.ignore', true), ''), '{}'), true)",
            [str(uuid.uuid4()), metadata],
        )


def _search_indexes() -> list[str]:
    """The search indexes: GIN indexes with ``fastupdate`` off (migrations stakeholders
    0013 and 0015, engagements 0010; none where pg_trgm is missing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_am am ON am.oid = c.relam"
            " WHERE c.relkind = 'i' AND am.amname = 'gin' AND 'fastupdate=off' = ANY(c.reloptions)"
            " AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
        )
        return [name for (name,) in cursor.fetchall()]


def _queue_search_index_inserts() -> list[str]:
    """Let the search indexes queue new entries in GIN's pending list, for this transaction.

    The search indexes have ``fastupdate`` off so that searches never read a pending
    list, which makes each new row a separate index insert: 50,000 people and their
    affiliations cost about 25 s that way, 4 s when queued and merged once
    (``_merge_search_index_inserts``). Both changes are part of the generator's
    transaction; a failed run undoes them. Returns the indexes it changed.
    """
    indexes = _search_indexes()
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"ALTER INDEX {connection.ops.quote_name(index)} SET (fastupdate = on)")
    return indexes


def _merge_search_index_inserts(indexes: list[str]) -> None:
    """Merge the queued entries into the search ``indexes`` and stop queueing."""
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ALTER INDEX {connection.ops.quote_name(index)} SET (fastupdate = off)")


def generate(sizes: dict[str, int], *, seed: int = 1, today: datetime.date | None = None, log=print) -> dict:
    """Create one synthetic city of the given sizes; return what was created."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    prefix = f"g{seed}{uuid.uuid4().hex[:5]}"
    _set_trigger_context(prefix)
    search_indexes = _queue_search_index_inserts()
    n = sizes
    demo = list(User.objects.filter(username__in=DEMO_USERNAMES).order_by("username"))
    unusable = make_password(None)
    users = demo + copy_instances(
        User,
        [
            User(
                username=f"{prefix}-staff{i}",
                password=unusable,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                email=f"{prefix}-staff{i}@city.example",
                date_joined=now,
            )
            for i in range(n["users"])
        ],
    )

    def pick_user():
        # A third of the records belong to the demo users, so their pages are full.
        return demo[rng.randrange(len(demo))] if demo and rng.random() < 0.34 else users[rng.randrange(len(users))]

    def days_ago(low: int, high: int) -> datetime.date:
        return today - datetime.timedelta(days=rng.randint(low, high))

    orgs = copy_instances(
        Organization,
        [
            Organization(
                name=f"{rng.choice(WORDS).title()} {rng.choice(LAST)} {rng.choice(ORG_KINDS)} {prefix}-{i}",
                kind=rng.choice(Organization.Kind.values),
                email=f"info{i}@{prefix}.example",
            )
            for i in range(n["organizations"])
        ],
    )
    # Languages draw from their own generator, so the rest of the city is what it was before
    # people had languages (the same seed gives the same people, relationships and so on).
    languages = _Languages(seed)
    equity = _Equity(seed, prefix)
    people = copy_instances(
        Person,
        [
            Person(
                first_name=rng.choice(FIRST),
                last_name=f"{rng.choice(LAST)}{'' if i % 7 else ' ' + prefix}",
                email=f"p{i}.{prefix}@mail.example",
                phone=f"555-{i % 10000:04d}",
                last_contact_on=days_ago(0, 900) if rng.random() < 0.7 else None,
                created_by=pick_user(),
                preferred_language_id=languages.preferred(),
                neighborhood_id=equity.neighborhood_id(),
            )
            for i in range(n["people"])
        ],
    )
    spoken = copy_instances(Person.languages.through, languages.spoken_links(people))
    affiliations = copy_instances(
        Affiliation,
        [
            Affiliation(
                person=person,
                organization=orgs[rng.randrange(len(orgs))],
                role_title=rng.choice(["Member", "Director", "Organizer", "Volunteer"]),
                start_date=days_ago(200, 2000),
            )
            for person in rng.sample(people, k=min(n["affiliations"], len(people)))
        ],
    )
    log(
        f"  {len(users)} users, {len(orgs)} organizations, {len(people)} people ({len(spoken)} languages spoken),"
        f" {len(affiliations)} affiliations"
    )

    departments = copy_instances(
        Department,
        [Department(name=f"{rng.choice(WORDS).title()} department {prefix}-{i}") for i in range(n["departments"])],
    )
    positions = copy_instances(
        Position,
        [
            Position(
                title=f"Seat {i}",
                department=departments[i % len(departments)],
                level=rng.choice(Position.Level.values),
            )
            for i in range(n["positions"])
        ],
    )
    tenures, holders = [], []
    for index in range(n["tenures"]):
        position = positions[index % len(positions)]
        generation = index // len(positions)  # 0: the current holder; older ones ended, one term apart
        person = people[rng.randrange(len(people))]
        if generation == 0:
            tenure = Tenure(
                person=person,
                position=position,
                start_date=days_ago(30, 1500),
                planned_end_date=today + datetime.timedelta(days=rng.randint(1, 1460)),
                holds_single_seat=True,
            )
            holders.append(tenure)
        else:
            end = today - datetime.timedelta(days=rng.randint(1, 200) + 200 * (generation - 1))
            tenure = Tenure(
                person=person,
                position=position,
                start_date=end - datetime.timedelta(days=rng.randint(100, 800)),
                actual_end_date=end,
                end_reason=rng.choice(Tenure.EndReason.values),
                holds_single_seat=True,
            )
        tenures.append(tenure)
    copy_instances(Tenure, tenures)
    elections = copy_instances(
        Election,
        [
            Election(
                name=f"{prefix} election {i}",
                jurisdiction="Riverton",
                date=today + datetime.timedelta(days=rng.randint(10, 200)),
            )
            for i in range(n["elections"])
        ],
    )
    through = Election.positions.through
    through.objects.bulk_create(
        [
            through(election_id=election.pk, position_id=seat.pk)
            for election in elections
            for seat in rng.sample(positions, k=min(len(positions), max(1, len(positions) // 50)))
        ]
    )
    log(
        f"  {len(departments)} departments, {len(positions)} positions, {len(tenures)} tenures,"
        f" {len(elections)} elections"
    )

    # Coalitions: the first holds most stances (the ally graph budget is for ~2,000 nodes).
    coalitions = copy_instances(
        Coalition,
        [
            Coalition(name=f"{rng.choice(WORDS).title()} coalition {prefix}-{i}", start_date=days_ago(100, 900))
            for i in range(n["coalitions"])
        ],
    )
    stances, stance_people = [], {c.pk: [] for c in coalitions}
    big_share = 0.6 if len(coalitions) > 1 else 1.0
    remaining = n["stances"]
    for position, coalition in enumerate(coalitions):
        count = int(n["stances"] * big_share) if position == 0 else remaining // (len(coalitions) - position)
        remaining -= count
        for person in rng.sample(people, k=min(count, len(people))):
            stance_people[coalition.pk].append(person)
            stances.append(
                AllyStance(
                    coalition=coalition,
                    person=person,
                    stance=rng.choice([c[0] for c in AllyStance._meta.get_field("stance").choices]),
                    influence=rng.choice([c[0] for c in AllyStance._meta.get_field("influence").choices]),
                    owner=pick_user(),
                )
            )
    copy_instances(AllyStance, stances)
    memberships = []
    for coalition in coalitions:
        share = max(1, len(orgs) // 25) if coalition is coalitions[0] else max(1, len(orgs) // 200)
        for org in rng.sample(orgs, k=min(share, len(orgs))):
            memberships.append(Membership(coalition=coalition, organization=org, joined_on=days_ago(30, 600)))
    copy_instances(Membership, memberships)
    log(f"  {len(coalitions)} coalitions, {len(stances)} stances, {len(memberships)} memberships")

    # Relationships: a quarter among the first coalition's allies (the graph's edges),
    # a quarter with current office holders, the rest anywhere.
    allies = stance_people[coalitions[0].pk] if coalitions else people
    links = []
    while len(links) < n["relationships"]:
        roll = rng.random()
        if roll < 0.25 and len(allies) > 1:
            a, b = rng.sample(allies, 2)
        elif roll < 0.5 and holders:
            a, b = holders[rng.randrange(len(holders))].person, people[rng.randrange(len(people))]
        else:
            a, b = people[rng.randrange(len(people))], people[rng.randrange(len(people))]
        if a.pk == b.pk:
            continue
        links.append(
            Relationship(
                person=a,
                other_person=b,
                kind=rng.choice(Relationship.Kind.values),
                strength=rng.randint(1, 5),
                owner=pick_user(),
            )
        )
    copy_instances(Relationship, links)

    # Engagements with named attendees, input and commitments.
    engagements = []
    for i in range(n["engagements"]):
        starts = now - datetime.timedelta(days=rng.randint(0, 1800), hours=rng.randint(0, 12))
        engagements.append(
            Engagement(
                kind=rng.choice(Engagement.Kind.values),
                title=f"{rng.choice(WORDS).title()} {rng.choice(['listening session', 'meeting', 'workshop'])} {i}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                location=f"{rng.choice(LAST)} Community Center",
                coalition=coalitions[rng.randrange(len(coalitions))] if coalitions and rng.random() < 0.2 else None,
                status=Engagement.Status.LOGGED,
                attendance_total=0,
                created_by=pick_user(),
            )
        )
    # Named attendees first, so each total is written with the row (an UPDATE would fire
    # the deferred breakdown check once per engagement at commit).
    per_engagement = n["attendance"] // max(1, len(engagements))
    extra = n["attendance"] - per_engagement * len(engagements)
    attendees = []
    for index, engagement in enumerate(engagements):
        k = min(len(people), per_engagement + (1 if index < extra else 0))
        attendees.append(rng.sample(range(len(people)), k=k))
        engagement.attendance_total = k + rng.randint(0, 40)
        engagement.neighborhood_id = equity.neighborhood_id()
    copy_instances(Engagement, engagements)
    attendance = [
        Attendance(engagement=engagement, person=people[person_index])
        for engagement, chosen in zip(engagements, attendees, strict=True)
        for person_index in chosen
    ]
    copy_instances(Attendance, attendance)
    breakdowns = copy_instances(AttendanceBreakdown, equity.breakdowns(engagements))
    demographics = copy_instances(PersonDemographics, equity.demographics(people, demo[0] if demo else None, now))
    equity.baseline(prefix)
    items = []
    for i in range(n["input_items"]):
        items.append(
            InputItem(
                engagement=engagements[i % len(engagements)],
                text=f"Residents want better {rng.choice(WORDS)} near {rng.choice(LAST)} Street",
                count_raised=rng.randint(1, 30),
                position=i // len(engagements),
            )
        )
    copy_instances(InputItem, items)
    commitments = []
    for i in range(n["commitments"]):
        status = rng.choice(Commitment.Status.values)
        commitments.append(
            Commitment(
                engagement=engagements[rng.randrange(len(engagements))],
                description=f"Follow up on {rng.choice(WORDS)} with {rng.choice(LAST)} block club",
                owner=pick_user(),
                department=departments[rng.randrange(len(departments))],
                due_on=today + datetime.timedelta(days=rng.randint(-200, 200)),
                status=status,
                declined_reason="Out of scope" if status == Commitment.Status.DECLINED else "",
                position=i % 3,
            )
        )
    copy_instances(Commitment, commitments)
    log(
        f"  {len(links)} relationships, {len(engagements)} engagements, {len(attendance)} attendance, "
        f"{len(items)} input items, {len(commitments)} commitments, {len(breakdowns)} attendance counts,"
        f" {len(demographics)} people's consented demographics"
    )

    # Liaisons: one active agreement each (no overlap), payments in every state.
    admins = [u for u in demo if u.username.startswith("admin")] or users[:2]
    signer, approver = admins[0], admins[-1]
    liaison_people = copy_instances(
        Person,
        [
            Person(
                first_name=rng.choice(FIRST),
                last_name=f"Liaison {prefix}-{i}",
                preferred_language_id=languages.preferred(),
            )
            for i in range(n["liaisons"])
        ],
    )
    copy_instances(Person.languages.through, languages.spoken_links(liaison_people))
    payee_offset = 100_000 + LiaisonProfile.objects.count()
    liaisons = copy_instances(
        LiaisonProfile,
        [
            LiaisonProfile(person=p, active_from=days_ago(400, 800), payee_reference=f"VND-{payee_offset + i}")
            for i, p in enumerate(liaison_people)
        ],
    )
    # Each liaison serves one or two languages and belongs to two organizations, so that
    # liaisons are within reach of other people (the messenger panel finds them that way).
    # Drawn from the languages' generator too, so the payments and follow-ups stay as they were.
    copy_instances(LiaisonProfile.languages.through, languages.served_links(liaisons))
    liaison_affiliations = copy_instances(
        Affiliation,
        [
            Affiliation(
                person=person,
                organization=organization,
                role_title="Community liaison",
                start_date=today - datetime.timedelta(days=languages.rng.randint(200, 2000)),
            )
            for person in liaison_people
            for organization in languages.rng.sample(orgs, k=min(2, len(orgs)))
        ],
    )
    funding = copy_instances(
        FundingSource,
        [
            FundingSource(
                name=f"Stipends {prefix}-{i}",
                fiscal_year=today.year,
                department=departments[i % len(departments)],
                budget=Decimal("500000.00"),
            )
            for i in range(max(1, len(liaisons) // 50))
        ],
    )
    agreements = copy_instances(
        StipendAgreement,
        [
            StipendAgreement(
                liaison=liaison,
                funding_source=funding[i % len(funding)],
                rate=Decimal("50.00"),
                start_date=days_ago(300, 400),
                end_date=today + datetime.timedelta(days=rng.randint(10, 300)),
                cap=Decimal("20000.00"),
                status=StipendAgreement.Status.ACTIVE,
                signed_off_by=signer,
                signed_off_at=now,
                created_by=pick_user(),
            )
            for i, liaison in enumerate(liaisons)
        ],
    )
    payments = []
    statuses = StipendPayment.Status
    for i in range(n["payments"]):
        agreement = agreements[i % len(agreements)]
        start = agreement.start_date + datetime.timedelta(days=7 * (i // len(agreements)))
        quantity = Decimal(rng.randint(1, 8))
        status = rng.choice(
            [statuses.DRAFT, statuses.SUBMITTED, statuses.APPROVED, statuses.PAID, statuses.PAID, statuses.VOID]
        )
        creator = pick_user()
        payment = StipendPayment(
            agreement=agreement,
            period_start=start,
            period_end=start + datetime.timedelta(days=6),
            quantity=quantity,
            rate=agreement.rate,
            amount=(agreement.rate * quantity).quantize(Decimal("0.01")),
            status=status,
            created_by=creator,
        )
        if status in (statuses.SUBMITTED, statuses.APPROVED, statuses.PAID):
            payment.submitted_by, payment.submitted_at = creator, now
        if status in (statuses.APPROVED, statuses.PAID):
            payment.approved_by = approver if approver.pk != creator.pk else signer
            if payment.approved_by.pk == creator.pk:
                payment.approved_by = next(u for u in users if u.pk != creator.pk)
            payment.approved_at = now
        if status == statuses.PAID:
            payment.paid_on, payment.finance_reference = start + datetime.timedelta(days=14), f"AP-{i:06d}"
        if status == statuses.VOID:
            payment.void_reason, payment.voided_by, payment.voided_at = "Entered twice", signer, now
        payments.append(payment)
    copy_instances(StipendPayment, payments)
    log(
        f"  {len(liaisons)} liaisons ({len(liaison_affiliations)} affiliations), {len(agreements)} agreements,"
        f" {len(payments)} payments"
    )

    # Follow-ups: manual ones about people (each person at most once per user).
    person_type = ContentType.objects.get_for_model(Person)
    followups = []
    for i in range(n["followups"]):
        person = people[i % len(people)]
        status = rng.choice(["open", "open", "open", "done", "dismissed", "snoozed"])
        followups.append(
            FollowUp(
                user=pick_user() if i < len(people) else demo[i % len(demo)] if demo else users[0],
                title=f"Call {person.first_name} {person.last_name} about {rng.choice(WORDS)}",
                reason="manual",
                content_type=person_type,
                object_id=person.pk,
                due_on=today + datetime.timedelta(days=rng.randint(-60, 60)),
                status=status,
                snoozed_until=today + datetime.timedelta(days=7) if status == "snoozed" else None,
                completed_at=now if status == "done" else None,
                source="user",
                cycle=f"manual:{prefix}:{i}",
            )
        )
    copy_instances(FollowUp, followups)
    log(f"  {len(followups)} follow-ups")
    boards = citygen_boards.generate(
        size=citygen_boards.SIZES["large" if n["people"] >= 10_000 else "small"],
        seed=seed,
        prefix=prefix,
        today=today,
        people=people,
        departments=departments,
        coordinators=citygen_boards.coordinators_for(demo or users),
        log=log,
    )
    _merge_search_index_inserts(search_indexes)
    equity_reach_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "people": len(people) + len(liaison_people),
        "organizations": len(orgs),
        "tenures": len(tenures),
        "attendance": len(attendance),
        "followups": len(followups),
        "fellows": boards["fellows"],
        "prefix": prefix,
    }
