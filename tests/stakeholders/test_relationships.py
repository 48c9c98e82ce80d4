"""Relationships: services, who may see and change them, forms and the person panel."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from stakeholders.filters.relationships import RelationshipFilter
from stakeholders.models import Relationship
from stakeholders.selectors.relationships import relationships_visible_to
from stakeholders.services import relationships as services
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.government_factories import OfficialFactory, OrganizationFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_relationship_needs_exactly_one_other_end():
    """A relationship points at another person or an organization, never both or neither or oneself."""
    person = OfficialFactory()
    with pytest.raises(ValidationError) as error:
        services.relationship_create(person=person)
    assert "other_person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.relationship_create(person=person, other_person=OfficialFactory(), organization=OrganizationFactory())
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.relationship_create(person=person, other_person=person)
    relationship = services.relationship_create(person=person, organization=OrganizationFactory(), strength=5)
    assert relationship.target == relationship.organization


def test_strength_must_be_one_to_five():
    """Strength outside 1–5 is refused at the field."""
    with pytest.raises(ValidationError) as error:
        services.relationship_create(person=OfficialFactory(), other_person=OfficialFactory(), strength=6)
    assert "strength" in error.value.message_dict


def test_ending_a_relationship_keeps_it_on_record():
    """Ending sets the end date; ending twice or before the start is refused."""
    relationship = RelationshipFactory(start_date=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError):
        services.relationship_end(relationship=relationship, end_date=datetime.date(2024, 1, 1))
    services.relationship_end(relationship=relationship, end_date=datetime.date(2025, 5, 1))
    relationship.refresh_from_db()
    assert relationship.end_date == datetime.date(2025, 5, 1)
    with pytest.raises(ValidationError):
        services.relationship_end(relationship=relationship, end_date=datetime.date(2025, 6, 1))


def test_relationship_history_records_who_changed_what():
    """Updates are kept as history events with the acting user."""
    actor = UserFactory()
    relationship = RelationshipFactory(strength=2)
    services.relationship_update(
        relationship=relationship,
        other_person=relationship.other_person,
        organization=None,
        kind=Relationship.Kind.ADVISES,
        strength=4,
        start_date=None,
        end_date=None,
        owner=actor,
        actor=actor,
    )
    event = relationship.events.order_by("-pgh_id").first()
    assert (event.strength, event.kind, event.pgh_context.metadata["user"]) == (4, "advises", actor.pk)


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Admin"])
def test_city_roles_read_every_relationship(client, role):
    """Staff, coordinators and admins see all relationships."""
    relationship = RelationshipFactory()
    client.force_login(UserFactory(roles=[role]))
    assert str(relationship.person) in client.get(reverse("stakeholders:relationship_list")).content.decode()
    assert client.get(relationship.get_absolute_url()).status_code == 200


def test_liaisons_read_only_relationships_they_are_part_of(client, liaison_user):
    """A liaison sees relationships where their own person record is one end, and nothing else."""
    me = OfficialFactory(user=liaison_user, last_name="Myself")
    mine = RelationshipFactory(other_person=me, person=OfficialFactory(last_name="Neighbor"))
    other = RelationshipFactory(person=OfficialFactory(last_name="Stranger"))
    client.force_login(liaison_user)
    content = client.get(reverse("stakeholders:relationship_list")).content.decode()
    assert "Neighbor" in content and "Stranger" not in content
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("stakeholders:relationship_edit", args=[mine.pk])).status_code == 403
    panel = client.get(reverse("stakeholders:person_relationships_panel", args=[other.person_id])).content.decode()
    assert "Stranger" not in panel and "No relationships recorded." in panel


def test_liaison_without_a_person_record_sees_none(client, liaison_user):
    """A liaison account not linked to a person sees an empty list."""
    RelationshipFactory()
    client.force_login(liaison_user)
    response = client.get(reverse("stakeholders:relationship_list"))
    assert response.status_code == 200 and "No relationships match" in response.content.decode()


def test_staff_cannot_create_edit_or_end_relationships(client, staff_user):
    """Staff read relationships but get 403 on every change page."""
    relationship = RelationshipFactory()
    client.force_login(staff_user)
    for name, args in (
        ("stakeholders:relationship_create", []),
        ("stakeholders:relationship_edit", [relationship.pk]),
        ("stakeholders:relationship_end", [relationship.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {"end_date": "2026-01-01"}).status_code == 403
    relationship.refresh_from_db()
    assert relationship.end_date is None


def test_coordinator_creates_a_relationship_from_a_person(client, coordinator_user):
    """Starting from ?person=<pk> preselects the person; saving records the owner."""
    person, ally = OfficialFactory(last_name="Alpha"), OfficialFactory(last_name="Beta")
    client.force_login(coordinator_user)
    page = client.get(reverse("stakeholders:relationship_create"), {"person": person.pk}).content.decode()
    assert f'<option value="{person.pk}" selected>' in page
    response = client.post(
        reverse("stakeholders:relationship_create"),
        {
            "person": person.pk,
            "other_person": ally.pk,
            "kind": "trusted_messenger",
            "strength": "5",
            "owner": coordinator_user.pk,
        },
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(person=person)
    assert (relationship.other_person, relationship.strength, relationship.owner) == (ally, 5, coordinator_user)


def test_relationship_form_keeps_input_and_names_each_problem(client, coordinator_user):
    """Missing target and reversed dates are each reported at their field; typed values stay."""
    person = OfficialFactory()
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:relationship_create"),
        {
            "person": person.pk,
            "kind": "advises",
            "strength": "4",
            "start_date": "2025-05-01",
            "end_date": "2024-01-01",
            "notes": "Met at the budget hearing",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#id_other_person"' in content and 'href="#id_end_date"' in content
    assert "Met at the budget hearing" in content
    assert '<option value="advises" selected>' in content and '<option value="4" selected>' in content
    assert not Relationship.objects.exists()


def test_coordinator_ends_a_relationship(client, coordinator_user):
    """The end form records the end date and the relationship stays listed as ended."""
    relationship = RelationshipFactory()
    client.force_login(coordinator_user)
    response = client.post(reverse("stakeholders:relationship_end", args=[relationship.pk]), {"end_date": "2026-01-15"})
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.end_date == datetime.date(2026, 1, 15)


def test_list_filters_by_kind_owner_and_strength(client, coordinator_user):
    """Kind, owner and minimum strength narrow the list."""
    owner = UserFactory()
    RelationshipFactory(kind="family", strength=5, owner=owner, person=OfficialFactory(last_name="Kinsley"))
    RelationshipFactory(kind="advises", strength=1, person=OfficialFactory(last_name="Advisor"))
    client.force_login(coordinator_user)
    url = reverse("stakeholders:relationship_list")
    assert "Advisor" not in client.get(url, {"kind": "family"}).content.decode()
    assert "Advisor" not in client.get(url, {"owner": owner.pk}).content.decode()
    content = client.get(url, {"strength": "3"}).content.decode()
    assert "Kinsley" in content and "Advisor" not in content
    RelationshipFactory(person=OfficialFactory(last_name="Former"), end_date=datetime.date(2025, 1, 1))
    content = client.get(url, {"status": "ended"}).content.decode()
    assert "Former" in content and "Kinsley" not in content
    assert "Former" not in client.get(url, {"status": "current"}).content.decode()


def test_person_panel_shows_relationships_and_owners(client, staff_user):
    """The person page panel lists both directions with each relationship's owner."""
    person = OfficialFactory()
    owner = UserFactory(first_name="Olive", last_name="Owner")
    RelationshipFactory(person=person, other_person=OfficialFactory(last_name="Outgoing"), owner=owner)
    RelationshipFactory(other_person=person, person=OfficialFactory(last_name="Incoming"))
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:person_relationships_panel", args=[person.pk])).content.decode()
    assert "Outgoing" in content and "Incoming" in content and "Olive Owner" in content


@pytest.mark.parametrize("rows", [1, 50])
def test_relationship_list_query_count_is_fixed(client, staff_user, django_assert_max_num_queries, rows):
    """The relationship list costs the same number of queries for 1 or 50 rows."""
    owner = UserFactory()
    for index in range(rows):
        if index % 2:
            RelationshipFactory(owner=owner)
        else:
            RelationshipFactory(other_person=None, organization=OrganizationFactory(), owner=owner)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stakeholders:relationship_list"))
    assert response.content.decode().count("/relationships/") >= rows


@pytest.mark.parametrize("id_list_limit", [RelationshipFilter.ID_LIST_LIMIT, 0], ids=["id list", "subquery"])
def test_list_search_finds_either_person_or_the_organization(client, coordinator_user, monkeypatch, id_list_limit):
    """The search finds a relationship by its person, its other person (a typo tolerated) or its organization.

    Matched people go to the list as an array of ids, or as a subquery when there are too many.
    """
    monkeypatch.setattr(RelationshipFilter, "ID_LIST_LIMIT", id_list_limit)
    RelationshipFactory(person=OfficialFactory(last_name="Kinsley"), other_person=OfficialFactory(last_name="Okafor"))
    RelationshipFactory(
        person=OfficialFactory(last_name="Advisor"),
        other_person=None,
        organization=OrganizationFactory(name="Riverbend Alliance"),
    )
    client.force_login(coordinator_user)
    url = reverse("stakeholders:relationship_list")
    for query, found, not_found in [
        ("kinsley", "Kinsley", "Advisor"),
        ("okafr", "Kinsley", "Advisor"),
        ("riverbend", "Advisor", "Kinsley"),
    ]:
        content = client.get(url, {"q": query}).content.decode()
        assert found in content and not_found not in content, query


def test_list_is_read_along_its_order_index(staff_user):
    """The list's page comes from the (strength DESC, id) index, not from sorting every relationship."""
    queryset = relationships_visible_to(staff_user)[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "relationship_list_order" in plan and "Sort" not in plan
