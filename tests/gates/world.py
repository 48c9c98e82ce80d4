"""One of each record, owned by known users, for requests that need real objects.

URL kwargs are found from the URL name: ``<namespace>:<thing>_<view>`` with a
``pk`` takes the pk of the world's ``<thing>`` (see RECORD_FOR_PREFIX); other
kwargs are listed in EXTRA_KWARGS. A pattern the world cannot serve fails the
permission-matrix test with a message saying to add it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.stakeholders.factories import (
    AffiliationFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tests.stakeholders.government_factories import (
    DepartmentFactory,
    ElectionFactory,
    PositionFactory,
    RelationshipFactory,
    TenureFactory,
)

# URL-name prefix (after the namespace) -> attribute of World holding the record.
RECORD_FOR_PREFIX = {
    "user": "target_user",
    "person": "person",
    "affiliation": "person",
    "organization": "organization",
    "neighborhood": "neighborhood",
    "department": "department",
    "position": "position",
    "election": "election",
    "relationship": "relationship",
}


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)  # role -> user (None for anonymous)
    others: dict[str, object] = field(default_factory=dict)  # role -> a second user of that role
    target_user: object = None
    person: object = None
    organization: object = None
    affiliation: object = None
    neighborhood: object = None
    department: object = None
    position: object = None
    tenure: object = None
    election: object = None
    relationship: object = None

    def extra_kwargs(self) -> dict[str, dict]:
        """Kwargs for patterns that need more than a pk."""
        return {
            "password_reset_confirm": {
                "uidb64": urlsafe_base64_encode(force_bytes(self.target_user.pk)),
                "token": default_token_generator.make_token(self.target_user),
            },
            "stakeholders:affiliation_end": {"pk": self.person.pk, "affiliation_pk": self.affiliation.pk},
            "stakeholders:import_upload": {"kind": "people"},
            "stakeholders:import_template": {"kind": "people"},
            "stakeholders:import_preview": {"kind": "people"},
        }

    def kwargs_for(self, name: str, route_kwargs: list[str]) -> dict:
        """URL kwargs for pattern ``name``: real records from this world."""
        extra = self.extra_kwargs()
        if name in extra:
            return extra[name]
        if not route_kwargs:
            return {}
        if route_kwargs == ["pk"]:
            prefix = name.split(":")[-1].split("_")[0]
            attribute = RECORD_FOR_PREFIX.get(prefix)
            if attribute is not None:
                return {"pk": getattr(self, attribute).pk}
        raise LookupError(f"No record for {name} {route_kwargs}: add it to tests/gates/world.py")


def build_world() -> World:
    world = World()
    world.users["anonymous"] = None
    for role in ("Staff", "Coordinator", "Admin", "Liaison"):
        key = role.lower()
        world.users[key] = UserFactory(roles=[role], is_staff=role == "Admin")
        world.others[key] = UserFactory(roles=[role], is_staff=role == "Admin")
    world.target_user = UserFactory(roles=["Staff"])
    # The liaison is a person too; the world's person is not one they work with.
    PersonFactory(user=world.users["liaison"], first_name="Lia")
    staff = world.users["staff"]
    world.neighborhood = NeighborhoodFactory()
    world.organization = OrganizationFactory(created_by=staff)
    world.person = PersonFactory(created_by=staff, neighborhood=world.neighborhood)
    world.affiliation = AffiliationFactory(person=world.person, organization=world.organization)
    world.department = DepartmentFactory()
    world.position = PositionFactory(department=world.department)
    world.tenure = TenureFactory(position=world.position, person=world.person)
    world.election = ElectionFactory(positions=[world.position])
    world.relationship = RelationshipFactory(person=world.person, owner=world.users["coordinator"])
    return world
