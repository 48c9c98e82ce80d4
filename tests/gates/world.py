"""One of each record, owned by known users, for requests that need real objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.stakeholders.factories import UserFactory


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)  # role -> user (None for anonymous)
    others: dict[str, object] = field(default_factory=dict)  # role -> a second user of that role
    target_user: object = None

    def kwargs_for(self, name: str, route_kwargs: list[str]) -> dict:
        """URL kwargs for pattern ``name``: real records from this world."""
        if name == "password_reset_confirm":
            user = self.target_user
            return {
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            }
        if name == "stakeholders:user_edit":
            return {"pk": self.target_user.pk}
        if route_kwargs:
            raise LookupError(f"No record for {name} {route_kwargs}: add it to tests/gates/world.py")
        return {}


def build_world() -> World:
    world = World()
    world.users["anonymous"] = None
    for role in ("Staff", "Coordinator", "Admin", "Liaison"):
        key = role.lower()
        world.users[key] = UserFactory(roles=[role], is_staff=role == "Admin")
        world.others[key] = UserFactory(roles=[role], is_staff=role == "Admin")
    world.target_user = UserFactory(roles=["Staff"])
    return world
