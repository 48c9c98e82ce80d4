"""Make a personal API token for a user from the server, for scripts and first set-ups
(people make their own on their profile page). Prints the token once, and nothing else on
standard output, so a shell can keep it: ``TOKEN=$(manage.py api_token_create …)``.
The security log records it as the user's own token."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stakeholders.models import ApiToken, User
from stakeholders.services.tokens import MAX_LIFETIME_DAYS, api_token_create


class Command(BaseCommand):
    help = "Make a personal API token for a user and print it (shown this once, stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'Council dashboard'.")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, default=90, help=f"Days until it expires (1 to {MAX_LIFETIME_DAYS}).")

    def handle(self, *args, username: str, name: str, scope: str, days: int, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            row, token = api_token_create(user=user, name=name, scope=scope, lifetime_days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"Token {row.prefix}… for {username} ({row.get_scope_display()}), expires {row.expires_at:%Y-%m-%d}."
        )
        self.stdout.write(token)
