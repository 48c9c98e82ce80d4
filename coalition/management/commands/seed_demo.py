"""Fill the database with a believable fictional mid-size city for local use.

Each app seeds its own records, lower layers first. Running it twice changes
nothing the second time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from coalition import demo as coalition_demo
from stakeholders import demo as stakeholders_demo


class Command(BaseCommand):
    help = "Create the demo city: users for each role and sample records. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = stakeholders_demo.seed_users()
            coalitions = coalition_demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo city ready: {len(users)} demo users."))
        self.stdout.write(self.style.SUCCESS(f"Demo coalitions: {len(coalitions)}."))
