"""Stipend payments tied to the engagements a liaison facilitated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from engagements.models import PaymentEngagement
from engagements.services.stipends import stipend_payment_link_engagements
from stakeholders.models import StipendPayment
from tests.engagements.factories import EngagementFactory
from tests.stakeholders.stipend_factories import AgreementFactory, PaymentFactory

pytestmark = pytest.mark.django_db

CITY = datetime.timezone(datetime.timedelta(hours=-5))  # Chicago in summer


def facilitated(liaison, day: datetime.date, **kwargs):
    starts_at = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=CITY)
    engagement = EngagementFactory(starts_at=starts_at, **kwargs)
    engagement.facilitator_people.add(liaison.person)
    return engagement


@pytest.fixture
def payment(admin_user):
    """A draft payment for March 2026 under an active agreement."""
    return PaymentFactory(agreement=AgreementFactory(created_by=admin_user))


def test_an_admin_ties_a_draft_payment_to_engagements_the_liaison_facilitated(payment, admin_user):
    """Engagements the liaison facilitated in the period are linked, with the liaison copied from the agreement."""
    liaison = payment.agreement.liaison
    first = facilitated(liaison, datetime.date(2026, 3, 1))
    last = facilitated(liaison, datetime.date(2026, 3, 31))

    links = stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[first.pk, last.pk])

    assert {(link.engagement, link.liaison) for link in links} == {(first, liaison), (last, liaison)}
    # Setting the list again replaces it.
    stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[last.pk])
    assert list(PaymentEngagement.objects.values_list("engagement_id", flat=True)) == [last.pk]


def test_engagements_outside_the_period_or_run_by_someone_else_are_refused(payment, admin_user):
    """The day after the period, or an engagement the liaison did not facilitate: refused, nothing linked."""
    liaison = payment.agreement.liaison
    after = facilitated(liaison, datetime.date(2026, 4, 1))
    someone_elses = EngagementFactory(starts_at=datetime.datetime(2026, 3, 10, 18, tzinfo=CITY))
    for engagement in (after, someone_elses):
        with pytest.raises(ValidationError) as error:
            stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[engagement.pk])
        assert "engagements" in error.value.message_dict
    assert not PaymentEngagement.objects.exists()


def test_only_a_draft_payment_and_only_an_admin_may_change_its_engagements(payment, admin_user, staff_user):
    """A submitted payment's engagements are fixed; staff may not link at all."""
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5))
    with pytest.raises(PermissionDenied):
        stipend_payment_link_engagements(actor=staff_user, payment=payment, engagement_ids=[engagement.pk])
    StipendPayment.objects.filter(pk=payment.pk).update(status=StipendPayment.Status.SUBMITTED, submitted_by=admin_user)
    with pytest.raises(ValidationError):
        stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[engagement.pk])


def test_the_same_engagement_is_never_paid_twice_to_the_same_liaison(payment, admin_user):
    """A second payment of the same liaison cannot pay for an engagement already paid: the service says
    so, and the database refuses it even when the service is bypassed."""
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5))
    stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[engagement.pk])
    second = PaymentFactory(agreement=payment.agreement, period_start=datetime.date(2026, 3, 1))

    with pytest.raises(ValidationError) as error:
        stipend_payment_link_engagements(actor=admin_user, payment=second, engagement_ids=[engagement.pk])
    assert "Already paid" in str(error.value)

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentEngagement.objects.create(payment=second, engagement=engagement, liaison=payment.agreement.liaison)


def test_the_database_refuses_a_liaison_that_is_not_the_payments(payment, admin_user):
    """The denormalised liaison must be the payment agreement's liaison (a trigger checks it)."""
    other = AgreementFactory(created_by=admin_user).liaison
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentEngagement.objects.create(payment=payment, engagement=engagement, liaison=other)


def test_a_void_payment_releases_its_engagements(payment, admin_user):
    """Once the first payment is void, a new payment may pay for the same engagement."""
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5))
    stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[engagement.pk])
    StipendPayment.objects.filter(pk=payment.pk).update(status=StipendPayment.Status.VOID, void_reason="Wrong period")
    second = PaymentFactory(agreement=payment.agreement)

    stipend_payment_link_engagements(actor=admin_user, payment=second, engagement_ids=[engagement.pk])

    assert PaymentEngagement.objects.get().payment == second


def test_the_payment_page_loads_the_panel_and_an_admin_picks_engagements(client, payment, admin_user):
    """The payment page points at the panel; the panel lists candidates; posting links them."""
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5), title="Eastside listening")
    panel_url = reverse("engagements:payment_engagements_panel", args=[payment.pk])
    client.force_login(admin_user)

    assert panel_url in client.get(payment.get_absolute_url()).content.decode()
    assert "Eastside listening" in client.get(panel_url).content.decode()
    response = client.post(panel_url, {"engagements": [engagement.pk]})

    assert response.status_code == 302
    assert PaymentEngagement.objects.get().engagement == engagement
    htmx = client.post(panel_url, {"engagements": []}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and not PaymentEngagement.objects.exists()


def test_the_panel_is_read_only_for_the_liaison_and_closed_to_staff(client, payment, admin_user, staff_user):
    """The liaison sees what their submitted payment pays for but cannot change it; staff get 403."""
    engagement = facilitated(payment.agreement.liaison, datetime.date(2026, 3, 5), title="Westside walk")
    stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[engagement.pk])
    StipendPayment.objects.filter(pk=payment.pk).update(status=StipendPayment.Status.SUBMITTED, submitted_by=admin_user)
    from tests.stakeholders.factories import UserFactory

    liaison_user = UserFactory(roles=["Liaison"])
    person = payment.agreement.liaison.person
    person.user = liaison_user
    person.save(update_fields=["user"])
    panel_url = reverse("engagements:payment_engagements_panel", args=[payment.pk])

    client.force_login(liaison_user)
    content = client.get(panel_url).content.decode()
    assert "Westside walk" in content and "<form" not in content
    assert client.post(panel_url, {"engagements": []}).status_code == 403
    client.force_login(staff_user)
    assert client.get(panel_url).status_code == 403


def test_the_liaison_page_shows_facilitated_engagements_and_what_paid_for_them(client, payment, admin_user, staff_user):
    """The liaison's page loads a panel listing their engagements, paid (with the payment) or not yet."""
    liaison = payment.agreement.liaison
    paid = facilitated(liaison, datetime.date(2026, 3, 5), title="Paid session")
    facilitated(liaison, datetime.date(2026, 3, 6), title="Unpaid session")
    stipend_payment_link_engagements(actor=admin_user, payment=payment, engagement_ids=[paid.pk])
    panel_url = reverse("engagements:liaison_engagements_panel", args=[liaison.pk])
    client.force_login(admin_user)

    assert panel_url in client.get(liaison.get_absolute_url()).content.decode()
    content = client.get(panel_url).content.decode()
    assert "Paid session" in content and "Unpaid session" in content
    assert reverse("stakeholders:payment_detail", args=[payment.pk]) in content
    client.force_login(staff_user)
    assert client.get(panel_url).status_code == 403
