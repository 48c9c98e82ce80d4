import factory
from django.contrib.auth.models import Group

from stakeholders.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Made-up names: the signed-in user's name is on every page, so a real-looking name
    # (Faker's "Smith", "Li") could match the words a test looks for or rules out.
    first_name = factory.Sequence(lambda n: f"Userfirst{n}")
    last_name = factory.Sequence(lambda n: f"Userlast{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@city.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def two_step(self, create, extracted, **kwargs):
        """Admins must use two-step sign-in, so an admin comes with a confirmed authenticator
        app (``two_step=False``: one who has not set it up; ``True``: anyone gets one)."""
        if not create or extracted is False:
            return
        if extracted or self.groups.filter(name="Admin").exists():
            from tests.two_step import add_authenticator

            add_authenticator(self)


class NeighborhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Neighborhood"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighborhood {n}")
    council_district = factory.Sequence(lambda n: str(n % 8 + 1))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Tag"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Organization"

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = "nonprofit"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Person"
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@residents.example")

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stakeholders.Affiliation"

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role_title = "Member"
