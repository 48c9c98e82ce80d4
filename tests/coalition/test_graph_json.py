"""The ally graph JSON: its compact shape, who may read it, and its size and speed at 2,000 nodes."""

import json
import time

import pytest
from django.urls import reverse

from coalition.models import AllyStance, Membership
from stakeholders.models import Organization, Person, Relationship
from tests.coalition.factories import (
    AllyStanceFactory,
    CoalitionFactory,
    MembershipFactory,
    PersonFactory,
    RelationshipFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def graph_url(coalition):
    return reverse("coalition:ally_graph_json", args=[coalition.pk])


def test_graph_has_allies_members_owners_and_their_edges(client, coordinator_user):
    """Nodes are the coalition, its allies, member organizations and owning staff; edges come from
    ownership, memberships and relationships between people on the graph; each node carries its URL."""
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    owner = UserFactory(roles=["Staff"], first_name="Olu", last_name="Banks")
    champion = AllyStanceFactory(coalition=coalition, stance="champion", influence="high", owner=owner)
    skeptic = AllyStanceFactory(coalition=coalition, stance="skeptic")
    member = MembershipFactory(coalition=coalition, organization__name="Riverton Food Bank")
    RelationshipFactory(person=champion.person, other_person=skeptic.person)
    RelationshipFactory(person=skeptic.person, other_person=None, organization=member.organization)
    RelationshipFactory(person=champion.person, other_person=PersonFactory())  # not on the graph: left out
    client.force_login(coordinator_user)

    data = client.get(graph_url(coalition)).json()

    nodes = {node["i"]: node for node in data["n"]}
    assert nodes[f"p{champion.person_id}"] == {
        "i": f"p{champion.person_id}",
        "l": champion.person.display_name,
        "t": "p",
        "s": "champion",
        "f": "high",
        "u": reverse("coalition:ally_detail", args=[coalition.pk, champion.pk]),
    }
    assert nodes[f"s{owner.pk}"]["l"] == "Olu Banks"
    assert nodes[f"s{owner.pk}"]["u"] == reverse("coalition:ally_map", args=[coalition.pk]) + f"?owner={owner.pk}"
    assert nodes[f"o{member.organization_id}"]["l"] == "Riverton Food Bank"
    assert nodes["c"]["u"] == coalition.get_absolute_url()
    assert all(node["u"] for node in data["n"])
    assert sorted(map(tuple, data["e"])) == sorted(
        [
            (f"s{owner.pk}", f"p{champion.person_id}", "own"),
            (f"o{member.organization_id}", "c", "m"),
            (f"p{champion.person_id}", f"p{skeptic.person_id}", "r"),
            (f"p{skeptic.person_id}", f"o{member.organization_id}", "r"),
        ]
    )


def test_graph_is_only_for_users_who_see_stances(client, liaison_user, coordinator_user):
    """Liaisons may not read stances (403); a coalition a coordinator cannot see is 404."""
    coalition = CoalitionFactory()
    member_person = PersonFactory(user=liaison_user)
    MembershipFactory(coalition=coalition, organization=None, person=member_person)
    client.force_login(liaison_user)
    assert client.get(graph_url(coalition)).status_code == 403
    client.force_login(coordinator_user)
    assert client.get(graph_url(coalition)).status_code == 404


def test_graph_of_2000_nodes_and_5000_edges_is_small_and_fast(client, admin_user, django_assert_max_num_queries):
    """At 2,000 nodes and 5,000 edges the endpoint answers in under 500 ms with under 1 MB, in a fixed number
    of queries. Timings are printed."""
    # given: 1,600 allies owned by 49 staff, 350 member organizations, 3,050 relationships
    coalition = CoalitionFactory()
    owners = [UserFactory(roles=["Staff"]) for _ in range(49)]
    people = Person.objects.bulk_create(
        [Person(first_name=f"Given{i}", last_name=f"Family name {i}") for i in range(1600)]
    )
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Riverton partner organization {i}") for i in range(350)]
    )
    AllyStance.objects.bulk_create(
        [
            AllyStance(coalition=coalition, person=person, owner=owners[i % 49], stance="ally")
            for i, person in enumerate(people)
        ]
    )
    Membership.objects.bulk_create([Membership(coalition=coalition, organization=org) for org in organizations])
    relationships = [
        Relationship(person=people[i % 1600], other_person=people[(i * 7 + 1) % 1600]) for i in range(2000)
    ] + [Relationship(person=people[i % 1600], organization=organizations[i % 350]) for i in range(1050)]
    Relationship.objects.bulk_create(relationships)
    client.force_login(admin_user)
    url = graph_url(coalition)
    client.get(url)

    # when
    timings = []
    for _ in range(5):
        with django_assert_max_num_queries(12):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)

    # then
    data = json.loads(response.content)
    assert (len(data["n"]), len(data["e"])) == (2000, 5000)
    size = len(response.content)
    print(
        f"graph JSON, 2,000 nodes / 5,000 edges: {size / 1024:.0f} KiB, best {min(timings):.0f} ms "
        f"({', '.join(f'{t:.0f}' for t in timings)})"
    )
    assert size < 1_000_000
    assert min(timings) < 500
