"""Services for people, organizations and affiliations: rules, history and merging."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from pghistory.models import Events

from stakeholders.models import (
    Affiliation,
    Department,
    Language,
    Person,
    PersonDemographics,
    Position,
    Relationship,
    Tenure,
)
from stakeholders.selectors.people import person_history
from stakeholders.services import people as services
from tests.stakeholders.factories import (
    AffiliationFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_person_create_keeps_languages_tags_and_creator(staff_user):
    """A new person gets their languages (preferred included), tags by name and who added them."""
    spanish = Language.objects.get(code="es")
    english = Language.objects.get(code="en")
    person = services.person_create(
        actor=staff_user,
        first_name=" Rosa ",
        last_name="Díaz",
        email="rosa@example.org",
        preferred_language=spanish,
        languages=[english],
        tags=["Tenant organizer", "tenant ORGANIZER", "youth"],
    )
    assert person.first_name == "Rosa"
    assert set(person.languages.all()) == {spanish, english}
    assert sorted(person.tags.values_list("name", flat=True)) == ["Tenant organizer", "youth"]
    assert person.created_by == staff_user


def test_person_create_refuses_an_email_another_person_has(staff_user):
    """Two people cannot share an email address (ignoring case); the error names the field."""
    PersonFactory(email="dup@example.org", first_name="First")
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=staff_user, first_name="Second", email="DUP@example.org")
    assert "email" in error.value.message_dict
    assert Person.objects.count() == 1


def test_person_update_writes_history_with_who_and_what(staff_user):
    """An update is recorded with the acting user and the changed values."""
    person = services.person_create(actor=staff_user, first_name="Ana", phone="1")
    services.person_update(person=person, actor=staff_user, phone="555-0100")
    history = person_history(person)
    update = next(row for row in history if row["label"] == "update")
    assert update["who"] == staff_user
    assert ("phone", "1", "555-0100") in update["changes"]


def test_affiliation_end_sets_today_and_refuses_twice(staff_user, time_machine):
    """Ending an affiliation records today's date; ending it again is refused."""
    time_machine.move_to(datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC))
    person = PersonFactory()
    affiliation = services.affiliation_add(
        actor=staff_user, person=person, organization=OrganizationFactory(), role_title="Chair"
    )
    services.affiliation_end(actor=staff_user, affiliation=affiliation)
    assert affiliation.end_date == datetime.date(2026, 3, 5)
    with pytest.raises(ValidationError):
        services.affiliation_end(actor=staff_user, affiliation=affiliation)


def test_affiliation_cannot_end_before_it_starts(staff_user):
    """The end date of an affiliation cannot precede its start."""
    with pytest.raises(ValidationError):
        services.affiliation_add(
            actor=staff_user,
            person=PersonFactory(),
            organization=OrganizationFactory(),
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )


def test_organization_names_are_unique_ignoring_case(staff_user):
    """A second organization with the same name is refused with an error on the name."""
    services.organization_create(actor=staff_user, name="Riverton Food Bank")
    with pytest.raises(ValidationError) as error:
        services.organization_create(actor=staff_user, name="riverton food bank")
    assert "name" in error.value.message_dict


def test_demographics_need_consent_in_the_database():
    """The database refuses demographic answers without a recorded consent."""
    with pytest.raises(IntegrityError):
        PersonDemographics.objects.create(person=PersonFactory(), age_band="25_34")


def test_withdrawing_consent_erases_demographics(admin_user):
    """Recording demographics without consent erases what was kept."""
    person = PersonFactory()
    services.person_demographics_record(person=person, actor=admin_user, consent=True, age_band="25_34")
    assert PersonDemographics.objects.get(person=person).consent_recorded_at is not None
    services.person_demographics_record(person=person, actor=admin_user, consent=False)
    assert not PersonDemographics.objects.filter(person=person).exists()


def test_merge_moves_everything_and_loses_nothing(admin_user):
    """Merging moves affiliations, relationships both ways, tenures, tags, languages, the
    user account and demographics to the survivor, keeps richer values and deletes the duplicate."""
    # given
    neighborhood = NeighborhoodFactory()
    survivor = PersonFactory(first_name="Rob", last_name="Chen", email="rob@example.org", phone="", notes="Met 2024")
    account = UserFactory()
    duplicate = PersonFactory(
        first_name="Robert",
        last_name="Chen",
        email="",
        phone="555-0199",
        neighborhood=neighborhood,
        user=account,
        notes="Prefers calls",
        last_contact_on=datetime.date(2026, 1, 2),
        tags=[TagFactory(name="faith")],
        languages=[Language.objects.get(code="vi")],
    )
    survivor.tags.add(TagFactory(name="housing"))
    organization = OrganizationFactory()
    AffiliationFactory(person=duplicate, organization=organization, role_title="Pastor")
    friend = PersonFactory()
    outgoing = Relationship.objects.create(person=duplicate, other_person=friend)
    incoming = Relationship.objects.create(person=friend, other_person=duplicate)
    between = Relationship.objects.create(person=survivor, other_person=duplicate)
    to_org = Relationship.objects.create(person=duplicate, organization=organization)
    position = Position.objects.create(title="Commissioner", department=Department.objects.create(name="Parks"))
    tenure = Tenure.objects.create(person=duplicate, position=position, start_date=datetime.date(2025, 1, 1))
    PersonDemographics.objects.create(person=duplicate, consent_recorded_at=timezone.now(), age_band="45_54")
    duplicate_pk = duplicate.pk

    # when
    merged = services.person_merge(survivor=survivor, duplicate=duplicate, actor=admin_user)

    # then
    assert not Person.objects.filter(pk=duplicate_pk).exists()
    merged.refresh_from_db()
    assert merged.first_name == "Robert"  # the longer form of the same name
    assert merged.email == "rob@example.org"
    assert merged.phone == "555-0199"
    assert merged.neighborhood == neighborhood
    assert merged.user == account
    assert merged.last_contact_on == datetime.date(2026, 1, 2)
    assert "Met 2024" in merged.notes and "Prefers calls" in merged.notes
    assert set(merged.tags.values_list("name", flat=True)) == {"faith", "housing"}
    assert list(merged.languages.values_list("code", flat=True)) == ["vi"]
    assert Affiliation.objects.get(organization=organization).person == merged
    for relationship in (outgoing, incoming, to_org):
        relationship.refresh_from_db()
    assert outgoing.person == merged and incoming.other_person == merged and to_org.person == merged
    assert not Relationship.objects.filter(pk=between.pk).exists()  # would be a relationship with oneself
    tenure.refresh_from_db()
    assert tenure.person == merged
    assert merged.demographics.age_band == "45_54"
    # rows of models the service does not name (here the history) move too
    assert Events.objects.tracks(merged).filter(pgh_label="insert").count() == 2
    merge_event = Events.objects.tracks(merged).filter(pgh_label="merge").get()
    assert merge_event.pgh_context["merged_person_id"] == duplicate_pk
    assert merge_event.pgh_context["user"] == admin_user.pk


def test_merge_keeps_the_more_restrictive_consent(admin_user):
    """When one record says the person may not be contacted, the merged record says so too."""
    survivor = PersonFactory(may_contact=True, may_share=True)
    duplicate = PersonFactory(may_contact=False, may_share=True)
    merged = services.person_merge(survivor=survivor, duplicate=duplicate, actor=admin_user)
    merged.refresh_from_db()
    assert merged.may_contact is False and merged.may_share is True


def test_merge_refuses_two_linked_user_accounts(admin_user):
    """Two people each linked to a user cannot be merged until one is unlinked."""
    survivor = PersonFactory(user=UserFactory())
    duplicate = PersonFactory(user=UserFactory())
    with pytest.raises(ValidationError):
        services.person_merge(survivor=survivor, duplicate=duplicate, actor=admin_user)
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_refuses_merging_a_person_with_themselves(admin_user):
    """A person cannot be merged into themselves."""
    person = PersonFactory()
    with pytest.raises(ValidationError):
        services.person_merge(survivor=person, duplicate=person, actor=admin_user)


def test_demo_people_seed_is_idempotent_and_links_the_liaison():
    """Seeding the demo city twice creates nothing the second time; the demo liaison has a person record."""
    from stakeholders import demo, demo_people

    demo.seed_users()
    first = demo_people.seed()
    counts = (Person.objects.count(), Affiliation.objects.count())
    second = demo_people.seed()
    assert first["people_created"] == 400 and first["organizations"] == 80
    assert second["people_created"] == 0
    assert (Person.objects.count(), Affiliation.objects.count()) == counts
    assert Person.objects.get(user__username="liaison").affiliations.count() == 2


def test_repointing_drops_only_rows_that_already_exist_for_the_survivor():
    """When moving rows would break a unique constraint, the survivor's existing row is kept,
    the duplicate's copy is dropped and every other row moves."""
    from stakeholders.services.people import _repoint

    spanish, english = Language.objects.get(code="es"), Language.objects.get(code="en")
    survivor = PersonFactory(languages=[spanish])
    duplicate = PersonFactory(languages=[spanish, english])
    _repoint(Person.languages.through, "person", survivor, duplicate)
    assert set(survivor.languages.all()) == {spanish, english}
    assert not duplicate.languages.exists()
