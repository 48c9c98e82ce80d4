"""Stipend reads that start from the user who asks.

Admins (``manage_stipends``) see everything. A liaison (``view_own_statement``)
sees only their own profile, agreements and non-draft payments, through their
Person (``user.person``). Everyone else sees nothing, and the views answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.shortcuts import get_object_or_404

from ..models import FundingSource, LiaisonProfile, StipendAgreement, StipendPayment, User
from .people import person_display_name

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
MANAGE = "stakeholders.manage_stipends"
APPROVE = "stakeholders.approve_stipend_payment"
OWN_STATEMENT = "stakeholders.view_own_statement"


def may_manage_stipends(user: User) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE)


def may_use_stipends(user: User) -> bool:
    """Admins and liaisons; staff and coordinators get 403 on every stipend page."""
    return user.is_authenticated and (user.has_perm(MANAGE) or user.has_perm(OWN_STATEMENT))


def require_stipend_access(user: User) -> None:
    if not may_use_stipends(user):
        raise PermissionDenied


def _sum_payments(statuses, outer: str, inner: str) -> Coalesce:
    """A correlated subquery: the amounts of payments in ``statuses`` for the outer row."""
    payments = (
        StipendPayment.objects.filter(status__in=statuses, **{inner: OuterRef(outer)})
        .order_by()
        .values(inner)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(payments, output_field=MONEY), Value(ZERO), output_field=MONEY)


# --- Liaison profiles -----------------------------------------------------------


def liaison_profiles_visible_to(user: User) -> QuerySet[LiaisonProfile]:
    """Liaison profiles ``user`` may see: all for admins, their own for a liaison."""
    profiles = LiaisonProfile.objects.select_related("person", "partner_department").prefetch_related(
        "neighborhoods", "languages"
    )
    if may_manage_stipends(user):
        return profiles
    if user.is_authenticated and user.has_perm(OWN_STATEMENT):
        return profiles.filter(person__user=user)
    return profiles.none()


def liaison_profiles_with_year_to_date(user: User, year: int) -> QuerySet[LiaisonProfile]:
    """Visible profiles with ``ytd_paid``: what was paid to each in calendar ``year``."""
    paid = (
        StipendPayment.objects.filter(
            status=StipendPayment.Status.PAID, paid_on__year=year, agreement__liaison=OuterRef("pk")
        )
        .order_by()
        .values("agreement__liaison")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return liaison_profiles_visible_to(user).annotate(
        ytd_paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY)
    )


def liaison_profile_for_user(user: User, pk: int) -> LiaisonProfile:
    return get_object_or_404(liaison_profiles_visible_to(user), pk=pk)


def own_liaison_profile(user: User) -> LiaisonProfile | None:
    """The liaison profile of the signed-in user's own Person, if any."""
    return LiaisonProfile.objects.filter(person__user=user).select_related("person").first()


# --- Funding sources --------------------------------------------------------------


def funding_sources_visible_to(user: User) -> QuerySet[FundingSource]:
    """Funding sources with their money computed, for admins only.

    ``committed``: the caps of active agreements (what the city has promised);
    ``approved``: approved payments not yet paid; ``paid``: paid payments;
    ``remaining``: budget − approved − paid, what may still be approved.
    """
    if not may_manage_stipends(user):
        return FundingSource.objects.none()
    committed = (
        StipendAgreement.objects.filter(funding_source=OuterRef("pk"), status=StipendAgreement.Status.ACTIVE)
        .order_by()
        .values("funding_source")
        .annotate(total=Sum("cap"))
        .values("total")
    )
    return (
        FundingSource.objects.select_related("department")
        .annotate(
            committed=Coalesce(Subquery(committed, output_field=MONEY), Value(ZERO), output_field=MONEY),
            approved=_sum_payments([StipendPayment.Status.APPROVED], "pk", "agreement__funding_source"),
            paid=_sum_payments([StipendPayment.Status.PAID], "pk", "agreement__funding_source"),
        )
        .annotate(
            remaining=Coalesce("budget", Value(ZERO))
            - Coalesce("approved", Value(ZERO))
            - Coalesce("paid", Value(ZERO))
        )
    )


def funding_source_for_user(user: User, pk: int) -> FundingSource:
    return get_object_or_404(funding_sources_visible_to(user), pk=pk)


@dataclass(frozen=True)
class BudgetBar:
    """Percentages of a budget for a stacked bar, in whole percent (CSS classes need integers)."""

    paid: int
    approved: int
    remaining: int


def budget_bar(source: FundingSource) -> BudgetBar:
    if not source.budget:
        return BudgetBar(0, 0, 0)
    paid = int(source.paid * 100 / source.budget)
    approved = min(int((source.paid + source.approved) * 100 / source.budget) - paid, 100 - paid)
    return BudgetBar(paid=paid, approved=approved, remaining=max(100 - paid - approved, 0))


# --- Agreements -------------------------------------------------------------------


def stipend_agreements_visible_to(user: User) -> QuerySet[StipendAgreement]:
    """Agreements ``user`` may see, with ``spent``: approved and paid amounts under each."""
    agreements = StipendAgreement.objects.select_related("liaison__person", "funding_source", "signed_off_by").annotate(
        spent=_sum_payments([StipendPayment.Status.APPROVED, StipendPayment.Status.PAID], "pk", "agreement")
    )
    if may_manage_stipends(user):
        return agreements
    if user.is_authenticated and user.has_perm(OWN_STATEMENT):
        return agreements.filter(liaison__person__user=user).exclude(status=StipendAgreement.Status.DRAFT)
    return agreements.none()


def stipend_agreement_for_user(user: User, pk: int) -> StipendAgreement:
    return get_object_or_404(stipend_agreements_visible_to(user), pk=pk)


# --- Payments ---------------------------------------------------------------------


def stipend_payments_visible_to(user: User) -> QuerySet[StipendPayment]:
    """Payments ``user`` may see: all for admins; a liaison's own submitted, approved and paid ones."""
    payments = StipendPayment.objects.select_related(
        "agreement__liaison__person",
        "agreement__funding_source",
        "created_by",
        "approved_by",
    )
    if may_manage_stipends(user):
        return payments
    if user.is_authenticated and user.has_perm(OWN_STATEMENT):
        return payments.filter(agreement__liaison__person__user=user).exclude(
            status__in=[StipendPayment.Status.DRAFT, StipendPayment.Status.VOID]
        )
    return payments.none()


def stipend_payment_for_user(user: User, pk: int) -> StipendPayment:
    return get_object_or_404(stipend_payments_visible_to(user), pk=pk)


def approval_queue_for(user: User) -> QuerySet[StipendPayment]:
    """Submitted payments ``user`` may approve: never the ones they created."""
    if not user.is_authenticated or not user.has_perm(APPROVE):
        return StipendPayment.objects.none()
    return (
        stipend_payments_visible_to(user)
        .filter(status=StipendPayment.Status.SUBMITTED)
        .exclude(created_by=user)
        .order_by("submitted_at", "pk")
    )


def payments_total(payments: QuerySet[StipendPayment]) -> Decimal:
    return payments.aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))["total"]


def payments_count_and_total(payments: QuerySet[StipendPayment]) -> tuple[int, Decimal]:
    """How many ``payments`` there are and what they add up to, in one query."""
    numbers = payments.aggregate(count=Count("pk"), total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))
    return numbers["count"], numbers["total"]


def payment_table_rows(payments: QuerySet[StipendPayment]) -> QuerySet[dict]:
    """``payments`` as the rows of a payment table (the ledger, an agreement's page), in their order.

    Dicts with the payment's ``id``, period, quantity, amount, ``status`` and
    ``paid_on``, the liaison's name (``liaison_name``, as ``str(liaison)``) and the
    funding source (``funding_source``, as ``str(funding_source)``): one query
    joining only what the table shows, and no model instances to build per row.
    """
    source = "agreement__funding_source__"
    return payments.values("id", "period_start", "period_end", "quantity", "amount", "status", "paid_on").annotate(
        liaison_name=person_display_name("agreement__liaison__person__"),
        # FundingSource.__str__
        funding_source=Concat(
            F(f"{source}name"), Value(" (FY"), Cast(F(f"{source}fiscal_year"), CharField()), Value(")")
        ),
    )


# --- Statements and year to date ----------------------------------------------------


@dataclass
class Statement:
    liaison: LiaisonProfile
    year: int
    payments: list[StipendPayment]
    paid_total: Decimal
    pending_total: Decimal
    threshold: Decimal

    @property
    def over_threshold(self) -> bool:
        return self.paid_total >= self.threshold


def tax_threshold() -> Decimal:
    return Decimal(str(settings.STIPEND_TAX_THRESHOLD))


def year_to_date_paid(liaison: LiaisonProfile, year: int) -> Decimal:
    """What was paid to ``liaison`` in calendar ``year`` (by the date paid)."""
    return payments_total(
        StipendPayment.objects.filter(agreement__liaison=liaison, status=StipendPayment.Status.PAID, paid_on__year=year)
    )


def statement_for_user(user: User, liaison_pk: int, year: int) -> Statement:
    """A liaison's statement for calendar ``year``: paid in that year, and approved or
    submitted payments for periods in that year. 404 when ``user`` may not see it."""
    liaison = liaison_profile_for_user(user, liaison_pk)
    payments = list(
        stipend_payments_visible_to(user)
        .filter(agreement__liaison=liaison)
        .filter(
            Q(status=StipendPayment.Status.PAID, paid_on__year=year)
            | Q(
                status__in=[StipendPayment.Status.SUBMITTED, StipendPayment.Status.APPROVED],
                period_start__year=year,
            )
        )
        .order_by("period_start", "pk")
    )
    paid = sum((p.amount for p in payments if p.status == StipendPayment.Status.PAID), ZERO)
    pending = sum((p.amount for p in payments if p.status != StipendPayment.Status.PAID), ZERO)
    return Statement(
        liaison=liaison, year=year, payments=payments, paid_total=paid, pending_total=pending, threshold=tax_threshold()
    )


# --- History ------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    changes: dict


def history_for(user: User, record: StipendAgreement | StipendPayment) -> list[HistoryEntry]:
    """Every recorded change to an agreement or payment: who, when, what changed. Admins only."""
    if not may_manage_stipends(user):
        return []
    entries: list[HistoryEntry] = []
    rows = list(
        type(record).pgh_event_model.objects.filter(pgh_obj=record).select_related("pgh_context").order_by("pgh_id")
    )
    ignored = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context", "pgh_obj_id", "pgh_context_id"}
    fields = [
        (field.attname, str(field.verbose_name))
        for field in type(record).pgh_event_model._meta.concrete_fields
        if field.attname not in ignored and field.attname not in ("created_at", "updated_at")
    ]
    previous = None
    for row in rows:
        metadata = row.pgh_context.metadata if row.pgh_context_id else {}
        changes = {}
        for name, label in fields:
            value = getattr(row, name)
            if previous is None or getattr(previous, name) != value:
                changes[label] = value
        entries.append(
            HistoryEntry(
                when=row.pgh_created_at,
                who=metadata.get("username", ""),
                action=metadata.get("action", row.pgh_label),
                changes=changes,
            )
        )
        previous = row
    return entries
