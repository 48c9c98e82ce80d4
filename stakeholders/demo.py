"""Demo data for the stakeholders app: the demo users, one per role.

Passwords are for local use only; the README lists them. Re-running creates
nothing that already exists.
"""

from __future__ import annotations

from .models import User
from .roles import Role
from .services.accounts import user_create

# A documented password for local demo use only.
DEMO_PASSWORD = "coalition-demo"  # noqa: S105  # nosec B105

DEMO_USERS = [
    # username, first, last, roles
    ("staff", "Sam", "Rivera", [Role.STAFF]),
    ("coordinator", "Cora", "Okafor", [Role.COORDINATOR]),
    ("admin", "Ada", "Lindqvist", [Role.ADMIN]),
    ("admin2", "Abel", "Nguyen", [Role.ADMIN]),
    ("liaison", "Lupe", "Hernández", [Role.LIAISON]),
]


def seed_users() -> list[User]:
    """Create the demo users that do not exist yet; return all of them."""
    users = []
    for username, first_name, last_name, roles in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                email=f"{username}@coalition.example",
                first_name=first_name,
                last_name=last_name,
                roles=roles,
                password=DEMO_PASSWORD,
                send_invitation=False,
            )
            if Role.ADMIN in roles:
                User.objects.filter(pk=user.pk).update(is_staff=True)
        users.append(user)
    return users
