"""Consent per purpose and the erase pages (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.models import ConsentRecord, ErasureCertificate, ErasureRequest, Person, PersonDemographics
from stakeholders.services.people import person_demographics_record
from stakeholders.services.privacy import consent_current, consent_record, consent_withdraw_all
from tests.stakeholders.factories import PersonFactory
from tests.stakeholders.stipend_factories import AgreementFactory, LiaisonProfileFactory, PaymentFactory


@pytest.fixture
def person(db, staff_user):
    return PersonFactory(created_by=staff_user, first_name="Imani", last_name="Okafor")


def test_the_latest_record_per_purpose_is_the_current_state(person, admin_user):
    """Consent is a history; contact consent keeps may_contact in step."""
    consent_record(actor=admin_user, person=person, purpose="contact", granted=True, source="paper_form")
    assert Person.objects.get(pk=person.pk).may_contact is True
    consent_record(actor=admin_user, person=person, purpose="contact", granted=False, source="email", note="Asked")
    current = consent_current(person)
    assert current["contact"].granted is False and current["contact"].source == "email"
    assert current["public_quotes"] is None
    assert ConsentRecord.objects.filter(person=person).count() == 2
    assert Person.objects.get(pk=person.pk).may_contact is False


def test_withdrawing_everything_is_one_action_and_clears_demographics(person, admin_user):
    """One withdrawal covers every purpose; the demographics answers go."""
    consent_record(actor=admin_user, person=person, purpose="demographics", granted=True, source="online_form")
    person_demographics_record(person=person, actor=admin_user, consent=True, age_band="25_34")
    consent_withdraw_all(actor=admin_user, person=person, source="verbal")
    assert {purpose: record.granted for purpose, record in consent_current(person).items()} == {
        "contact": False,
        "demographics": False,
        "public_quotes": False,
    }
    assert not PersonDemographics.objects.filter(person=person).exists()


def test_the_person_page_shows_consent_and_its_history(client, person, staff_user, admin_user):
    consent_record(actor=admin_user, person=person, purpose="public_quotes", granted=True, source="paper_form")
    client.force_login(staff_user)
    page = client.get(reverse("stakeholders:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="consent-current"' in page and 'data-testid="consent-history"' in page
    assert "Photos and quotes on public pages" in page and "Paper form" in page
    assert "Withdraw all consent" in page  # staff created this person, so may edit them
    assert "Erase this person" not in page


def test_recording_consent_through_the_page(client, person, staff_user):
    client.force_login(staff_user)
    url = reverse("stakeholders:person_consent", args=[person.pk])
    response = client.post(url, {"purpose": "contact", "granted": "yes", "source": "phone"})
    assert response.status_code == 302
    assert consent_current(person)["contact"].recorded_by == staff_user
    response = client.post(url, {"withdraw_all": "on", "source": "email"})
    assert response.status_code == 302
    assert not any(record.granted for record in consent_current(person).values())
    assert client.post(url, {"purpose": "contact", "source": "phone"}).status_code == 422


def test_an_admin_erases_through_the_page(client, person, admin_user):
    """The page lists what goes; a post without reason is refused; with one, a certificate; again, already."""
    client.force_login(admin_user)
    url = reverse("stakeholders:person_erase", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Person record anonymized" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "Asked to be forgotten"})
    certificate = ErasureCertificate.objects.get(person_pk=person.pk)
    assert response.url == certificate.get_absolute_url()
    assert "Okafor" not in client.get(response.url).content.decode()
    again = client.post(url, {"reason": "Again"}, follow=True)
    assert "already been erased" in again.content.decode()
    assert ErasureCertificate.objects.count() == 1


@pytest.mark.parametrize("role", ["staff_user", "coordinator_user", "liaison_user"])
def test_only_admins_reach_the_erase_page(client, person, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("stakeholders:person_erase", args=[person.pk])).status_code == 403
    assert client.post(reverse("stakeholders:person_erase", args=[person.pk]), {"reason": "x"}).status_code == 403
    assert Person.objects.get(pk=person.pk).last_name == "Okafor"


def test_anonymous_users_are_sent_to_sign_in(client, person):
    response = client.get(reverse("stakeholders:person_erase", args=[person.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_a_paid_liaison_waits_for_a_second_admin_on_the_pages(client, admin_user, django_user_model):
    from tests.stakeholders.factories import UserFactory

    profile = LiaisonProfileFactory(person=PersonFactory(last_name="Okonkwo"))
    PaymentFactory(agreement=AgreementFactory(liaison=profile))
    client.force_login(admin_user)
    response = client.post(reverse("stakeholders:person_erase", args=[profile.person.pk]), {"reason": "Left"})
    assert response.url == reverse("stakeholders:erasure_request_list")
    request = ErasureRequest.objects.get()
    approve = reverse("stakeholders:erasure_request_approve", args=[request.pk])
    client.post(approve)
    assert not ErasureCertificate.objects.exists()  # the same admin cannot approve
    second = UserFactory(roles=["Admin"], is_staff=True)
    client.force_login(second)
    response = client.post(approve)
    certificate = ErasureCertificate.objects.get()
    assert response.url == certificate.get_absolute_url() and certificate.approved_by == second


def test_consent_changed_through_the_person_and_demographics_forms_joins_the_history(person, staff_user):
    """Ticking "may be contacted" on the person form, or keeping or clearing demographics on
    their form, adds to the consent history like the consent panel does (once per change)."""
    from stakeholders.services.people import person_update

    person_update(person=person, actor=staff_user, may_contact=True)
    person_update(person=person, actor=staff_user, may_contact=True, notes="no change of consent")
    person_demographics_record(person=person, actor=staff_user, consent=True, age_band="25_34")
    person_demographics_record(person=person, actor=staff_user, consent=True, age_band="35_44")
    person_demographics_record(person=person, actor=staff_user, consent=False)
    history = list(
        ConsentRecord.objects.filter(person=person).order_by("recorded_at", "pk").values_list("purpose", "granted")
    )
    assert history == [("contact", True), ("demographics", True), ("demographics", False)]
    assert all(record.recorded_by == staff_user for record in ConsentRecord.objects.filter(person=person))
