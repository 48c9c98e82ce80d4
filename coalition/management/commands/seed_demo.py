"""Fill the database with a believable fictional mid-size city for local use.

Each app seeds its own records, lower layers first. Running it twice changes
nothing the second time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from coalition import demo as coalition_demo
from engagements import demo as engagements_demo
from engagements import demo_boards as boards_demo
from engagements import demo_equity as equity_demo
from engagements import demo_followups as followups_demo
from engagements.services.equity import equity_reach_refresh
from stakeholders import demo as stakeholders_demo
from stakeholders import demo_government, demo_people, demo_stipends


class Command(BaseCommand):
    help = "Create the demo city: users for each role and sample records. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = stakeholders_demo.seed_users()
            people = demo_people.seed()
            government = demo_government.seed()
            demo_stipends.seed()
            coalitions = coalition_demo.seed()
            engagements_demo.seed()
            equity = equity_demo.seed()
            boards = boards_demo.seed()
            reminders = followups_demo.seed()  # last: scans everything above
            equity_reach_refresh()  # the equity dashboard's figures, without waiting for beat
        self.stdout.write(self.style.SUCCESS(f"Demo city ready: {len(users)} demo users."))
        self.stdout.write(f"People: {people['people_created']} added; organizations: {people['organizations']}.")
        self.stdout.write(f"Government: {demo_government.demo_summary()} (created now: {government}).")
        self.stdout.write(f"Coalitions: {len(coalitions)}.")
        self.stdout.write(
            f"Equity: {equity['demographics']} residents' consented demographics, "
            f"{equity['baseline_rows']} census baseline rows, {equity['assessments']} equity impact assessments."
        )
        self.stdout.write(
            f"Boards: {boards['boards']} boards and commissions; a cohort of {boards['fellows']} leadership "
            f"fellows, {boards['placed']} placed."
        )
        self.stdout.write(f"Reminder scan on the demo city: {reminders['total']} new follow-ups.")
