"""Erasing a person (issue 16): every table forgets them, totals stay, a certificate says what went."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse

from coalition.services import membership_add, stance_set
from engagements.models import Attendance, Engagement, InputItem
from engagements.services.followups import followup_create
from stakeholders.models import (
    ConsentRecord,
    ErasureCertificate,
    ErasureRequest,
    Person,
    SecurityEvent,
    StipendPayment,
)
from stakeholders.services.people import (
    affiliation_add,
    person_create,
    person_demographics_record,
    person_update,
)
from stakeholders.services.privacy import AlreadyErased, consent_record, erasure_preview, person_erase
from stakeholders.services.relationships import relationship_create
from tests.coalition.factories import CoalitionFactory
from tests.engagements.factories import EngagementFactory, InputItemFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory, UserFactory
from tests.stakeholders.stipend_factories import AgreementFactory, LiaisonProfileFactory, PaymentFactory

FIRST, LAST = "Zyxwvut", "Qopmarnel"
EMAIL, PHONE = "zyx.qop@erase.example", "555-0199-7788"
NEEDLES = (FIRST, LAST, EMAIL, PHONE)
TEXT_TYPES = ("text", "character varying", "json", "jsonb", "character")


def needles_found() -> dict[str, int]:
    """Every column of text or JSON in every table and view of the public schema that holds a needle."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attname
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
              AND format_type(a.atttypid, a.atttypmod) ~ '^(text|character varying|character|json|jsonb)'
            """
        )
        columns = cursor.fetchall()
        assert len(columns) > 100  # the scan really walks the whole schema
        found = {}
        for table, column in columns:
            for needle in NEEDLES:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                count = cursor.fetchone()[0]
                if count:
                    found[f"{table}.{column} ~ {needle}"] = count
    return found


@pytest.fixture
def erasable(db, client, staff_user, admin_user):
    """A person with data in every app: history, affiliations, a relationship, demographics,
    consent, attendance, a follow-up, a coalition stance and membership, a security-log entry."""
    person = person_create(
        actor=staff_user, first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE, notes=f"Met {FIRST} in May"
    )
    person_update(person=person, actor=staff_user, pronouns="they/them", preferred_name="Zyx")
    organization = OrganizationFactory(name="Eastside Tenants Union")
    affiliation_add(actor=staff_user, person=person, organization=organization, role_title="Organizer")
    relationship_create(person=person, other_person=PersonFactory(), actor=admin_user, notes="Neighbors")
    person_demographics_record(person=person, actor=admin_user, consent=True, age_band="25_34")
    consent_record(actor=admin_user, person=person, purpose="contact", granted=True, source="paper_form")
    engagement = EngagementFactory(title="Budget listening session", attendance_total=30)
    Attendance.objects.create(engagement=engagement, person=person)
    engagement.facilitator_people.add(person)
    item = InputItemFactory(engagement=engagement, text="More bus shelters on 5th Street")
    followup_create(
        actor=admin_user, subject=person, title=f"Call {FIRST} {LAST} about the budget", due_on=datetime.date.today()
    )
    coalition = CoalitionFactory()
    membership_add(coalition=coalition, person=person)
    stance_set(coalition=coalition, person=person, stance="ally", changed_by=admin_user, note="Keen")
    client.force_login(staff_user)
    assert client.get(reverse("stakeholders:person_detail", args=[person.pk])).status_code == 200
    client.logout()
    return {"person": person, "engagement": engagement, "item": item}


def test_an_erased_person_is_nowhere_in_the_database(erasable, admin_user):
    """After an erasure no table or column, history and event tables included, holds their name, email or phone."""
    # given
    person = erasable["person"]
    assert needles_found()  # the scan finds them before
    assert SecurityEvent.objects.filter(action="person_viewed", object_id=str(person.pk)).exists()
    # when
    certificate = person_erase(actor=admin_user, person_pk=person.pk, reason="Asked to be forgotten")
    # then
    assert needles_found() == {}
    assert certificate.what["attendances"] == 1
    assert certificate.what["affiliations"] == 1
    assert certificate.what["coalition_memberships"] == 1
    assert certificate.what["person_history"] >= 2
    assert not any(needle in str(certificate.what) + certificate.reason for needle in NEEDLES)


def test_totals_stay_when_attendance_becomes_anonymous(erasable, admin_user):
    """The engagement's total is unchanged; the named attendance goes; input items keep their text."""
    engagement, item = erasable["engagement"], erasable["item"]
    person_erase(actor=admin_user, person_pk=erasable["person"].pk, reason="Request by email")
    engagement.refresh_from_db()
    assert engagement.attendance_total == 30
    assert not Attendance.objects.filter(engagement=engagement).exists()
    assert not engagement.facilitator_people.exists()
    assert InputItem.objects.get(pk=item.pk).text == "More bus shelters on 5th Street"
    person = Person.objects.get(pk=erasable["person"].pk)
    assert (person.first_name, person.email, person.phone, person.notes) == ("Erased person", "", "", "")


def test_preview_counts_without_changing_anything(erasable):
    """The dry run says what would go, and everything is still there afterwards."""
    preview = erasure_preview(erasable["person"])
    assert preview["attendances"] == 1 and preview["ally_stances"] == 1 and preview["followups"] == 1
    assert Attendance.objects.filter(person=erasable["person"]).exists()
    assert needles_found()


def test_erasing_twice_or_a_missing_person_says_so(erasable, admin_user):
    """A second erasure finds the certificate; an unknown number finds no one. Neither changes anything."""
    pk = erasable["person"].pk
    certificate = person_erase(actor=admin_user, person_pk=pk, reason="First")
    with pytest.raises(AlreadyErased) as raised:
        person_erase(actor=admin_user, person_pk=pk, reason="Second")
    assert raised.value.certificate == certificate
    with pytest.raises(ValidationError, match="no such person"):
        person_erase(actor=admin_user, person_pk=pk + 10_000, reason="Nobody")
    assert ErasureCertificate.objects.count() == 1


def test_only_admins_erase_and_a_reason_is_needed(erasable, staff_user, coordinator_user, admin_user):
    """Staff and coordinators are refused; an empty reason is refused; nothing is half-done."""
    pk = erasable["person"].pk
    for user in (staff_user, coordinator_user):
        with pytest.raises(PermissionDenied):
            person_erase(actor=user, person_pk=pk, reason="No")
    with pytest.raises(ValidationError):
        person_erase(actor=admin_user, person_pk=pk, reason="  ")
    assert Person.objects.get(pk=pk).last_name == LAST
    assert not ErasureCertificate.objects.exists()


def test_a_failure_midway_leaves_everything_as_it_was(erasable, admin_user, monkeypatch):
    """If any app's part fails, no part of the erasure is kept."""
    from stakeholders import events

    def broken(**kwargs):
        raise RuntimeError("disk full")

    events.person_erasing.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            person_erase(actor=admin_user, person_pk=erasable["person"].pk, reason="Request")
    finally:
        events.person_erasing.disconnect(dispatch_uid="test.broken")
    assert Person.objects.get(pk=erasable["person"].pk).last_name == LAST
    assert Attendance.objects.filter(person=erasable["person"]).exists()
    assert not ErasureCertificate.objects.exists()


@pytest.fixture
def paid_liaison(db):
    person = PersonFactory(first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE)
    profile = LiaisonProfileFactory(person=person, communities_served=f"Friends of {FIRST} {LAST}")
    agreement = AgreementFactory(liaison=profile, notes=f"Signed by {FIRST} {LAST}")
    payment = PaymentFactory(agreement=agreement, notes=f"Paid {EMAIL}", paid_on=datetime.date(2026, 4, 2))
    return person, profile, payment


def test_a_paid_liaison_needs_a_second_admin(paid_liaison, admin_user):
    """The first admin's erasure waits for a second; the same admin cannot approve it; payments keep
    amount, date and payee reference, and nothing else about the person."""
    from stakeholders.services.privacy import erasure_request_approve

    person, profile, payment = paid_liaison
    amount, paid_on = payment.amount, payment.paid_on
    # when the first admin asks
    request = person_erase(actor=admin_user, person_pk=person.pk, reason="Left the program")
    # then it waits
    assert isinstance(request, ErasureRequest)
    assert Person.objects.get(pk=person.pk).last_name == LAST
    assert person_erase(actor=admin_user, person_pk=person.pk, reason="Again") == request  # one request
    with pytest.raises(ValidationError, match="second admin"):
        erasure_request_approve(actor=admin_user, request_pk=request.pk)
    # when a second admin approves
    second = UserFactory(roles=["Admin"])
    certificate = erasure_request_approve(actor=second, request_pk=request.pk)
    # then
    assert (certificate.erased_by, certificate.approved_by) == (admin_user, second)
    payment = StipendPayment.objects.get(pk=payment.pk)
    assert (payment.amount, payment.paid_on) == (amount, paid_on) and amount == Decimal("100.00")
    profile.refresh_from_db()
    assert profile.payee_reference.startswith("VND-") and profile.communities_served == ""
    assert needles_found() == {}
    with pytest.raises(AlreadyErased):
        erasure_request_approve(actor=second, request_pk=request.pk)


@pytest.mark.django_db(transaction=True)
def test_two_admins_erasing_at_once_make_one_certificate():
    """Two concurrent erasures serialize on the person's row: one erases, the other says already erased."""
    person = PersonFactory(first_name=FIRST, last_name=LAST, email=EMAIL)
    admins = [UserFactory(roles=["Admin"]), UserFactory(roles=["Admin"])]
    barrier = threading.Barrier(2)
    outcomes = []

    def erase(admin):
        try:
            barrier.wait()
            person_erase(actor=admin, person_pk=person.pk, reason="Request")
            outcomes.append("erased")
        except AlreadyErased:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=erase, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already", "erased"]
    assert ErasureCertificate.objects.filter(person_pk=person.pk).count() == 1


def test_consent_rows_go_with_the_person(erasable, admin_user):
    person_erase(actor=admin_user, person_pk=erasable["person"].pk, reason="Request")
    assert not ConsentRecord.objects.filter(person=erasable["person"]).exists()
    assert Engagement.objects.get(pk=erasable["engagement"].pk).title == "Budget listening session"
