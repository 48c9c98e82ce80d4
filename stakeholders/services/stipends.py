"""Writes for liaison stipends: profiles, funding sources, agreements and payments.

Money must never be lost, doubled or paid without a second person's approval:

- every change runs in one transaction and is recorded by pghistory with the acting
  user in its context (who, when, what);
- approving a payment locks the funding source, then the agreement, then the
  payment (always in that order, so two approvals wait for each other rather than
  deadlock) and only then checks the agreement's cap and the budget;
- the database repeats every single-row rule as a constraint, so a path that
  skips these functions still cannot store a broken payment.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import (
    Department,
    FundingSource,
    Language,
    LiaisonProfile,
    Neighborhood,
    Person,
    StipendAgreement,
    StipendPayment,
    User,
)
from ..models.stipends import money
from ..security_log import Action, security_event_record

ZERO = Decimal("0.00")
# Payments whose money is spoken for: they count against caps and budgets.
COMMITTED_PAYMENT_STATUSES = (StipendPayment.Status.APPROVED, StipendPayment.Status.PAID)
AGREEMENT_TERMS = ("liaison", "funding_source", "rate", "unit", "start_date", "end_date", "cap")


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def _history(actor: User, action: str):
    """pghistory context: every event written inside names the user and the action."""
    return pghistory.context(user=actor.pk, username=actor.get_username(), action=action)


def _committed_total(**filters) -> Decimal:
    return StipendPayment.objects.filter(status__in=COMMITTED_PAYMENT_STATUSES, **filters).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]


# --- Liaison profiles -----------------------------------------------------------


def liaison_profile_create(
    *,
    actor: User,
    person: Person,
    payee_reference: str,
    active_from: datetime.date,
    active_to: datetime.date | None = None,
    communities_served: str = "",
    partner_department: Department | None = None,
    neighborhoods: Iterable[Neighborhood] = (),
    languages: Iterable[Language] = (),
) -> LiaisonProfile:
    """Make ``person`` a paid liaison with a payee reference from the finance system."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic():
        profile = LiaisonProfile(
            person=person,
            payee_reference=payee_reference.strip().upper(),
            active_from=active_from,
            active_to=active_to,
            communities_served=communities_served,
            partner_department=partner_department,
        )
        profile.full_clean()
        profile.save()
        profile.neighborhoods.set(neighborhoods)
        profile.languages.set(languages)
    return profile


def liaison_profile_update(
    *,
    actor: User,
    profile: LiaisonProfile,
    payee_reference: str,
    active_from: datetime.date,
    active_to: datetime.date | None,
    communities_served: str,
    partner_department: Department | None,
    neighborhoods: Iterable[Neighborhood],
    languages: Iterable[Language],
) -> LiaisonProfile:
    """Change a liaison's profile (the person stays the same)."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic():
        profile.payee_reference = payee_reference.strip().upper()
        profile.active_from = active_from
        profile.active_to = active_to
        profile.communities_served = communities_served
        profile.partner_department = partner_department
        profile.full_clean()
        profile.save(
            update_fields=[
                "payee_reference",
                "active_from",
                "active_to",
                "communities_served",
                "partner_department",
                "updated_at",
            ]
        )
        profile.neighborhoods.set(neighborhoods)
        profile.languages.set(languages)
    return profile


# --- Funding sources --------------------------------------------------------------


def funding_source_create(
    *, actor: User, name: str, fiscal_year: int, department: Department, budget: Decimal
) -> FundingSource:
    """Add a budget line that stipends are paid from."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic():
        source = FundingSource(name=name, fiscal_year=fiscal_year, department=department, budget=money(budget))
        source.full_clean()
        source.save()
    return source


def funding_source_update(
    *, actor: User, source: FundingSource, name: str, fiscal_year: int, department: Department, budget: Decimal
) -> FundingSource:
    """Change a funding source. The budget cannot drop below what is already approved or paid from it."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic():
        locked = FundingSource.objects.select_for_update().get(pk=source.pk)
        spoken_for = _committed_total(agreement__funding_source=locked)
        if money(budget) < spoken_for:
            raise ValidationError(
                {
                    "budget": _("The budget cannot be less than the %(amount)s already approved or paid from it.")
                    % {"amount": spoken_for}
                }
            )
        source.name = name
        source.fiscal_year = fiscal_year
        source.department = department
        source.budget = money(budget)
        source.full_clean()
        source.save(update_fields=["name", "fiscal_year", "department", "budget", "updated_at"])
    return source


# --- Agreements -------------------------------------------------------------------


def stipend_agreement_create(
    *,
    actor: User,
    liaison: LiaisonProfile,
    funding_source: FundingSource,
    rate: Decimal,
    unit: str,
    start_date: datetime.date,
    end_date: datetime.date,
    cap: Decimal,
    notes: str = "",
) -> StipendAgreement:
    """Draft an agreement. It pays nothing until an admin signs it off and it is activated."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_agreement_create"):
        agreement = StipendAgreement(
            liaison=liaison,
            funding_source=funding_source,
            rate=money(rate),
            unit=unit,
            start_date=start_date,
            end_date=end_date,
            cap=money(cap),
            notes=notes,
            created_by=actor,
        )
        agreement.full_clean()
        agreement.save()
        security_event_record(action=Action.STIPEND_CREATED, actor=actor, obj=agreement)
    return agreement


def stipend_agreement_update(
    *,
    actor: User,
    agreement: StipendAgreement,
    liaison: LiaisonProfile,
    funding_source: FundingSource,
    rate: Decimal,
    unit: str,
    start_date: datetime.date,
    end_date: datetime.date,
    cap: Decimal,
    notes: str,
) -> StipendAgreement:
    """Change an agreement.

    A draft may change freely, but changing its terms withdraws an earlier
    sign-off (the sign-off was for the old terms). An active agreement may only
    change its end date, cap and notes, and the cap never below what is already
    approved or paid. An ended agreement does not change.
    """
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_agreement_update"):
        agreement = StipendAgreement.objects.select_for_update().get(pk=agreement.pk)
        new = {
            "liaison": liaison,
            "funding_source": funding_source,
            "rate": money(rate),
            "unit": unit,
            "start_date": start_date,
            "end_date": end_date,
            "cap": money(cap),
        }
        changed = [name for name, value in new.items() if getattr(agreement, name) != value]
        if agreement.status == StipendAgreement.Status.ENDED:
            raise ValidationError(_("This agreement has ended and can no longer be changed."))
        if agreement.status == StipendAgreement.Status.ACTIVE:
            frozen = [name for name in changed if name not in ("end_date", "cap")]
            if frozen:
                raise ValidationError(
                    {
                        name: _("An active agreement keeps its signed-off terms; end it and draft a new one.")
                        for name in frozen
                    }
                )
            spoken_for = _committed_total(agreement=agreement)
            if new["cap"] < spoken_for:
                raise ValidationError(
                    {
                        "cap": _("The cap cannot be less than the %(amount)s already approved or paid.")
                        % {"amount": spoken_for}
                    }
                )
        for name, value in new.items():
            setattr(agreement, name, value)
        agreement.notes = notes
        fields = [*AGREEMENT_TERMS, "notes", "updated_at"]
        if agreement.status == StipendAgreement.Status.DRAFT and changed and agreement.is_signed_off:
            agreement.signed_off_by = None
            agreement.signed_off_at = None
            fields += ["signed_off_by", "signed_off_at"]
        agreement.full_clean()
        _save_agreement(agreement, fields)
    return agreement


def _save_agreement(agreement: StipendAgreement, fields: list[str]) -> None:
    # full_clean checks the no-overlap constraint, but two activations at once
    # can both pass it; the exclusion constraint then stops the second.
    try:
        with transaction.atomic():
            agreement.save(update_fields=fields)
    except IntegrityError as error:
        if "stipend_agreement_no_overlap" in str(error):
            raise ValidationError(
                _("This liaison already has an active agreement on this funding source for these dates.")
            ) from error
        raise


def stipend_agreement_sign_off(*, actor: User, agreement: StipendAgreement) -> StipendAgreement:
    """Record that an admin has signed off a draft agreement's terms."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_agreement_sign_off"):
        agreement = StipendAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != StipendAgreement.Status.DRAFT:
            raise ValidationError(_("Only a draft agreement can be signed off."))
        if agreement.is_signed_off:
            raise ValidationError(_("This agreement is already signed off."))
        agreement.signed_off_by = actor
        agreement.signed_off_at = timezone.now()
        agreement.full_clean(validate_constraints=False)  # checked above; the database repeats them
        agreement.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    return agreement


def stipend_agreement_activate(*, actor: User, agreement: StipendAgreement) -> StipendAgreement:
    """Start a signed-off agreement. It may not overlap another active agreement of the
    same liaison on the same funding source."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_agreement_activate"):
        agreement = StipendAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != StipendAgreement.Status.DRAFT:
            raise ValidationError(_("Only a draft agreement can be activated."))
        if not agreement.is_signed_off:
            raise ValidationError(_("An agreement cannot start before an admin signs it off."))
        agreement.status = StipendAgreement.Status.ACTIVE
        agreement.full_clean()
        _save_agreement(agreement, ["status", "updated_at"])
    return agreement


def stipend_agreement_end(
    *, actor: User, agreement: StipendAgreement, end_date: datetime.date | None = None
) -> StipendAgreement:
    """End an active agreement, on ``end_date`` when it is earlier than the agreed end.

    Payments already recorded stay as they are; no new payment can be created for
    dates after the end.
    """
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_agreement_end"):
        agreement = StipendAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != StipendAgreement.Status.ACTIVE:
            raise ValidationError(_("Only an active agreement can be ended."))
        if end_date is not None:
            if end_date < agreement.start_date:
                raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
            last_paid_period = (
                agreement.payments.exclude(status=StipendPayment.Status.VOID)
                .order_by("-period_end")
                .values_list("period_end", flat=True)
                .first()
            )
            if last_paid_period and end_date < last_paid_period:
                raise ValidationError(
                    {"end_date": _("Payments exist up to %(date)s; end on or after it.") % {"date": last_paid_period}}
                )
            agreement.end_date = min(agreement.end_date, end_date)
        agreement.status = StipendAgreement.Status.ENDED
        agreement.full_clean()
        agreement.save(update_fields=["status", "end_date", "updated_at"])
    return agreement


# --- Payments ---------------------------------------------------------------------


def _payment_terms(
    *,
    agreement: StipendAgreement,
    period_start: datetime.date,
    period_end: datetime.date,
    quantity: Decimal,
    amount: Decimal | None,
    amount_override_reason: str,
) -> dict:
    """Check a payment's period, quantity and amount against its agreement; return the
    fields to store. The amount is rate × quantity unless a different one has a reason."""
    if agreement.status == StipendAgreement.Status.DRAFT:
        raise ValidationError({"agreement": _("Activate the agreement before recording payments under it.")})
    errors = {}
    if period_start < agreement.start_date or period_end > agreement.end_date:
        errors["period_start"] = _("The period must fall within the agreement (%(start)s to %(end)s).") % {
            "start": agreement.start_date,
            "end": agreement.end_date,
        }
    quantity = Decimal(quantity)
    if quantity <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    computed = money(agreement.rate * quantity) if quantity > 0 else ZERO
    reason = amount_override_reason.strip()
    if amount is None or money(amount) == computed:
        final_amount = computed
        reason = ""
    else:
        final_amount = money(amount)
        if final_amount <= 0:
            errors["amount"] = _("The amount must be more than zero.")
        elif not reason:
            errors["amount_override_reason"] = _(
                "The amount differs from rate × quantity (%(computed)s). Say why, or leave the amount as computed."
            ) % {"computed": computed}
    if errors:
        raise ValidationError(errors)
    return {
        "period_start": period_start,
        "period_end": period_end,
        "quantity": quantity,
        "rate": agreement.rate,
        "amount": final_amount,
        "amount_override_reason": reason,
    }


def stipend_payment_create(
    *,
    actor: User,
    agreement: StipendAgreement,
    period_start: datetime.date,
    period_end: datetime.date,
    quantity: Decimal,
    amount: Decimal | None = None,
    amount_override_reason: str = "",
    notes: str = "",
) -> StipendPayment:
    """Record what is owed for a period as a draft payment.

    The amount is the agreement's rate × ``quantity``, rounded half up to cents.
    An ``amount`` that differs from it is accepted only with a reason.
    """
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_payment_create"):
        # Read the agreement's current terms, not a copy the caller may hold.
        agreement = StipendAgreement.objects.get(pk=agreement.pk)
        terms = _payment_terms(
            agreement=agreement,
            period_start=period_start,
            period_end=period_end,
            quantity=quantity,
            amount=amount,
            amount_override_reason=amount_override_reason,
        )
        payment = StipendPayment(agreement=agreement, notes=notes, created_by=actor, **terms)
        # Every constraint of a new payment is checked above; the database repeats them.
        payment.full_clean(validate_constraints=False)
        payment.save()
        security_event_record(
            action=Action.STIPEND_CREATED, actor=actor, obj=payment, detail={"amount": str(payment.amount)}
        )
    return payment


def stipend_payment_update(
    *,
    actor: User,
    payment: StipendPayment,
    period_start: datetime.date,
    period_end: datetime.date,
    quantity: Decimal,
    amount: Decimal | None = None,
    amount_override_reason: str = "",
    notes: str = "",
) -> StipendPayment:
    """Correct a draft payment (for example one sent back from the approval queue).

    The amount is computed again from the agreement's current rate; a different
    amount still needs a reason. Submitted, approved, paid and void payments do
    not change: void one and record a new one instead.
    """
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_payment_update"):
        payment = StipendPayment.objects.select_for_update().select_related("agreement").get(pk=payment.pk)
        if payment.status != StipendPayment.Status.DRAFT:
            raise ValidationError(_("Only a draft payment can be changed. Void it and record a new one instead."))
        terms = _payment_terms(
            agreement=payment.agreement,
            period_start=period_start,
            period_end=period_end,
            quantity=quantity,
            amount=amount,
            amount_override_reason=amount_override_reason,
        )
        for name, value in terms.items():
            setattr(payment, name, value)
        payment.notes = notes
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=[*terms, "notes", "updated_at"])
    return payment


def _locked_payment(payment: StipendPayment) -> tuple[FundingSource, StipendAgreement, StipendPayment]:
    """Lock the funding source, the agreement and the payment, in that order."""
    funding_source_id = StipendAgreement.objects.values_list("funding_source_id", flat=True).get(
        pk=payment.agreement_id
    )
    source = FundingSource.objects.select_for_update().get(pk=funding_source_id)
    agreement = StipendAgreement.objects.select_for_update().get(pk=payment.agreement_id)
    locked = StipendPayment.objects.select_for_update().get(pk=payment.pk)
    return source, agreement, locked


def stipend_payment_submit(*, actor: User, payment: StipendPayment) -> StipendPayment:
    """Send a draft payment for approval by a second person."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_payment_submit"):
        payment = StipendPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != StipendPayment.Status.DRAFT:
            raise ValidationError(_("Only a draft payment can be submitted."))
        payment.status = StipendPayment.Status.SUBMITTED
        payment.submitted_by = actor
        payment.submitted_at = timezone.now()
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return payment


def stipend_payment_approve(*, actor: User, payment: StipendPayment) -> StipendPayment:
    """Approve a submitted payment.

    The approver is never the creator. Under row locks on the funding source and
    the agreement, the payment must fit within the agreement's cap and the
    funding source's budget, counting every payment already approved or paid;
    so of two approvals at once that would together break a limit, the second
    waits for the first and then fails.
    """
    _require(actor, "stakeholders.approve_stipend_payment")
    with transaction.atomic(), _history(actor, "stipend_payment_approve"):
        source, agreement, payment = _locked_payment(payment)
        if payment.status != StipendPayment.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted payment can be approved."))
        if payment.created_by_id == actor.pk:
            raise ValidationError(_("You created this payment, so someone else must approve it. Ask another admin."))
        if agreement.status == StipendAgreement.Status.DRAFT:
            raise ValidationError(_("The agreement is not active."))
        agreement_total = _committed_total(agreement=agreement)
        if agreement_total + payment.amount > agreement.cap:
            raise ValidationError(
                _(
                    "Approving %(amount)s would take the agreement over its cap of %(cap)s "
                    "(%(committed)s already approved or paid)."
                )
                % {"amount": payment.amount, "cap": agreement.cap, "committed": agreement_total}
            )
        source_total = _committed_total(agreement__funding_source=source)
        if source_total + payment.amount > source.budget:
            raise ValidationError(
                _("Approving %(amount)s would take %(source)s below zero: %(remaining)s remains of its budget.")
                % {"amount": payment.amount, "source": source, "remaining": source.budget - source_total}
            )
        payment.status = StipendPayment.Status.APPROVED
        payment.approved_by = actor
        payment.approved_at = timezone.now()
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        security_event_record(
            action=Action.STIPEND_APPROVED, actor=actor, obj=payment, detail={"amount": str(payment.amount)}
        )
    return payment


def stipend_payment_reject(*, actor: User, payment: StipendPayment) -> StipendPayment:
    """Send a submitted payment back to draft so its creator can correct it."""
    _require(actor, "stakeholders.approve_stipend_payment")
    with transaction.atomic(), _history(actor, "stipend_payment_reject"):
        payment = StipendPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != StipendPayment.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted payment can be sent back."))
        payment.status = StipendPayment.Status.DRAFT
        payment.submitted_by = None
        payment.submitted_at = None
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return payment


def stipend_payment_mark_paid(
    *, actor: User, payment: StipendPayment, paid_on: datetime.date, finance_reference: str
) -> StipendPayment:
    """Record that Finance paid an approved payment, on which date and under which reference."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_payment_mark_paid"):
        payment = StipendPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != StipendPayment.Status.APPROVED:
            raise ValidationError(_("Only an approved payment can be marked paid."))
        errors = {}
        finance_reference = finance_reference.strip()
        if not finance_reference:
            errors["finance_reference"] = _("Enter the voucher or check number from Finance.")
        if paid_on > timezone.localdate():
            errors["paid_on"] = _("The payment date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        payment.status = StipendPayment.Status.PAID
        payment.paid_on = paid_on
        payment.finance_reference = finance_reference
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=["status", "paid_on", "finance_reference", "updated_at"])
        security_event_record(
            action=Action.STIPEND_PAID, actor=actor, obj=payment, detail={"amount": str(payment.amount)}
        )
        transaction.on_commit(lambda: events.stipend_payment_paid.send(sender=StipendPayment, payment=payment))
    return payment


def stipend_payment_void(*, actor: User, payment: StipendPayment, reason: str) -> StipendPayment:
    """Void a payment that was not paid, with a reason. Its amount stops counting against caps and budgets."""
    _require(actor, "stakeholders.manage_stipends")
    with transaction.atomic(), _history(actor, "stipend_payment_void"):
        payment = StipendPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in (StipendPayment.Status.PAID, StipendPayment.Status.VOID):
            raise ValidationError(_("A paid or void payment cannot be voided; ask Finance to record a correction."))
        reason = reason.strip()
        if not reason:
            raise ValidationError({"void_reason": _("Say why this payment is void.")})
        payment.status = StipendPayment.Status.VOID
        payment.void_reason = reason
        payment.voided_by = actor
        payment.voided_at = timezone.now()
        payment.full_clean(validate_constraints=False)  # checked above; the database repeats them
        payment.save(update_fields=["status", "void_reason", "voided_by", "voided_at", "updated_at"])
    return payment
