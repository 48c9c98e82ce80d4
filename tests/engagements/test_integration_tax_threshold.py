"""Crossing the year-to-date tax-reporting threshold gives admins one follow-up per liaison and year."""

import datetime
from decimal import Decimal

import pytest

from engagements.models import FollowUp
from stakeholders.services import stipends as services
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.stipend_factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))


@pytest.fixture
def admins(db):
    return UserFactory(roles=["Admin"]), UserFactory(roles=["Admin"])


def pay(agreement, quantity: str, admins, capture, *, paid_on=datetime.date(2026, 5, 30)):
    """Create, submit, approve (by the other admin) and mark paid, running the on-commit callbacks."""
    creator, approver = admins
    with capture(execute=True):
        payment = services.stipend_payment_create(
            actor=creator,
            agreement=agreement,
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 3, 31),
            quantity=Decimal(quantity),
        )
        services.stipend_payment_submit(actor=creator, payment=payment)
        services.stipend_payment_approve(actor=approver, payment=payment)
        services.stipend_payment_mark_paid(actor=creator, payment=payment, paid_on=paid_on, finance_reference="V-1")
    return payment


def test_admins_get_one_follow_up_when_the_year_to_date_total_reaches_the_threshold(
    admins, django_capture_on_commit_callbacks
):
    """550.00 paid: nothing. 600.00: every active admin gets one follow-up about the liaison for 2026.
    A further payment that year adds nothing."""
    agreement = AgreementFactory(created_by=admins[0], cap=Decimal("5000.00"))
    departed_admin = UserFactory(roles=["Admin"], is_active=False)

    pay(agreement, "11", admins, django_capture_on_commit_callbacks)  # 11 × 50.00 = 550.00
    assert not FollowUp.objects.filter(reason=FollowUp.Reason.TAX_THRESHOLD).exists()

    pay(agreement, "1", admins, django_capture_on_commit_callbacks)  # 600.00 in total
    rows = FollowUp.objects.filter(reason=FollowUp.Reason.TAX_THRESHOLD)
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(admin.pk for admin in admins)
    assert {(f.subject, f.cycle) for f in rows} == {(agreement.liaison, "tax:2026")}
    assert "600.00" in rows.first().title
    assert not rows.filter(user=departed_admin).exists()

    pay(agreement, "2", admins, django_capture_on_commit_callbacks)
    assert rows.count() == 2


def test_the_threshold_follows_the_setting_and_each_year_counts_apart(
    admins, settings, time_machine, django_capture_on_commit_callbacks
):
    """With the threshold at 100.00, 100.00 paid in 2026 and again in 2027 gives one follow-up per year."""
    settings.STIPEND_TAX_THRESHOLD = Decimal("100.00")
    agreement = AgreementFactory(created_by=admins[0], cap=Decimal("5000.00"), end_date=datetime.date(2027, 12, 31))
    pay(agreement, "2", admins, django_capture_on_commit_callbacks)
    time_machine.move_to(datetime.datetime(2027, 2, 1, 15, 0, tzinfo=datetime.UTC))
    pay(agreement, "2", admins, django_capture_on_commit_callbacks, paid_on=datetime.date(2027, 1, 15))

    cycles = FollowUp.objects.filter(user=admins[0], reason=FollowUp.Reason.TAX_THRESHOLD).values_list(
        "cycle", flat=True
    )
    assert sorted(cycles) == ["tax:2026", "tax:2027"]


def test_no_follow_up_while_the_payment_is_not_committed(admins, django_capture_on_commit_callbacks):
    """The event is sent on commit: a payment marked paid in a transaction that rolls back tells nobody."""
    agreement = AgreementFactory(created_by=admins[0], cap=Decimal("5000.00"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pay_without_commit = services.stipend_payment_create(
            actor=admins[0],
            agreement=agreement,
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 3, 31),
            quantity=Decimal("20"),
        )
        services.stipend_payment_submit(actor=admins[0], payment=pay_without_commit)
        services.stipend_payment_approve(actor=admins[1], payment=pay_without_commit)
        services.stipend_payment_mark_paid(
            actor=admins[0], payment=pay_without_commit, paid_on=datetime.date(2026, 5, 30), finance_reference="V-2"
        )
    assert len(callbacks) >= 1
    assert not FollowUp.objects.filter(reason=FollowUp.Reason.TAX_THRESHOLD).exists()
    for callback in callbacks:
        callback()
    assert FollowUp.objects.filter(reason=FollowUp.Reason.TAX_THRESHOLD).count() == 2
