"""The search entries (one per person) follow every write that changes what a person is found by.

The triggers of migration 0013 write them; these tests go through the services, the
ORM and raw SQL as the app does, and read the entries back.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from stakeholders.models import Affiliation, Person, PersonSearchEntry
from stakeholders.selectors.search import trigram_search_available
from stakeholders.services import people as services
from tests.stakeholders.factories import (
    AffiliationFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _document(person: Person) -> str:
    return PersonSearchEntry.objects.get(person=person).document


def _row_version(person: Person) -> str:
    """The physical position of the entry's current row version: an UPDATE writes a new one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM stakeholders_personsearchentry WHERE person_id = %s", [person.pk])
        return cursor.fetchone()[0]


def test_a_new_person_gets_an_entry_with_names_and_email_in_lower_case():
    person = services.person_create(
        actor=None, first_name="Cora", last_name="Okafor", preferred_name="Coco", email="Cora@Example.org"
    )
    entry = PersonSearchEntry.objects.get(person=person)
    assert (entry.last_name, entry.first_name) == ("Okafor", "Cora")
    assert entry.document == "cora okafor coco cora@example.org"


def test_the_entry_follows_name_and_email_changes_and_ignores_other_fields():
    person = PersonFactory(first_name="Cora", last_name="Okafor", email="cora@example.org")
    services.person_update(person=person, actor=None, last_name="Okafor-Reyes")
    assert PersonSearchEntry.objects.get(person=person).last_name == "Okafor-Reyes"
    assert "okafor-reyes" in _document(person)
    before = _row_version(person)
    services.person_update(person=person, actor=None, notes="Met at the library.", phone="555-0100")
    Person.objects.filter(pk=person.pk).update(last_contact_on="2026-11-30")
    assert _row_version(person) == before  # nothing search reads changed: the entry was not rewritten


def test_the_entry_names_every_organization_the_person_is_or_was_affiliated_with():
    person = PersonFactory(first_name="Sam", last_name="Smith")
    riverbend = OrganizationFactory(name="Riverbend Alliance")
    affiliation = services.affiliation_add(actor=None, person=person, organization=riverbend)
    assert "riverbend alliance" in _document(person)

    services.affiliation_end(actor=None, affiliation=affiliation)
    assert "riverbend alliance" in _document(person)  # an ended affiliation still finds them

    services.organization_update(organization=riverbend, actor=None, name="Riverside Alliance")
    assert "riverside alliance" in _document(person) and "riverbend" not in _document(person)

    other = PersonFactory()
    Affiliation.objects.filter(pk=affiliation.pk).update(person=other)
    assert "riverside" not in _document(person) and "riverside alliance" in _document(other)

    Affiliation.objects.filter(pk=affiliation.pk).delete()
    assert "riverside" not in _document(other)


def test_deleting_a_person_or_an_organization_keeps_the_entries_consistent():
    """The entry goes with its person (foreign key cascade), even when affiliations are deleted first."""
    person = PersonFactory()
    organization = OrganizationFactory(name="Harbor Tenants Union")
    member = PersonFactory()
    AffiliationFactory(person=person, organization=organization)
    AffiliationFactory(person=member, organization=organization)
    person.delete()
    assert not PersonSearchEntry.objects.filter(person_id=person.pk).exists()
    organization.delete()
    assert "harbor" not in _document(member)
    assert PersonSearchEntry.objects.count() == Person.objects.count()


def test_a_merged_person_is_found_by_everything_the_duplicate_was_found_by():
    survivor = PersonFactory(first_name="Cora", last_name="Okafor")
    duplicate = PersonFactory(first_name="Cora", last_name="Okafor")
    AffiliationFactory(person=duplicate, organization=OrganizationFactory(name="Riverbend Alliance"))
    services.person_merge(survivor=survivor, duplicate=duplicate, actor=None)
    assert "riverbend alliance" in _document(survivor)
    assert not PersonSearchEntry.objects.filter(person_id=duplicate.pk).exists()


def test_bulk_copy_of_a_generated_city_writes_one_entry_per_person():
    """generate_city writes people and affiliations with COPY; the statement triggers cover them."""
    call_command("generate_city", size="small", seed=3, stdout=None)
    assert PersonSearchEntry.objects.count() == Person.objects.count() > 400
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM stakeholders_affiliation f"
            " JOIN stakeholders_organization o ON o.id = f.organization_id"
            " JOIN stakeholders_personsearchentry e ON e.person_id = f.person_id"
            " WHERE strpos(e.document, lower(o.name)) = 0"
        )
        assert cursor.fetchone()[0] == 0  # every affiliation's organization is in its person's entry
        # The generator queues the trigram indexes' inserts and merges them; searches never read a queue.
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%%search%%trgm' ORDER BY relname")
        indexes = dict(cursor.fetchall())  # none without pg_trgm
        assert all(options == ["fastupdate=off"] for options in indexes.values()), indexes
        if trigram_search_available():
            assert len(indexes) == 6  # people, organizations (2) and engagements (3)


# --- the people list's search: who sees what, with the other filters ---------


def _listed(client, params) -> set[int]:
    response = client.get(reverse("stakeholders:person_list"), params)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list)
    return {row["id"] for row in page.object_list}


def test_a_liaison_finds_only_the_people_they_work_with(client, liaison_user):
    me = PersonFactory(user=liaison_user, last_name="Liaison")
    organization = OrganizationFactory()
    AffiliationFactory(person=me, organization=organization)
    colleague = PersonFactory(last_name="Okafor")
    AffiliationFactory(person=colleague, organization=organization)
    PersonFactory(last_name="Okafor")  # a stranger with the same name
    client.force_login(liaison_user)
    assert _listed(client, {"q": "okafor"}) == {colleague.pk}


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Admin"])
def test_staff_coordinators_and_admins_find_everyone(client, role):
    people = {PersonFactory(last_name="Okafor").pk for _ in range(3)}
    client.force_login(UserFactory(roles=[role]))
    assert _listed(client, {"q": "okafor"}) == people


def test_the_search_combines_with_the_other_filters(client, staff_user):
    north = NeighborhoodFactory(name="North End")
    inside = PersonFactory(last_name="Okafor", neighborhood=north)
    PersonFactory(last_name="Okafor")
    PersonFactory(last_name="Smith", neighborhood=north)
    client.force_login(staff_user)
    assert _listed(client, {"q": "okafor", "neighborhood": north.pk}) == {inside.pk}


def test_a_search_page_lists_people_in_name_order(client, staff_user):
    for first, last in [("Zoe", "Okafor"), ("Ada", "Okafor"), ("Ben", "Adeyemi-Okafor")]:
        PersonFactory(first_name=first, last_name=last)
    client.force_login(staff_user)
    rows = client.get(reverse("stakeholders:person_list"), {"q": "okafor"}).context["page"].object_list
    assert [row["name"] for row in rows] == ["Ben Adeyemi-Okafor", "Ada Okafor", "Zoe Okafor"]


def test_search_as_you_type_offers_the_first_twenty_matches_by_name(client, staff_user):
    people = [PersonFactory(first_name=f"Ada{i:02d}", last_name="Okafor", email="") for i in range(25)]
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:person_search"), {"q": "okafor"}).content.decode()
    offered = [person.pk for person in people if f'<option value="{person.pk}">' in content]
    assert offered == [person.pk for person in people[:20]]
    assert content.index("Ada00 Okafor") < content.index("Ada19 Okafor")
