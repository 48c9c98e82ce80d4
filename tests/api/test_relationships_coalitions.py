"""The relationships and coalitions endpoints: each role's token sees what the pages show that
role, writes go through the services (history included), bad input changes nothing, and a
list page costs the same number of queries whatever its length."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from coalition import selectors as coalition_selectors
from coalition.models import AllyStance, Membership, Stance, StanceChange
from stakeholders.filters.relationships import RelationshipFilter
from stakeholders.models import ApiToken, Relationship
from stakeholders.selectors.relationships import relationships_visible_to
from stakeholders.services.tokens import api_token_create
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory, GoalFactory, MembershipFactory
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.government_factories import OfficialFactory, OrganizationFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

RELATIONSHIPS = "/api/v1/relationships/"
COALITIONS = "/api/v1/coalitions/"
ROLES = ["Staff", "Coordinator", "Admin", "Liaison"]


def token_for(user, scope: str = ApiToken.Scope.READ_WRITE) -> dict:
    """Headers carrying a fresh token of ``user``."""
    _row, token = api_token_create(user=user, name="test", scope=scope)
    return {"authorization": f"Bearer {token}"}


def listed_ids(client, url: str, headers: dict) -> set[int]:
    """The ids of every row of a list endpoint, page after page."""
    ids: set[int] = set()
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json()
        ids |= {row["id"] for row in response.json()["results"]}
        url = response.json()["next"]
    return ids


def send(client, method: str, url: str, headers: dict, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


# --- Relationships -------------------------------------------------------------------------


@pytest.fixture
def relationships_world():
    """A liaison with a person record, two relationships they are part of and two they are not."""
    liaison = UserFactory(roles=["Liaison"])
    me = OfficialFactory(user=liaison, last_name="Myself")
    mine = [RelationshipFactory(person=me), RelationshipFactory(other_person=me, kind=Relationship.Kind.ADVISES)]
    others = [
        RelationshipFactory(kind=Relationship.Kind.ADVISES, strength=5),
        RelationshipFactory(other_person=None, organization=OrganizationFactory(), end_date=datetime.date(2025, 1, 1)),
    ]
    return liaison, mine, others


@pytest.mark.parametrize("role", ROLES)
def test_a_token_lists_the_relationships_the_page_shows(client, relationships_world, role):
    """Each role's token lists exactly the relationships the page's selector gives that role:
    all of them for staff, coordinators and admins, a liaison's own for a liaison."""
    liaison, mine, _others = relationships_world
    user = liaison if role == "Liaison" else UserFactory(roles=[role])
    ids = listed_ids(client, RELATIONSHIPS, token_for(user, ApiToken.Scope.READ))
    assert ids == set(relationships_visible_to(user).values_list("pk", flat=True))
    if role == "Liaison":
        assert ids == {relationship.pk for relationship in mine}
    else:
        assert len(ids) == 4


def test_a_liaison_cannot_open_a_relationship_they_are_not_part_of(client, relationships_world):
    """Another relationship is a 404 for a liaison, their own a 200 with both ends named."""
    liaison, mine, others = relationships_world
    headers = token_for(liaison, ApiToken.Scope.READ)
    assert client.get(f"{RELATIONSHIPS}{others[0].pk}/", headers=headers).status_code == 404
    response = client.get(f"{RELATIONSHIPS}{mine[0].pk}/", headers=headers)
    assert response.status_code == 200
    assert response.json()["person_name"].endswith("Myself")


@pytest.mark.parametrize("query", ["kind=advises", "status=ended", "strength=5", "kind=advises&status=current"])
def test_the_relationship_list_filters_as_the_page_does(client, relationships_world, query):
    """The list takes the relationships page's filters and finds what the page finds."""
    user = UserFactory(roles=["Staff"])
    ids = listed_ids(client, f"{RELATIONSHIPS}?{query}", token_for(user, ApiToken.Scope.READ))
    expected = RelationshipFilter(QueryDict(query), queryset=relationships_visible_to(user)).qs
    assert ids == set(expected.values_list("pk", flat=True)) and ids


def test_a_coordinator_adds_a_relationship_with_its_history(client, coordinator_user):
    """A relationship added through the API is recorded as on the page: a history event names
    the coordinator whose token made it."""
    person, other = OfficialFactory(), OfficialFactory()
    response = send(
        client,
        "post",
        RELATIONSHIPS,
        token_for(coordinator_user),
        {"person": person.pk, "other_person": other.pk, "kind": "advises", "strength": 4, "owner": coordinator_user.pk},
    )
    assert response.status_code == 201, response.json()
    relationship = Relationship.objects.get(pk=response.json()["id"])
    assert (relationship.kind, relationship.strength, relationship.owner) == ("advises", 4, coordinator_user)
    assert response.json()["owner_name"] == str(coordinator_user)
    event = relationship.events.get()
    assert event.pgh_context.metadata["user"] == coordinator_user.pk


def test_a_change_writes_only_what_is_sent_and_is_kept_in_history(client, admin_user):
    """PATCH changes the fields sent, keeps the others, and records the change with its author."""
    relationship = RelationshipFactory(strength=2, notes="Met at the budget hearing.")
    response = send(client, "patch", f"{RELATIONSHIPS}{relationship.pk}/", token_for(admin_user), {"strength": 5})
    assert response.status_code == 200, response.json()
    relationship.refresh_from_db()
    assert (relationship.strength, relationship.notes) == (5, "Met at the budget hearing.")
    event = relationship.events.order_by("-pgh_id").first()
    assert (event.strength, event.pgh_context.metadata["user"]) == (5, admin_user.pk)


def test_ending_a_relationship_goes_through_the_service(client, coordinator_user):
    """POST end/ ends a current relationship; ending it again is refused as on the page."""
    relationship = RelationshipFactory(start_date=datetime.date(2024, 1, 1))
    headers = token_for(coordinator_user)
    url = f"{RELATIONSHIPS}{relationship.pk}/end/"
    response = send(client, "post", url, headers, {"end_date": "2025-03-01"})
    assert response.status_code == 200, response.json()
    assert response.json()["is_current"] is False
    relationship.refresh_from_db()
    assert relationship.end_date == datetime.date(2025, 3, 1)
    assert send(client, "post", url, headers, {"end_date": "2025-04-01"}).status_code == 403


def test_staff_and_liaisons_cannot_write_relationships(client, relationships_world, staff_user):
    """Staff and liaisons lack the page's add/change permissions: 403, nothing written."""
    liaison, mine, _others = relationships_world
    person, other = OfficialFactory(), OfficialFactory()
    for user in (staff_user, liaison):
        headers = token_for(user)
        body = {"person": person.pk, "other_person": other.pk}
        assert send(client, "post", RELATIONSHIPS, headers, body).status_code == 403
        assert send(client, "patch", f"{RELATIONSHIPS}{mine[0].pk}/", headers, {"strength": 5}).status_code == 403
    assert Relationship.objects.count() == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": "first", "other_person": 1}, "person"),
        ({"person": 1, "other_person": 2, "strength": "strong"}, "strength"),
        ({"person": 1, "other_person": 2, "strength": 9}, "strength"),
        ({"person": 1, "other_person": 2, "start_date": "yesterday"}, "start_date"),
        ({"person": 1, "other_person": 2, "colour": "red"}, "colour"),
        ({"person": 1}, "other_person"),
        ({"person": 1, "other_person": 1}, "other_person"),
        ("{not json", "detail"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_changes_nothing(client, coordinator_user, body, field):
    """Wrong types, out-of-range values, unknown fields, a missing or self target and malformed
    JSON each get a 400 naming what is wrong; no relationship or history event is written."""
    people = [OfficialFactory(), OfficialFactory()]
    if isinstance(body, dict):
        body = {
            name: people[value - 1].pk if name in ("person", "other_person") and isinstance(value, int) else value
            for name, value in body.items()
        }
    before = Relationship.objects.count(), Relationship.pgh_event_model.objects.count()
    response = send(client, "post", RELATIONSHIPS, token_for(coordinator_user), body)
    assert response.status_code == 400
    assert field in response.json()
    assert (Relationship.objects.count(), Relationship.pgh_event_model.objects.count()) == before


def test_a_change_cannot_move_a_relationship_to_another_person(client, coordinator_user):
    """The person of a relationship is fixed (as on the edit page): sending one is a 400."""
    relationship = RelationshipFactory()
    response = send(client, "patch", f"{RELATIONSHIPS}{relationship.pk}/", token_for(coordinator_user), {"person": 1})
    assert response.status_code == 400 and "person" in response.json()


def test_a_read_only_token_cannot_add_a_relationship(client, coordinator_user):
    """A coordinator's read-only token reads but does not write."""
    body = {"person": OfficialFactory().pk, "other_person": OfficialFactory().pk}
    response = send(client, "post", RELATIONSHIPS, token_for(coordinator_user, ApiToken.Scope.READ), body)
    assert response.status_code == 403
    assert not Relationship.objects.exists()


def _queries(client, url: str, headers: dict) -> int:
    """The queries of one call, after one that warms up (a token's first use of the minute
    records it, the ally map's risk settings are made on first read)."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured)


def test_the_relationship_list_costs_the_same_queries_for_3_and_30_rows(client, staff_user):
    """Both ends, the organization and the owner come with the rows: 3 rows or 30, same queries."""
    headers = token_for(staff_user, ApiToken.Scope.READ)
    owner = UserFactory(roles=["Staff"])
    RelationshipFactory.create_batch(2, owner=owner)
    RelationshipFactory(other_person=None, organization=OrganizationFactory(), owner=owner)
    few = _queries(client, RELATIONSHIPS, headers)
    RelationshipFactory.create_batch(20, owner=owner)
    RelationshipFactory.create_batch(7, other_person=None, organization=OrganizationFactory(), owner=UserFactory())
    assert len(client.get(RELATIONSHIPS, headers=headers).json()["results"]) == 30
    assert _queries(client, RELATIONSHIPS, headers) == few


# --- Coalitions ---------------------------------------------------------------------------


@pytest.fixture
def coalitions_world(coordinator_user):
    """Three coalitions: one the coordinator coordinates, one they belong to (their person is
    a member), one they have nothing to do with."""
    coordinated = CoalitionFactory(name="Safe Routes", coordinators=[coordinator_user])
    member_of = CoalitionFactory(name="Clean Air")
    MembershipFactory(coalition=member_of, organization=None, person=OfficialFactory(user=coordinator_user))
    CoalitionFactory(name="Library Hours", coordinators=[UserFactory(roles=["Coordinator"])])
    return coordinated, member_of


@pytest.mark.parametrize("role", ROLES)
def test_coalitions_are_for_coordinators_and_admins_as_the_list_page_shows_them(client, coalitions_world, role):
    """Coordinators list the coalitions the coalition list shows them, admins all; staff and
    liaisons get 403 (they use the pages)."""
    user = UserFactory(roles=[role])
    if role == "Coordinator":
        coalitions_world[0].coordinators.add(user)
    headers = token_for(user, ApiToken.Scope.READ)
    if role in ("Staff", "Liaison"):
        assert client.get(COALITIONS, headers=headers).status_code == 403
        assert client.get(f"{COALITIONS}{coalitions_world[0].pk}/", headers=headers).status_code == 403
        return
    ids = listed_ids(client, COALITIONS, headers)
    assert ids == set(coalition_selectors.coalition_list(user).values_list("pk", flat=True))
    assert len(ids) == (1 if role == "Coordinator" else 3)


def test_a_coordinator_sees_the_coalitions_they_coordinate_or_belong_to(client, coordinator_user, coalitions_world):
    """As on the page: the coordinated coalition and the one their person belongs to, not the third."""
    ids = listed_ids(client, COALITIONS, token_for(coordinator_user, ApiToken.Scope.READ))
    assert ids == {coalition.pk for coalition in coalitions_world}


def test_a_coalition_shows_its_members_and_goals(client, coordinator_user, coalitions_world):
    """Members (a past one too, with what they bring) and goals with their latest value."""
    coalition = coalitions_world[0]
    current = MembershipFactory(coalition=coalition, role=Membership.Role.LEAD)
    current.resources.create(kind="data", note="Crash records")
    MembershipFactory(coalition=coalition, left_on=datetime.date(2025, 1, 1), joined_on=datetime.date(2024, 1, 1))
    goal = GoalFactory(coalition=coalition, metric="Crossings guarded", target=40)
    goal.progress.create(recorded_on=datetime.date(2025, 5, 1), value=12)
    goal.progress.create(recorded_on=datetime.date(2025, 6, 1), value=18)
    response = client.get(f"{COALITIONS}{coalition.pk}/", headers=token_for(coordinator_user, ApiToken.Scope.READ))
    assert response.status_code == 200
    body = response.json()
    assert body["member_count"] == 1
    page_order = [membership.pk for membership in coalition_selectors.resource_map(coalition).memberships]
    assert [member["id"] for member in body["members"]] == page_order
    lead = next(member for member in body["members"] if member["id"] == current.pk)
    assert (lead["role"], lead["is_active"]) == ("lead", True)
    assert lead["resources"] == [{"kind": "data", "note": "Crash records"}]
    assert len(body["members"]) == 2
    assert body["goals"][0]["latest_progress"] == {"value": "18.00", "recorded_on": "2025-06-01"}
    assert body["coordinators"] == [{"id": coordinator_user.pk, "name": str(coordinator_user)}]


def test_another_coordinators_coalition_is_a_404(client, coordinator_user, coalitions_world):
    """A coalition the coordinator may not see is not found, its stances neither."""
    hidden = CoalitionFactory(coordinators=[UserFactory(roles=["Coordinator"])])
    headers = token_for(coordinator_user)
    assert client.get(f"{COALITIONS}{hidden.pk}/", headers=headers).status_code == 404
    assert client.get(f"{COALITIONS}{hidden.pk}/stances/", headers=headers).status_code == 404
    body = {"person": OfficialFactory().pk, "stance": "ally"}
    assert send(client, "post", f"{COALITIONS}{hidden.pk}/stances/", headers, body).status_code == 404
    assert not AllyStance.objects.exists()


def test_the_coalition_list_costs_the_same_queries_for_3_and_30_rows(client, admin_user):
    """Coordinators, members with their resources and goals with their progress come with the
    rows: 3 coalitions or 30, same queries."""
    headers = token_for(admin_user, ApiToken.Scope.READ)

    def coalition_with_everything():
        coalition = CoalitionFactory(coordinators=[UserFactory(roles=["Coordinator"])])
        MembershipFactory(coalition=coalition).resources.create(kind="funding")
        MembershipFactory(coalition=coalition, organization=None, person=OfficialFactory())
        GoalFactory(coalition=coalition).progress.create(recorded_on=datetime.date(2025, 1, 1), value=1)
        AllyStanceFactory(coalition=coalition)

    for _ in range(3):
        coalition_with_everything()
    few = _queries(client, COALITIONS, headers)
    for _ in range(27):
        coalition_with_everything()
    assert len(client.get(COALITIONS, headers=headers).json()["results"]) == 30
    assert _queries(client, COALITIONS, headers) == few


# --- Stances ------------------------------------------------------------------------------


def _stances_url(coalition) -> str:
    return f"{COALITIONS}{coalition.pk}/stances/"


def test_the_stances_are_the_ally_maps(client, coordinator_user, coalitions_world):
    """The stances list holds the allies of the ally map, with its filters and risk reasons."""
    coalition = coalitions_world[0]
    champion = AllyStanceFactory(coalition=coalition, stance=Stance.CHAMPION, owner=coordinator_user)
    AllyStanceFactory(coalition=coalition, stance=Stance.SKEPTIC, person__last_contact_on=None)
    headers = token_for(coordinator_user, ApiToken.Scope.READ)
    everyone = client.get(_stances_url(coalition), headers=headers).json()["results"]
    assert {row["id"] for row in everyone} == {row.pk for row in coalition_selectors.ally_map(coalition).allies}
    silent = next(row for row in everyone if row["stance"] == "skeptic")
    assert silent["at_risk"] is True
    assert silent["risk_flags"] == [{"code": "no_contact", "reason": "No contact on record."}]
    for query, expected in [
        ("stance=champion", {champion.pk}),
        (f"owner={coordinator_user.pk}", {champion.pk}),
        ("at_risk=true", {silent["id"]}),
        ("department=0", {row["id"] for row in everyone}),
    ]:
        assert listed_ids(client, f"{_stances_url(coalition)}?{query}", headers) == expected, query


def test_a_coordinator_adds_an_ally_with_its_history(client, coordinator_user, coalitions_world):
    """Adding a stance goes through stance_set: the first history row names who added it and why."""
    coalition = coalitions_world[0]
    person = OfficialFactory()
    body = {"person": person.pk, "stance": "ally", "influence": "high", "note": "Spoke at the forum."}
    response = send(client, "post", _stances_url(coalition), token_for(coordinator_user), body)
    assert response.status_code == 201, response.json()
    ally = AllyStance.objects.get(coalition=coalition, person=person)
    assert (ally.stance, ally.influence) == ("ally", "high")
    change = StanceChange.objects.get(ally_stance=ally)
    assert (change.changed_by, change.to_stance, change.note) == (coordinator_user, "ally", "Spoke at the forum.")
    assert response.json()["changes"][0]["note"] == "Spoke at the forum."


def test_a_stance_change_is_kept_in_its_history(client, coordinator_user, coalitions_world):
    """PATCH on one stance changes what is sent and adds a dated history row from → to."""
    coalition = coalitions_world[0]
    ally = AllyStanceFactory(coalition=coalition, stance=Stance.NEUTRAL)
    url = f"{_stances_url(coalition)}{ally.pk}/"
    response = send(client, "patch", url, token_for(coordinator_user), {"stance": "champion", "note": "Sponsored it."})
    assert response.status_code == 200, response.json()
    ally.refresh_from_db()
    assert (ally.stance, ally.influence) == ("champion", "medium")
    change = StanceChange.objects.get(ally_stance=ally)
    assert (change.from_stance, change.to_stance, change.changed_by) == ("neutral", "champion", coordinator_user)
    shown = client.get(url, headers=token_for(coordinator_user, ApiToken.Scope.READ)).json()
    assert shown["stance"] == "champion" and shown["changes"][0]["to_stance"] == "champion"


def test_a_member_coordinator_reads_stances_but_does_not_change_them(client, coordinator_user, coalitions_world):
    """In a coalition they only belong to, a coordinator sees the ally map but may not change it (403)."""
    _coordinated, member_of = coalitions_world
    ally = AllyStanceFactory(coalition=member_of)
    headers = token_for(coordinator_user)
    assert client.get(_stances_url(member_of), headers=headers).status_code == 200
    body = {"person": OfficialFactory().pk, "stance": "ally"}
    assert send(client, "post", _stances_url(member_of), headers, body).status_code == 403
    url = f"{_stances_url(member_of)}{ally.pk}/"
    assert send(client, "patch", url, headers, {"stance": "opponent"}).status_code == 403
    assert AllyStance.objects.filter(coalition=member_of).count() == 1
    assert not StanceChange.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": "someone", "stance": "ally"}, "person"),
        ({"person": 1, "stance": "fan"}, "stance"),
        ({"person": 1, "stance": "ally", "influence": 3}, "influence"),
        ({"person": 1, "stance": "ally", "owner": "me"}, "owner"),
        ({"person": 1, "stance": "ally", "mood": "good"}, "mood"),
        ({"person": 1}, "stance"),
        ({"person": 2, "stance": "ally"}, "person"),  # already on the map
        ("[", "detail"),
    ],
)
def test_bad_stance_input_is_a_400_and_changes_nothing(client, coordinator_user, coalitions_world, body, field):
    """Wrong types, unknown choices and fields, a person already on the map and malformed JSON
    each get a 400 naming what is wrong; no stance or history row is written."""
    coalition = coalitions_world[0]
    people = [OfficialFactory(), AllyStanceFactory(coalition=coalition).person]
    if isinstance(body, dict) and isinstance(body.get("person"), int):
        body = {**body, "person": people[body["person"] - 1].pk}
    before = AllyStance.objects.count(), StanceChange.objects.count()
    response = send(client, "post", _stances_url(coalition), token_for(coordinator_user), body)
    assert response.status_code == 400
    assert field in response.json()
    assert (AllyStance.objects.count(), StanceChange.objects.count()) == before


def test_the_stance_list_costs_the_same_queries_for_3_and_30_rows(client, admin_user):
    """The ally map's rows are read in a fixed number of queries: 3 allies or 30, same queries."""
    coalition = CoalitionFactory()
    headers = token_for(admin_user, ApiToken.Scope.READ)
    owner = UserFactory(roles=["Staff"])
    AllyStanceFactory.create_batch(3, coalition=coalition, owner=owner)
    few = _queries(client, _stances_url(coalition), headers)
    AllyStanceFactory.create_batch(27, coalition=coalition, owner=owner)
    assert len(client.get(_stances_url(coalition), headers=headers).json()["results"]) == 30
    assert _queries(client, _stances_url(coalition), headers) == few
