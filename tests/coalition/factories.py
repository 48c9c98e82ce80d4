"""Factories for the coalition domain, with the few stakeholder rows it needs."""

import datetime

import factory

from coalition.models import AllyStance, Coalition, Goal, Membership
from stakeholders.models import Department, Election, Organization, Person, Position, Relationship, Tenure


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Position {n}")
    department = factory.SubFactory(DepartmentFactory)
    level = Position.Level.ELECTED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Person{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.NONPROFIT


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(PersonFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = datetime.date(2020, 1, 1)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Riverton election {n}")
    jurisdiction = "Riverton"
    date = datetime.date(2030, 11, 5)

    @factory.post_generation
    def positions(self, create, extracted, **kwargs):
        if create and extracted:
            self.positions.set(extracted)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    other_person = factory.SubFactory(PersonFactory)


class CoalitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coalition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coalition {n}")
    mission_what = "Safer streets for children walking to school."

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    coalition = factory.SubFactory(CoalitionFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER


class AllyStanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllyStance

    coalition = factory.SubFactory(CoalitionFactory)
    person = factory.SubFactory(PersonFactory, last_contact_on=factory.LazyFunction(datetime.date.today))
    stance = AllyStance._meta.get_field("stance").default
    influence = AllyStance._meta.get_field("influence").default


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    coalition = factory.SubFactory(CoalitionFactory)
    metric = factory.Sequence(lambda n: f"Metric {n}")
    target = 100
