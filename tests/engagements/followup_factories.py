"""Small factories for the stakeholders rows the reminder rules read, and follow-ups."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from engagements.models import FollowUp
from stakeholders.models import Department, Election, Person, Position, Relationship, Tenure
from tests.stakeholders.factories import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Faker("last_name")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Council seat {n}")
    department = factory.SubFactory(DepartmentFactory)
    level = Position.Level.ELECTED


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(PersonFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = datetime.date(2024, 1, 1)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Riverton municipal election {n}")
    jurisdiction = "City of Riverton"
    date = datetime.date(2026, 11, 3)

    @factory.post_generation
    def positions(self, create, extracted, **kwargs):
        if create and extracted:
            self.positions.set(extracted)


class RelationshipFactory(factory.django.DjangoModelFactory):
    """A relationship of ``person`` (the holder, usually) with another person, owned by a user."""

    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    other_person = factory.SubFactory(PersonFactory)
    owner = factory.SubFactory(UserFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Call about item {n}")
    reason = FollowUp.Reason.TURNOVER
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Person))
    object_id = factory.LazyFunction(lambda: PersonFactory().pk)
    cycle = factory.Sequence(lambda n: f"test:{n}")
    due_on = datetime.date(2026, 6, 1)
