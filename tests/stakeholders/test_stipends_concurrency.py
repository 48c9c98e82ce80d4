"""Two approvals at once, each on its own PostgreSQL connection."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from stakeholders.models import StipendPayment
from stakeholders.services import stipends as services
from tests.stakeholders.stipend_factories import AgreementFactory, FundingSourceFactory, UserFactory


def _approve_together(pairs):
    """Run ``stipend_payment_approve`` for each (approver, payment) in its own thread,
    released at the same moment; return what each call ended with."""
    barrier = threading.Barrier(len(pairs))
    outcomes = [None] * len(pairs)

    def approve(index, approver, payment):
        try:
            barrier.wait(timeout=10)
            services.stipend_payment_approve(actor=approver, payment=payment)
            outcomes[index] = "approved"
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(index, approver, payment))
        for index, (approver, payment) in enumerate(pairs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture(autouse=True)
def _slow_totals(monkeypatch):
    """Hold each approval for a moment after it reads the committed totals, so that
    without row locks both approvals would read the same totals before either saves."""
    read_totals = services._committed_total

    def slow(**filters):
        total = read_totals(**filters)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(services, "_committed_total", slow)


def _submitted(agreement, creator, quantity):
    payment = services.stipend_payment_create(
        actor=creator,
        agreement=agreement,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        quantity=quantity,
    )
    return services.stipend_payment_submit(actor=creator, payment=payment)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_cannot_both_exceed_the_cap():
    """Two payments that fit the cap alone but not together, approved at the same
    moment by two admins: exactly one is approved, the other fails on the cap."""
    assert connection.vendor == "postgresql"
    creator = UserFactory(roles=["Admin"])
    first_approver = UserFactory(roles=["Admin"])
    second_approver = UserFactory(roles=["Admin"])
    agreement = AgreementFactory(created_by=creator, rate=Decimal("50"), cap=Decimal("500"))
    one = _submitted(agreement, creator, Decimal("6"))  # 300.00
    two = _submitted(agreement, creator, Decimal("6"))  # 300.00 → 600.00 together

    outcomes = _approve_together([(first_approver, one), (second_approver, two)])

    assert sorted(outcome == "approved" for outcome in outcomes) == [False, True]
    error = next(outcome for outcome in outcomes if outcome != "approved")
    assert "over its cap" in str(error)
    statuses = sorted(StipendPayment.objects.filter(agreement=agreement).values_list("status", flat=True))
    assert statuses == ["approved", "submitted"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_cannot_both_overdraw_the_budget():
    """Two agreements on one funding source: concurrent approvals that together exceed
    the budget (but neither cap) leave exactly one approved."""
    creator = UserFactory(roles=["Admin"])
    approvers = [UserFactory(roles=["Admin"]), UserFactory(roles=["Admin"])]
    source = FundingSourceFactory(budget=Decimal("500"))
    payments = [
        _submitted(AgreementFactory(created_by=creator, funding_source=source), creator, Decimal("6")) for _ in range(2)
    ]

    outcomes = _approve_together(list(zip(approvers, payments, strict=True)))

    assert sorted(outcome == "approved" for outcome in outcomes) == [False, True]
    assert "below zero" in str(next(outcome for outcome in outcomes if outcome != "approved"))
