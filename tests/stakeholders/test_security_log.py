"""The security log records sensitive actions, holds no secrets, and cannot be edited."""

import datetime

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction
from django.urls import reverse

from stakeholders.models import SecurityEvent
from stakeholders.security_log import Action, security_event_record
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_success_and_failure_are_logged_without_the_password(client):
    """A failed and a successful sign-in each leave a row with username and address, never the password."""
    user = UserFactory()
    client.post(reverse("login"), {"username": user.username, "password": "wrong-secret-guess"})
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    failed = SecurityEvent.objects.get(action=Action.LOGIN_FAILED)
    succeeded = SecurityEvent.objects.get(action=Action.LOGIN_SUCCEEDED)
    assert failed.actor_username == user.username and failed.actor is None
    assert succeeded.actor == user
    assert succeeded.ip_address == "127.0.0.1"
    dumped = str(list(SecurityEvent.objects.values()))
    assert "wrong-secret-guess" not in dumped and PASSWORD not in dumped


def test_lockout_is_logged(client, settings):
    """Reaching the failure limit logs a lockout."""
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert SecurityEvent.objects.filter(action=Action.LOCKED_OUT, actor_username=user.username).exists()


def test_permission_denial_is_logged(client, staff_user):
    """A 403 records who was refused which page."""
    client.force_login(staff_user)
    assert client.get(reverse("stakeholders:user_list")).status_code == 403
    event = SecurityEvent.objects.get(action=Action.PERMISSION_DENIED)
    assert event.actor == staff_user
    assert event.path == reverse("stakeholders:user_list")


def test_deactivation_is_logged_with_the_admin(client, admin_user):
    """Deactivating a user records which admin did it, to which account."""
    target = UserFactory(roles=["Staff"])
    client.force_login(admin_user)
    client.post(
        reverse("stakeholders:user_edit", args=[target.pk]),
        {"first_name": "T", "last_name": "U", "email": target.email, "roles": ["Staff"]},
    )
    event = SecurityEvent.objects.get(action=Action.USER_DEACTIVATED)
    assert event.actor == admin_user
    assert (event.object_type, event.object_id) == ("stakeholders.user", str(target.pk))


def test_secret_detail_keys_are_dropped(admin_user):
    """Even if a caller passes one, a payee reference or password never reaches the log."""
    event = security_event_record(
        action=Action.STIPEND_CREATED, actor=admin_user, detail={"payee_reference": "X1", "amount": "10.00"}
    )
    assert event.detail == {"amount": "10.00"}


def test_the_log_cannot_be_updated_or_deleted(admin_user):
    """The database refuses UPDATE and DELETE on the log."""
    event = security_event_record(action=Action.EXPORTED, actor=admin_user)
    for attempt in (
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(actor_username="someone-else"),
        lambda: SecurityEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises((IntegrityError, InternalError, ProgrammingError)), transaction.atomic():
            attempt()
    event.refresh_from_db()
    assert event.actor_username == admin_user.username


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_read_the_log(client, role):
    """Only admins open the security log."""
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("stakeholders:security_log")).status_code == 403


@pytest.mark.parametrize("rows", [1, 50])
def test_admin_reads_the_log_with_fixed_queries(client, admin_user, rows, django_assert_max_num_queries):
    """The log page costs the same queries for 1 or 50 events, and filters by action."""
    for _ in range(rows):
        security_event_record(action=Action.EXPORTED, actor=admin_user)
    client.force_login(admin_user)
    client.get(reverse("stakeholders:security_log"))  # the first request after signing in may save the session
    with django_assert_max_num_queries(5):  # 4, and the admin's authenticator app (django-otp checks it)
        response = client.get(reverse("stakeholders:security_log"), {"action": "exported"})
    assert response.status_code == 200
    assert response.content.decode().count("Exported data") >= rows


def test_a_non_admin_viewing_a_person_is_logged_an_admin_is_not(client, staff_user, admin_user):
    """Staff opening a resident's record leaves a row; an admin's own views do not."""
    from tests.stakeholders.factories import PersonFactory

    person = PersonFactory()
    client.force_login(staff_user)
    assert client.get(reverse("stakeholders:person_detail", args=[person.pk])).status_code == 200
    event = SecurityEvent.objects.get(action=Action.PERSON_VIEWED)
    assert (event.actor, event.object_id, event.ip_address) == (staff_user, str(person.pk), "127.0.0.1")
    client.force_login(admin_user)
    client.get(reverse("stakeholders:person_detail", args=[person.pk]))
    assert SecurityEvent.objects.filter(action=Action.PERSON_VIEWED).count() == 1


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("stakeholders:person_export", {"q": "ana"}),
        ("stakeholders:organization_export", {}),
        ("stakeholders:election_csv", {}),
        ("engagements:list", {"format": "csv"}),
    ],
)
def test_every_csv_export_is_logged(client, admin_user, url_name, query):
    """Each export download writes who exported what, with the filters used."""
    client.force_login(admin_user)
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    event = SecurityEvent.objects.get(action=Action.EXPORTED)
    assert event.actor == admin_user and event.detail["export"]


def test_stipend_create_approve_and_pay_are_logged_with_amounts_not_payee(client, admin_user):
    """Creating, approving and paying a stipend payment each write a row; no payee reference is kept."""
    import datetime
    from decimal import Decimal

    from stakeholders.services import stipends as stipend_services
    from tests.stakeholders.stipend_factories import AgreementFactory

    admin2 = UserFactory(roles=["Admin"], is_staff=True)
    agreement = AgreementFactory(created_by=admin_user, cap=Decimal("800"))
    payment = stipend_services.stipend_payment_create(
        actor=admin_user,
        agreement=agreement,
        period_start=agreement.start_date,
        period_end=agreement.start_date,
        quantity=Decimal("1"),
    )
    stipend_services.stipend_payment_submit(actor=admin_user, payment=payment)
    stipend_services.stipend_payment_approve(actor=admin2, payment=payment)
    stipend_services.stipend_payment_mark_paid(
        actor=admin_user, payment=payment, paid_on=datetime.date.today(), finance_reference="V-9"
    )
    actions = list(
        SecurityEvent.objects.filter(object_type="stakeholders.stipendpayment")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        (Action.STIPEND_CREATED, admin_user.pk),
        (Action.STIPEND_APPROVED, admin2.pk),
        (Action.STIPEND_PAID, admin_user.pk),
    ]
    payee = agreement.liaison.payee_reference
    assert payee not in str(list(SecurityEvent.objects.values()))


def test_the_log_shows_times_in_utc(client, admin_user, settings):
    """The log says its times are in UTC, and shows them so whatever the site's time zone."""
    settings.TIME_ZONE = "America/Chicago"
    when = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    SecurityEvent.objects.create(occurred_at=when, action=Action.EXPORTED, actor_username=admin_user.username)
    client.force_login(admin_user)
    content = client.get(reverse("stakeholders:security_log"), {"action": "exported"}).content.decode()
    assert "2026-03-04 05:06:07" in content
