"""Demo data for the stakeholders app: the demo users, one per role.

Passwords are for local use only; the README lists them. Re-running creates
nothing that already exists.
"""

from __future__ import annotations

from .models import User
from .roles import Role
from .services.accounts import user_create
from .services.mfa import mfa_authenticator_add, mfa_is_enabled

# A documented password for local demo use only.
DEMO_PASSWORD = "coalition-demo"  # noqa: S105  # nosec B105
# Admins must use two-step sign-in: the demo admins share this authenticator secret (local use
# only; `make run` prints it and the README lists it). Base32, as authenticator apps take it:
DEMO_TOTP_SECRET = "MNXW C3DJ ORUW 63RN MRSW 23ZN MFSG 22LO"  # noqa: S105  # nosec B105
DEMO_TOTP_KEY = b"coalition-demo-admin".hex()  # the same secret, as django-otp stores it

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
    seed_two_step()
    return users


def seed_two_step() -> None:
    """Give each demo admin without two-step sign-in the demo authenticator secret, so that
    ``make run`` does not stop them at setting it up."""
    admins = [username for username, _f, _l, roles in DEMO_USERS if Role.ADMIN in roles]
    for user in User.objects.filter(username__in=admins, is_active=True):
        if not mfa_is_enabled(user):
            mfa_authenticator_add(user=user, key=DEMO_TOTP_KEY)
