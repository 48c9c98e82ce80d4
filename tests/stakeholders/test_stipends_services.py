"""Stipend rules, through the services and, where the database can, its constraints."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from stakeholders.models import StipendAgreement, StipendPayment
from stakeholders.selectors import stipends as selectors
from stakeholders.services import stipends as services
from tests.stakeholders.stipend_factories import (
    AgreementFactory,
    DepartmentFactory,
    FundingSourceFactory,
    LiaisonProfileFactory,
    PaymentFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin2(db):
    return UserFactory(roles=["Admin"])


def submitted_payment(agreement, creator, **kwargs):
    payment = services.stipend_payment_create(
        actor=creator,
        agreement=agreement,
        period_start=kwargs.pop("period_start", datetime.date(2026, 3, 1)),
        period_end=kwargs.pop("period_end", datetime.date(2026, 3, 31)),
        **kwargs,
    )
    return services.stipend_payment_submit(actor=creator, payment=payment)


# --- Liaison profiles ------------------------------------------------------------


def test_payee_reference_must_be_a_finance_id(admin_user):
    """A payee reference that looks like a bank account or a tax ID is refused."""
    for bad in ["123-45-6789", "021000021", "12-3456789", "GB29NWBK60161331926819"]:
        with pytest.raises(ValidationError) as error:
            services.liaison_profile_create(
                actor=admin_user, person=PersonFactory(), payee_reference=bad, active_from=datetime.date(2026, 1, 1)
            )
        assert "payee_reference" in error.value.message_dict


def test_payee_reference_format_is_a_database_constraint():
    """The database itself refuses a payee reference in the wrong format."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonProfileFactory(payee_reference="123456789")


def test_liaison_profile_create_and_update(admin_user):
    """An admin creates a profile (reference normalised to capitals) and changes it."""
    profile = services.liaison_profile_create(
        actor=admin_user, person=PersonFactory(), payee_reference=" vnd-0042 ", active_from=datetime.date(2026, 1, 1)
    )
    assert profile.payee_reference == "VND-0042"
    department = DepartmentFactory()
    services.liaison_profile_update(
        actor=admin_user,
        profile=profile,
        payee_reference="VND-0043",
        active_from=datetime.date(2026, 1, 1),
        active_to=datetime.date(2026, 12, 31),
        communities_served="Somali elders",
        partner_department=department,
        neighborhoods=[],
        languages=[],
    )
    profile.refresh_from_db()
    assert (profile.payee_reference, profile.partner_department) == ("VND-0043", department)


def test_staff_cannot_write_stipends(staff_user):
    """Only stipend managers may create profiles."""
    with pytest.raises(PermissionDenied):
        services.liaison_profile_create(
            actor=staff_user, person=PersonFactory(), payee_reference="VND-0001", active_from=datetime.date(2026, 1, 1)
        )


# --- Funding sources -----------------------------------------------------------------


def test_funding_source_budget_cannot_drop_below_spent(admin_user, admin2):
    """A budget may not be cut below what is already approved or paid from it."""
    agreement = AgreementFactory(created_by=admin_user)
    payment = submitted_payment(agreement, admin_user, quantity=Decimal("10"))
    services.stipend_payment_approve(actor=admin2, payment=payment)
    source = agreement.funding_source
    with pytest.raises(ValidationError) as error:
        services.funding_source_update(
            actor=admin_user,
            source=source,
            name=source.name,
            fiscal_year=2026,
            department=source.department,
            budget=Decimal("499.99"),
        )
    assert "budget" in error.value.message_dict
    services.funding_source_update(
        actor=admin_user,
        source=source,
        name=source.name,
        fiscal_year=2026,
        department=source.department,
        budget=Decimal("500"),
    )
    source.refresh_from_db()
    assert source.budget == Decimal("500.00")


def test_funding_source_totals_are_computed(admin_user, admin2):
    """Committed (active caps), approved, paid and remaining come from agreements and payments."""
    agreement = AgreementFactory(created_by=admin_user, cap=Decimal("800"))
    first = submitted_payment(agreement, admin_user, quantity=Decimal("2"))
    second = submitted_payment(agreement, admin_user, quantity=Decimal("3"))
    submitted_payment(agreement, admin_user, quantity=Decimal("1"))
    services.stipend_payment_approve(actor=admin2, payment=first)
    services.stipend_payment_approve(actor=admin2, payment=second)
    services.stipend_payment_mark_paid(
        actor=admin_user, payment=first, paid_on=datetime.date(2026, 4, 2), finance_reference="V-1"
    )
    source = selectors.funding_source_for_user(admin_user, agreement.funding_source_id)
    assert (source.committed, source.approved, source.paid, source.remaining) == (
        Decimal("800.00"),
        Decimal("150.00"),
        Decimal("100.00"),
        Decimal("9750.00"),
    )
    assert selectors.budget_bar(source) == selectors.BudgetBar(paid=1, approved=1, remaining=98)


# --- Agreements -------------------------------------------------------------------


def draft_agreement(actor, **kwargs):
    values = {
        "liaison": kwargs.pop("liaison", None) or LiaisonProfileFactory(),
        "funding_source": kwargs.pop("funding_source", None) or FundingSourceFactory(),
        "rate": Decimal("40"),
        "unit": StipendAgreement.Unit.HOUR,
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 6, 30),
        "cap": Decimal("2000"),
    }
    values.update(kwargs)
    return services.stipend_agreement_create(actor=actor, **values)


def test_agreement_cannot_start_before_sign_off(admin_user):
    """Activating an agreement nobody signed off fails; after sign-off it works."""
    agreement = draft_agreement(admin_user)
    with pytest.raises(ValidationError, match="signs it off"):
        services.stipend_agreement_activate(actor=admin_user, agreement=agreement)
    services.stipend_agreement_sign_off(actor=admin_user, agreement=agreement)
    agreement = services.stipend_agreement_activate(actor=admin_user, agreement=agreement)
    assert agreement.status == StipendAgreement.Status.ACTIVE
    assert agreement.signed_off_by == admin_user


def test_active_agreement_without_sign_off_is_refused_by_database(admin_user):
    """The database refuses an active agreement with no sign-off."""
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(created_by=admin_user, signed_off_by=None, signed_off_at=None)


def test_agreements_may_not_overlap_on_same_source(admin_user):
    """Two active agreements of one liaison on one funding source may not overlap in time."""
    existing = AgreementFactory(created_by=admin_user)
    overlapping = draft_agreement(
        admin_user,
        liaison=existing.liaison,
        funding_source=existing.funding_source,
        start_date=datetime.date(2026, 12, 31),
        end_date=datetime.date(2027, 3, 31),
    )
    services.stipend_agreement_sign_off(actor=admin_user, agreement=overlapping)
    with pytest.raises(ValidationError, match="already has an active agreement"):
        services.stipend_agreement_activate(actor=admin_user, agreement=overlapping)
    # another funding source is fine
    elsewhere = draft_agreement(admin_user, liaison=existing.liaison)
    services.stipend_agreement_sign_off(actor=admin_user, agreement=elsewhere)
    services.stipend_agreement_activate(actor=admin_user, agreement=elsewhere)
    # and so is the same source once the first has ended
    services.stipend_agreement_end(actor=admin_user, agreement=existing)
    services.stipend_agreement_activate(actor=admin_user, agreement=overlapping)


def test_overlap_is_an_exclusion_constraint(admin_user):
    """Even bypassing the services, PostgreSQL refuses overlapping active agreements."""
    existing = AgreementFactory(created_by=admin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendAgreement.objects.bulk_create(
            [
                StipendAgreement(
                    liaison=existing.liaison,
                    funding_source=existing.funding_source,
                    rate=Decimal("1"),
                    start_date=datetime.date(2026, 6, 1),
                    end_date=datetime.date(2026, 6, 2),
                    cap=Decimal("1"),
                    status="active",
                    signed_off_by=admin_user,
                    signed_off_at=existing.signed_off_at,
                    created_by=admin_user,
                )
            ]
        )


def test_changing_draft_terms_withdraws_sign_off(admin_user):
    """A sign-off covers the terms it saw: changing the rate of a draft clears it."""
    agreement = draft_agreement(admin_user)
    services.stipend_agreement_sign_off(actor=admin_user, agreement=agreement)
    values = {name: getattr(agreement, name) for name in services.AGREEMENT_TERMS}
    values["rate"] = Decimal("45")
    agreement = services.stipend_agreement_update(actor=admin_user, agreement=agreement, notes="", **values)
    assert not agreement.is_signed_off


def test_active_agreement_keeps_terms_and_cap_above_spent(admin_user, admin2):
    """An active agreement cannot change its rate, nor lower its cap below what is approved."""
    agreement = AgreementFactory(created_by=admin_user)
    services.stipend_payment_approve(
        actor=admin2, payment=submitted_payment(agreement, admin_user, quantity=Decimal("4"))
    )
    values = {name: getattr(agreement, name) for name in services.AGREEMENT_TERMS}
    with pytest.raises(ValidationError) as error:
        services.stipend_agreement_update(
            actor=admin_user, agreement=agreement, notes="", **{**values, "rate": Decimal("60")}
        )
    assert "rate" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.stipend_agreement_update(
            actor=admin_user, agreement=agreement, notes="", **{**values, "cap": Decimal("199.99")}
        )
    assert "cap" in error.value.message_dict
    services.stipend_agreement_update(actor=admin_user, agreement=agreement, notes="ok", **{**values, "cap": 200})


def test_ended_agreement_cannot_take_new_payments_after_end(admin_user):
    """Ending on an earlier date shortens the agreement; payments after it are refused."""
    agreement = AgreementFactory(created_by=admin_user)
    services.stipend_agreement_end(actor=admin_user, agreement=agreement, end_date=datetime.date(2026, 2, 28))
    with pytest.raises(ValidationError) as error:
        submitted_payment(agreement, admin_user, quantity=Decimal("1"))
    assert "period_start" in error.value.message_dict


# --- Payments: amounts -------------------------------------------------------------


def test_amount_is_rate_times_quantity_rounded_half_up(admin_user):
    """The amount is rate × quantity as a Decimal, rounded half up to the cent."""
    agreement = AgreementFactory(created_by=admin_user, rate=Decimal("33.33"))
    payment = services.stipend_payment_create(
        actor=admin_user,
        agreement=agreement,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 1),
        quantity=Decimal("1.5"),
    )
    # 33.33 × 1.5 = 49.995 → 50.00
    assert payment.amount == Decimal("50.00")
    assert isinstance(payment.amount, Decimal)
    payment.refresh_from_db()
    assert str(payment.amount) == "50.00"


def test_amount_override_needs_a_reason(admin_user):
    """An amount other than rate × quantity needs a reason; with one it is kept."""
    agreement = AgreementFactory(created_by=admin_user)
    kwargs = {
        "actor": admin_user,
        "agreement": agreement,
        "period_start": datetime.date(2026, 3, 1),
        "period_end": datetime.date(2026, 3, 31),
        "quantity": Decimal("2"),
        "amount": Decimal("120"),
    }
    with pytest.raises(ValidationError) as error:
        services.stipend_payment_create(**kwargs)
    assert "amount_override_reason" in error.value.message_dict
    payment = services.stipend_payment_create(**kwargs, amount_override_reason="Travel to two sites")
    assert payment.amount == Decimal("120.00")
    assert payment.amount_overridden


def test_amount_mismatch_without_reason_is_refused_by_database(admin_user):
    """The database checks amount = round(rate × quantity, 2) unless a reason is stored."""
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(agreement=AgreementFactory(created_by=admin_user), amount=Decimal("99.00"))


@pytest.mark.parametrize("quantity", [Decimal("0"), Decimal("-1")])
def test_amount_must_be_positive(admin_user, quantity):
    """A payment of zero or less is refused."""
    with pytest.raises(ValidationError):
        services.stipend_payment_create(
            actor=admin_user,
            agreement=AgreementFactory(created_by=admin_user),
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 3, 31),
            quantity=quantity,
        )


def test_payment_needs_active_agreement(admin_user):
    """No payment can be recorded under a draft agreement."""
    agreement = draft_agreement(admin_user)
    with pytest.raises(ValidationError) as error:
        submitted_payment(agreement, admin_user, quantity=Decimal("1"))
    assert "agreement" in error.value.message_dict


# --- Payments: approval --------------------------------------------------------------


def test_approver_is_never_the_creator(admin_user):
    """The creator of a payment cannot approve it."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    with pytest.raises(ValidationError, match="someone else"):
        services.stipend_payment_approve(actor=admin_user, payment=payment)
    payment.refresh_from_db()
    assert payment.status == StipendPayment.Status.SUBMITTED


def test_approver_is_never_the_creator_in_database(admin_user):
    """The database refuses a row whose approver is its creator."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.filter(pk=payment.pk).update(
            status="approved", approved_by=admin_user, approved_at=payment.submitted_at
        )


def test_only_approvers_may_approve(admin_user, liaison_user):
    """A user without the approve permission cannot approve."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.stipend_payment_approve(actor=liaison_user, payment=payment)


def test_only_submitted_payments_are_approved(admin_user, admin2):
    """A draft must be submitted before it can be approved."""
    payment = services.stipend_payment_create(
        actor=admin_user,
        agreement=AgreementFactory(created_by=admin_user),
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        quantity=Decimal("1"),
    )
    with pytest.raises(ValidationError, match="submitted"):
        services.stipend_payment_approve(actor=admin2, payment=payment)


def test_approval_never_exceeds_the_cap(admin_user, admin2):
    """Approving a payment that would take the agreement over its cap fails; up to the cap works."""
    agreement = AgreementFactory(created_by=admin_user, cap=Decimal("150"))
    first = submitted_payment(agreement, admin_user, quantity=Decimal("2"))
    second = submitted_payment(agreement, admin_user, quantity=Decimal("2"))
    services.stipend_payment_approve(actor=admin2, payment=first)
    with pytest.raises(ValidationError, match="over its cap"):
        services.stipend_payment_approve(actor=admin2, payment=second)
    third = submitted_payment(agreement, admin_user, quantity=Decimal("1"))
    services.stipend_payment_approve(actor=admin2, payment=third)
    assert selectors.stipend_agreement_for_user(admin_user, agreement.pk).spent == Decimal("150.00")


def test_approval_never_takes_the_budget_below_zero(admin_user, admin2):
    """Across agreements, approvals stop at the funding source's budget."""
    source = FundingSourceFactory(budget=Decimal("120"))
    one = AgreementFactory(created_by=admin_user, funding_source=source)
    two = AgreementFactory(created_by=admin_user, funding_source=source)
    services.stipend_payment_approve(actor=admin2, payment=submitted_payment(one, admin_user, quantity=Decimal("2")))
    payment = submitted_payment(two, admin_user, quantity=Decimal("1"))
    with pytest.raises(ValidationError, match="below zero"):
        services.stipend_payment_approve(actor=admin2, payment=payment)


def test_voided_payments_free_the_cap(admin_user, admin2):
    """Voiding an approved payment releases its amount for others."""
    agreement = AgreementFactory(created_by=admin_user, cap=Decimal("100"))
    first = submitted_payment(agreement, admin_user, quantity=Decimal("2"))
    services.stipend_payment_approve(actor=admin2, payment=first)
    services.stipend_payment_void(actor=admin_user, payment=first, reason="Entered twice")
    second = submitted_payment(agreement, admin_user, quantity=Decimal("2"))
    assert services.stipend_payment_approve(actor=admin2, payment=second).status == "approved"


def test_reject_returns_a_payment_to_draft(admin_user, admin2):
    """Sending a payment back makes it a draft again, ready to correct and resubmit."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    payment = services.stipend_payment_reject(actor=admin2, payment=payment)
    assert (payment.status, payment.submitted_by) == ("draft", None)


# --- Payments: paid and void -----------------------------------------------------------


def test_mark_paid_needs_approval_date_and_reference(admin_user, admin2):
    """Only an approved payment is marked paid, with a date and a finance reference."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    with pytest.raises(ValidationError, match="approved"):
        services.stipend_payment_mark_paid(
            actor=admin_user, payment=payment, paid_on=datetime.date(2026, 4, 1), finance_reference="V-1"
        )
    services.stipend_payment_approve(actor=admin2, payment=payment)
    with pytest.raises(ValidationError) as error:
        services.stipend_payment_mark_paid(
            actor=admin_user, payment=payment, paid_on=datetime.date(2026, 4, 1), finance_reference="  "
        )
    assert "finance_reference" in error.value.message_dict
    payment = services.stipend_payment_mark_paid(
        actor=admin_user, payment=payment, paid_on=datetime.date(2026, 4, 1), finance_reference="V-1"
    )
    assert (payment.status, payment.paid_on, payment.finance_reference) == ("paid", datetime.date(2026, 4, 1), "V-1")


def test_void_needs_a_reason(admin_user):
    """Voiding without a reason fails; the database also refuses a void row without one."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    with pytest.raises(ValidationError) as error:
        services.stipend_payment_void(actor=admin_user, payment=payment, reason=" ")
    assert "void_reason" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.filter(pk=payment.pk).update(status="void")


def test_paid_payment_cannot_be_voided(admin_user, admin2):
    """Money that left cannot be voided away."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    services.stipend_payment_approve(actor=admin2, payment=payment)
    services.stipend_payment_mark_paid(
        actor=admin_user, payment=payment, paid_on=datetime.date(2026, 4, 1), finance_reference="V-1"
    )
    with pytest.raises(ValidationError):
        services.stipend_payment_void(actor=admin_user, payment=payment, reason="oops")


def test_paid_needs_approver_in_database(admin_user):
    """The database refuses a paid row without an approver."""
    payment = PaymentFactory(agreement=AgreementFactory(created_by=admin_user))
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.filter(pk=payment.pk).update(
            status="paid", submitted_by=admin_user, paid_on=datetime.date(2026, 4, 1), finance_reference="V"
        )


# --- Year to date -------------------------------------------------------------------


def test_year_to_date_flags_the_tax_threshold(admin_user, admin2, settings):
    """Paid totals per liaison and calendar year are flagged once they reach the threshold."""
    settings.STIPEND_TAX_THRESHOLD = Decimal("100.00")
    agreement = AgreementFactory(created_by=admin_user)
    for paid_on in (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)):
        payment = submitted_payment(agreement, admin_user, quantity=Decimal("1"))
        services.stipend_payment_approve(actor=admin2, payment=payment)
        services.stipend_payment_mark_paid(actor=admin_user, payment=payment, paid_on=paid_on, finance_reference="V")
        statement = selectors.statement_for_user(admin_user, agreement.liaison_id, 2026)
    assert statement.paid_total == Decimal("100.00")
    assert statement.over_threshold
    assert selectors.year_to_date_paid(agreement.liaison, 2025) == Decimal("0.00")
    profile = selectors.liaison_profiles_with_year_to_date(admin_user, 2026).get(pk=agreement.liaison_id)
    assert profile.ytd_paid == Decimal("100.00")


def test_under_threshold_is_not_flagged(admin_user, admin2):
    """Below the default 600.00 threshold there is no flag."""
    agreement = AgreementFactory(created_by=admin_user)
    payment = submitted_payment(agreement, admin_user, quantity=Decimal("11.98"))
    services.stipend_payment_approve(actor=admin2, payment=payment)
    services.stipend_payment_mark_paid(
        actor=admin_user, payment=payment, paid_on=datetime.date(2026, 5, 1), finance_reference="V"
    )
    statement = selectors.statement_for_user(admin_user, agreement.liaison_id, 2026)
    assert statement.paid_total == Decimal("599.00")
    assert not statement.over_threshold


# --- History ------------------------------------------------------------------------


def test_history_records_who_did_what(admin_user, admin2):
    """Every change to a payment is kept with the acting user and the action."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("1"))
    services.stipend_payment_approve(actor=admin2, payment=payment)
    entries = selectors.history_for(admin_user, payment)
    assert [(entry.who, entry.action) for entry in entries] == [
        (admin_user.username, "stipend_payment_create"),
        (admin_user.username, "stipend_payment_submit"),
        (admin2.username, "stipend_payment_approve"),
    ]
    assert entries[-1].changes["status"] == "approved"
    assert selectors.history_for(UserFactory(roles=["Staff"]), payment) == []


# --- Demo data ----------------------------------------------------------------------


def test_demo_seed_is_idempotent_and_covers_every_status():
    """The demo seed links the demo liaison user, uses every status, and a second run adds nothing."""
    from stakeholders import demo, demo_stipends
    from stakeholders.models import LiaisonProfile, User

    demo.seed_users()
    assert demo_stipends.seed() == 8
    counts = (LiaisonProfile.objects.count(), StipendAgreement.objects.count(), StipendPayment.objects.count())
    assert demo_stipends.seed() == 0
    assert counts == (
        LiaisonProfile.objects.count(),
        StipendAgreement.objects.count(),
        StipendPayment.objects.count(),
    )
    assert set(StipendPayment.objects.values_list("status", flat=True)) == set(StipendPayment.Status.values)
    assert set(StipendAgreement.objects.values_list("status", flat=True)) == set(StipendAgreement.Status.values)
    assert User.objects.get(username="liaison").person.liaison_profile.payee_reference == "VND-100001"
    assert not StipendPayment.objects.filter(approved_by__username="admin").exists()


def test_draft_payment_can_be_corrected_and_recomputed(admin_user, admin2):
    """A payment sent back to draft is corrected: the amount is computed again, a changed
    amount still needs a reason, and a submitted payment cannot be changed."""
    payment = submitted_payment(AgreementFactory(created_by=admin_user), admin_user, quantity=Decimal("2"))
    values = {"period_start": datetime.date(2026, 3, 1), "period_end": datetime.date(2026, 3, 31)}
    with pytest.raises(ValidationError, match="Only a draft"):
        services.stipend_payment_update(actor=admin_user, payment=payment, quantity=Decimal("3"), **values)
    services.stipend_payment_reject(actor=admin2, payment=payment)
    payment = services.stipend_payment_update(actor=admin_user, payment=payment, quantity=Decimal("3"), **values)
    assert payment.amount == Decimal("150.00")
    with pytest.raises(ValidationError) as error:
        services.stipend_payment_update(
            actor=admin_user, payment=payment, quantity=Decimal("3"), amount=Decimal("140"), **values
        )
    assert "amount_override_reason" in error.value.message_dict
    payment.refresh_from_db()
    assert payment.amount == Decimal("150.00")
