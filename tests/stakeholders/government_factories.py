"""Factories for the government structure and relationships."""

import datetime

import factory

from stakeholders.models import Department, Election, Organization, Person, Position, Relationship, Tenure


class OfficialFactory(factory.django.DjangoModelFactory):
    """A Person who holds (or held) office."""

    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Official{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Riverton Group {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Position {n}")
    department = factory.SubFactory(DepartmentFactory)
    level = Position.Level.EXECUTIVE
    is_multi_seat = False


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(OfficialFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = datetime.date(2024, 1, 1)
    holds_single_seat = factory.LazyAttribute(lambda tenure: not tenure.position.is_multi_seat)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Riverton election {n}")
    jurisdiction = "City of Riverton"
    date = datetime.date(2027, 4, 6)
    kind = Election.Kind.GENERAL

    @factory.post_generation
    def positions(self, create, extracted, **kwargs):
        if create and extracted:
            self.positions.set(extracted)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(OfficialFactory)
    other_person = factory.SubFactory(OfficialFactory)
    kind = Relationship.Kind.WORKS_WITH
    strength = 3
