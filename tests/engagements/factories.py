import datetime

import factory
from django.utils import timezone

from engagements.models import BreakdownCategory, BreakdownOption, Commitment, Engagement, InputItem, Theme
from stakeholders.models import Department, Neighborhood, Organization, Person
from tests.stakeholders.factories import UserFactory


class NeighborhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighborhood
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighborhood {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@resident.example".lower())


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")


class BreakdownCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakdownCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class BreakdownOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakdownOption

    category = factory.SubFactory(BreakdownCategoryFactory)
    label = factory.Sequence(lambda n: f"Option {n}")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    title = factory.Sequence(lambda n: f"Listening session {n}")
    kind = Engagement.Kind.LISTENING_SESSION
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    neighborhood = factory.SubFactory(NeighborhoodFactory)
    location = "Eastside Community Center"
    summary = "Residents talked about bus service and housing repairs."
    attendance_total = 25
    created_by = factory.SubFactory(UserFactory, roles=["Staff"])
    status = Engagement.Status.LOGGED


class InputItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InputItem

    engagement = factory.SubFactory(EngagementFactory)
    text = factory.Sequence(lambda n: f"Input item {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    engagement = factory.SubFactory(EngagementFactory)
    description = factory.Sequence(lambda n: f"Commitment {n}")
    owner = factory.SubFactory(UserFactory, roles=["Coordinator"])
    department = factory.SubFactory(DepartmentFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
