"""Turn off a user's two-step sign-in from the server: for when no other admin can reset it
(the only admin lost their phone and their recovery codes). Admins set it up again right
after they next sign in. The security log records the reset."""

from django.core.management.base import BaseCommand, CommandError

from stakeholders.models import User
from stakeholders.services.mfa import mfa_reset


class Command(BaseCommand):
    help = "Reset (turn off) a user's two-step sign-in, e.g. the last admin's after a lost phone."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if mfa_reset(user=user, by=None):
            self.stdout.write(self.style.SUCCESS(f"Two-step sign-in of {username} is reset."))
        else:
            self.stdout.write(f"{username} does not use two-step sign-in; nothing to reset.")
