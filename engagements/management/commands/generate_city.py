"""Generate a synthetic city.

``--size small|large`` builds a whole city (people, organizations, government,
engagements, coalitions, stipends, follow-ups) with COPY (engagements/citygen.py);
``large`` is the city of the performance budgets (issue 9), ``small`` serves tests.
Any size can be overridden per entity, e.g. ``--size large --people 80000``.
The demo users (seed_demo's) are created first so the benchmark can sign in.

Without ``--size`` it keeps its first job: tenures, relationships and elections
for the reminder scan benchmark (see benchmarks/reminder_scan.py), written with
batched ``bulk_create``. Rows are added next to whatever exists (each run gets
its own name prefix).
"""

from __future__ import annotations

import datetime
import random
import time
import uuid

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from engagements import citygen
from stakeholders.demo import seed_users
from stakeholders.models import Department, Election, Person, Position, Relationship, Tenure, User

HOLDERS_PER_POSITION = 5
BATCH = 5000


class Command(BaseCommand):
    help = "Bulk-generate a synthetic city of tenures, relationships and elections for the reminder benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(citygen.SIZES), default=None, help="Build a whole city.")
        for entity in citygen.SIZES["large"]:
            if entity not in ("tenures", "relationships", "elections", "users"):
                parser.add_argument(f"--{entity.replace('_', '-')}", type=int, default=None, dest=entity)
        parser.add_argument("--tenures", type=int, default=None, help="Default 100,000 (or the size's).")
        parser.add_argument("--relationships", type=int, default=None, help="Default 20,000 (or the size's).")
        parser.add_argument("--elections", type=int, default=None, help="Default 5 (or the size's).")
        parser.add_argument("--users", type=int, default=0, help="Relationship owners (default: relationships / 50).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, size, tenures, relationships, elections, users, seed, today, **options):
        if isinstance(today, str):  # call_command passes options as given
            today = datetime.date.fromisoformat(today)
        today = today or timezone.localdate()
        if size:
            return self.generate_city(
                size,
                seed=seed,
                today=today,
                tenures=tenures,
                relationships=relationships,
                elections=elections,
                users=users,
                **options,
            )
        tenures = 100_000 if tenures is None else tenures
        relationships = 20_000 if relationships is None else relationships
        elections = 5 if elections is None else elections
        rng = random.Random(seed)
        prefix = f"gen-{seed}-{uuid.uuid4().hex[:6]}"
        n_positions = max(1, tenures // HOLDERS_PER_POSITION)
        n_people = max(2, tenures // 2)
        n_users = users or max(1, relationships // 50)
        unusable = make_password(None)
        with transaction.atomic():
            owners = User.objects.bulk_create(
                [
                    User(username=f"{prefix}-u{i}", password=unusable, first_name="Staff", last_name=str(i))
                    for i in range(n_users)
                ],
                batch_size=BATCH,
            )
            departments = Department.objects.bulk_create(
                [Department(name=f"{prefix} department {i}") for i in range(max(1, n_positions // 100))],
                batch_size=BATCH,
            )
            positions = Position.objects.bulk_create(
                [
                    Position(title=f"Seat {i}", department=departments[i % len(departments)], level="elected")
                    for i in range(n_positions)
                ],
                batch_size=BATCH,
            )
            people = Person.objects.bulk_create(
                [Person(first_name=f"Resident{i}", last_name=prefix) for i in range(n_people)], batch_size=BATCH
            )
            rows, holders = [], []
            for index in range(tenures):
                position = positions[index % n_positions]
                generation = index // n_positions  # 0 is the current holder, older ones ended
                person = people[rng.randrange(n_people)]
                if generation == 0:
                    start = today - datetime.timedelta(days=rng.randint(30, 1500))
                    planned = today + datetime.timedelta(days=rng.randint(1, 1460))
                    tenure = Tenure(person=person, position=position, start_date=start, planned_end_date=planned)
                    holders.append(tenure)
                else:
                    end = today - datetime.timedelta(days=rng.randint(1, 365) + 1460 * (generation - 1))
                    start = end - datetime.timedelta(days=rng.randint(365, 1460))
                    tenure = Tenure(
                        person=person, position=position, start_date=start, actual_end_date=end, end_reason="term_ended"
                    )
                rows.append(tenure)
            Tenure.objects.bulk_create(rows, batch_size=BATCH)
            links = []
            for _index in range(relationships):
                # Half the relationships are with a current office holder, as in real use.
                holder = holders[rng.randrange(len(holders))].person if rng.random() < 0.5 else None
                a = holder or people[rng.randrange(n_people)]
                b = people[rng.randrange(n_people)]
                if a.pk == b.pk:
                    continue
                if rng.random() < 0.5:
                    a, b = b, a
                links.append(Relationship(person=a, other_person=b, owner=owners[rng.randrange(n_users)]))
            Relationship.objects.bulk_create(links, batch_size=BATCH)
            made = Election.objects.bulk_create(
                [
                    Election(
                        name=f"{prefix} election {i}",
                        jurisdiction="Riverton",
                        date=today + datetime.timedelta(days=rng.randint(10, 200)),
                    )
                    for i in range(elections)
                ]
            )
            through = Election.positions.through
            ballot = []
            for election in made:
                seats = rng.sample(positions, k=min(len(positions), max(1, n_positions // 50)))
                ballot.extend(through(election_id=election.pk, position_id=seat.pk) for seat in seats)
            through.objects.bulk_create(ballot, batch_size=BATCH)
        self.stdout.write(
            f"Generated {tenures} tenures ({len(holders)} current) in {n_positions} positions, {n_people} people, "
            f"{len(links)} relationships owned by {n_users} users, "
            f"{elections} elections ({len(ballot)} seats on ballots)."
        )

    def generate_city(self, size: str, *, seed: int, today: datetime.date, **overrides) -> None:
        sizes = dict(citygen.SIZES[size])
        for entity in sizes:
            if overrides.get(entity):
                sizes[entity] = overrides[entity]
        started = time.perf_counter()
        with transaction.atomic():
            seed_users()
            made = citygen.generate(sizes, seed=seed, today=today, log=self.stdout.write)
        if not transaction.get_connection().in_atomic_block:
            # Leave the tables as a running server would have them: without a vacuum there is no
            # visibility map (no index-only scans; every COUNT reads the table) and new GIN entries
            # wait in the pending list. VACUUM cannot run inside a transaction (e.g. a test's).
            with transaction.get_connection().cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Generated a {size} city in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{key} {value}" for key, value in made.items())
        )
