"""Liaison stipends: who is paid (profiles), from which budget (funding sources),
on what terms (agreements) and what was owed and paid (payments).

Money never leaves the database as a float: every amount is a ``Decimal`` with two
places. The rules that a single row can state are database constraints; the rules
that span rows (caps, budgets) are checked by ``stakeholders.services.stipends``
under row locks.

Payments for facilitated engagements are linked from the engagements app (a link
table there, unique per engagement and liaison), so this module never imports it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .accounts import TimeStampedModel
from .government import Department
from .people import Language, Neighborhood, Person

CENT = Decimal("0.01")

# A payee ID in the city's finance system: two to four capital letters, a dash and
# three to ten digits (for example VND-004512). The letter prefix means a bank
# account number or a tax ID (SSN, EIN, ITIN: digits only) can never match.
PAYEE_REFERENCE_PATTERN = r"^[A-Z]{2,4}-[0-9]{3,10}$"


def money(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal rounded half up to cents."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class LiaisonProfile(TimeStampedModel):
    """A community liaison the city pays: the person, whom they serve, and how Finance pays them."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="liaison_profile", verbose_name=_("person")
    )
    communities_served = models.TextField(_("communities served"), blank=True)
    neighborhoods = models.ManyToManyField(
        Neighborhood, blank=True, related_name="liaison_profiles", verbose_name=_("neighborhoods served")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="liaison_profiles", verbose_name=_("languages")
    )
    partner_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_profiles",
        verbose_name=_("partner department"),
    )
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    payee_reference = models.CharField(
        _("payee reference"),
        max_length=15,
        unique=True,
        validators=[
            RegexValidator(
                PAYEE_REFERENCE_PATTERN,
                _("Enter the payee ID from the finance system, like VND-004512 (letters, a dash, digits)."),
            )
        ],
        help_text=_(
            "The liaison's payee ID in the city's finance system, like VND-004512. "
            "Never enter bank account numbers or tax IDs (SSN, EIN, ITIN): Finance keeps those."
        ),
    )

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="liaison_profile_active_to_after_from",
                violation_error_message=_("The end of the active period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(payee_reference__regex=PAYEE_REFERENCE_PATTERN),
                name="liaison_profile_payee_reference_format",
                violation_error_message=_("The payee reference must look like VND-004512."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:liaison_detail", args=[self.pk])


class FundingSource(TimeStampedModel):
    """A budget line that pays stipends. Committed, paid and remaining amounts are
    computed from agreements and payments (see the selectors), never stored."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000)], help_text=_("For example 2026 for FY2026.")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="funding_sources", verbose_name=_("department")
    )
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "fiscal_year"],
                name="funding_source_name_year_unique",
                violation_error_message=_("A funding source with this name already exists for this fiscal year."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="funding_source_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (FY{self.fiscal_year})"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:funding_source_detail", args=[self.pk])


@pghistory.track()
class StipendAgreement(TimeStampedModel):
    """The terms on which a liaison is paid from one funding source."""

    class Unit(models.TextChoices):
        SESSION = "session", _("per session")
        HOUR = "hour", _("per hour")
        MONTH = "month", _("per month")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    liaison = models.ForeignKey(
        LiaisonProfile, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("liaison")
    )
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("funding source")
    )
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.SESSION)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    cap = models.DecimalField(
        _("cap"), max_digits=12, decimal_places=2, help_text=_("The most this agreement may ever pay in total.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="stipend_agreement_rate_positive",
                violation_error_message=_("The rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cap__gt=0),
                name="stipend_agreement_cap_positive",
                violation_error_message=_("The cap must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="stipend_agreement_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="stipend_agreement_sign_off_complete",
                violation_error_message=_("A sign-off needs both who signed off and when."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_off_by__isnull=False),
                name="stipend_agreement_active_needs_sign_off",
                violation_error_message=_("An agreement cannot start before an admin signs it off."),
            ),
        ]
        # Two active agreements of one liaison on one funding source must not
        # overlap. An exclusion constraint would need btree_gist, which the
        # embedded PostgreSQL lacks, so a trigger checks it; the advisory lock
        # on (liaison, funding source) makes two concurrent activations wait for
        # each other, so the second sees the first.
        triggers = [
            pgtrigger.Trigger(
                name="stipend_agreement_no_overlap",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                condition=pgtrigger.Q(new__status="active"),
                func="""
                    PERFORM pg_advisory_xact_lock(NEW.liaison_id::int, NEW.funding_source_id::int);
                    IF EXISTS (
                        SELECT 1 FROM stakeholders_stipendagreement other
                        WHERE other.id <> NEW.id
                          AND other.status = 'active'
                          AND other.liaison_id = NEW.liaison_id
                          AND other.funding_source_id = NEW.funding_source_id
                          AND daterange(other.start_date, other.end_date, '[]')
                              && daterange(NEW.start_date, NEW.end_date, '[]')
                    ) THEN
                        RAISE EXCEPTION 'stipend_agreement_no_overlap' USING ERRCODE = '23P01';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def overlapping_active_agreements(self):
        """Other active agreements of this liaison on this funding source whose dates overlap."""
        return StipendAgreement.objects.filter(
            status=self.Status.ACTIVE,
            liaison_id=self.liaison_id,
            funding_source_id=self.funding_source_id,
            start_date__lte=self.end_date,
            end_date__gte=self.start_date,
        ).exclude(pk=self.pk)

    def clean(self):
        super().clean()
        if (
            self.status == self.Status.ACTIVE
            and self.start_date
            and self.end_date
            and self.liaison_id
            and self.funding_source_id
            and self.overlapping_active_agreements().exists()
        ):
            raise ValidationError(
                _(
                    "This liaison already has an active agreement on this funding source for these dates. "
                    "End it first or change the dates."
                )
            )

    def __str__(self) -> str:
        return _("%(liaison)s — %(source)s, %(start)s to %(end)s") % {
            "liaison": self.liaison,
            "source": self.funding_source,
            "start": self.start_date,
            "end": self.end_date,
        }

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:agreement_detail", args=[self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_by_id is not None


@pghistory.track()
class StipendPayment(TimeStampedModel):
    """What is owed to a liaison for a period under an agreement, and its way to being paid.

    The rate is copied from the agreement when the payment is created, so the
    database itself can check that the amount is rate × quantity unless an
    override reason is given.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")

    agreement = models.ForeignKey(
        StipendAgreement, on_delete=models.PROTECT, related_name="payments", verbose_name=_("agreement")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=8, decimal_places=2, help_text=_("Sessions, hours or months, as the agreement says.")
    )
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    amount_override_reason = models.TextField(
        _("reason for changing the amount"),
        blank=True,
        help_text=_("Required only when the amount differs from rate × quantity."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    finance_reference = models.CharField(
        _("finance reference"), max_length=60, blank=True, help_text=_("The voucher or check number from Finance.")
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voided by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        indexes = [models.Index(fields=["status", "agreement"], name="stipend_payment_status_idx")]
        permissions = [
            ("manage_stipends", _("Can manage liaison stipends")),
            ("approve_stipend_payment", _("Can approve stipend payments")),
            ("view_own_statement", _("Can view their own stipend statement")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="stipend_payment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="stipend_payment_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="stipend_payment_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount=Round(F("rate") * F("quantity"), 2)) | ~Q(amount_override_reason=""),
                name="stipend_payment_amount_matches_or_reason",
                violation_error_message=_("An amount other than rate × quantity needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="stipend_payment_approver_not_creator",
                violation_error_message=_("A payment must be approved by someone other than its creator."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "approved", "paid"]) | Q(submitted_by__isnull=False),
                name="stipend_payment_submitted_needs_submitter",
                violation_error_message=_("A submitted payment needs who submitted it."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="stipend_payment_approved_needs_approver",
                violation_error_message=_("An approved or paid payment needs an approver."),
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(finance_reference="")),
                name="stipend_payment_paid_needs_date_and_reference",
                violation_error_message=_("A paid payment needs the date paid and the finance reference."),
            ),
            models.CheckConstraint(
                condition=~Q(status="void") | ~Q(void_reason=""),
                name="stipend_payment_void_needs_reason",
                violation_error_message=_("Voiding a payment needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return _("Payment #%(number)s to %(liaison)s, %(start)s to %(end)s") % {
            "number": self.pk,
            "liaison": self.agreement.liaison,
            "start": self.period_start,
            "end": self.period_end,
        }

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:payment_detail", args=[self.pk])

    @property
    def computed_amount(self) -> Decimal:
        return money(self.rate * self.quantity)

    @property
    def amount_overridden(self) -> bool:
        return self.amount != self.computed_amount
