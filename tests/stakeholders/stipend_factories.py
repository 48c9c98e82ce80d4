"""factory_boy factories for liaison stipends. Agreements and payments are built
through the services where their state matters (sign-off, approval)."""

import datetime
from decimal import Decimal

import factory

from stakeholders.models import Department, FundingSource, LiaisonProfile, Person, StipendAgreement, StipendPayment
from tests.stakeholders.factories import UserFactory

__all__ = [
    "AgreementFactory",
    "DepartmentFactory",
    "FundingSourceFactory",
    "LiaisonProfileFactory",
    "PaymentFactory",
    "PersonFactory",
    "UserFactory",
]


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class LiaisonProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonProfile

    person = factory.SubFactory(PersonFactory)
    active_from = datetime.date(2026, 1, 1)
    payee_reference = factory.Sequence(lambda n: f"VND-{n:06d}")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    name = factory.Sequence(lambda n: f"Community Voices Fund {n}")
    fiscal_year = 2026
    department = factory.SubFactory(DepartmentFactory)
    budget = Decimal("10000.00")


class AgreementFactory(factory.django.DjangoModelFactory):
    """An active, signed-off agreement unless told otherwise."""

    class Meta:
        model = StipendAgreement

    liaison = factory.SubFactory(LiaisonProfileFactory)
    funding_source = factory.SubFactory(FundingSourceFactory)
    rate = Decimal("50.00")
    unit = StipendAgreement.Unit.SESSION
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    cap = Decimal("1000.00")
    status = StipendAgreement.Status.ACTIVE
    created_by = factory.SubFactory(UserFactory, roles=["Admin"])
    signed_off_by = factory.LazyAttribute(lambda a: a.created_by)
    signed_off_at = factory.LazyFunction(lambda: datetime.datetime(2025, 12, 15, tzinfo=datetime.UTC))


class PaymentFactory(factory.django.DjangoModelFactory):
    """A draft payment; pass status and the matching people for later states."""

    class Meta:
        model = StipendPayment

    agreement = factory.SubFactory(AgreementFactory)
    period_start = datetime.date(2026, 3, 1)
    period_end = datetime.date(2026, 3, 31)
    quantity = Decimal("2.00")
    rate = factory.LazyAttribute(lambda p: p.agreement.rate)
    amount = factory.LazyAttribute(lambda p: (p.rate * p.quantity).quantize(Decimal("0.01")))
    created_by = factory.LazyAttribute(lambda p: p.agreement.created_by)
