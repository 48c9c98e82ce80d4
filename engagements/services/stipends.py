"""Writes that tie liaison stipend payments to the engagements they pay for.

The stipend app (``stakeholders``) never imports this one: its payment page loads the
list below as a panel, and the link table lives here (``PaymentEngagement``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pghistory
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders.models import LiaisonProfile, StipendPayment, User
from stakeholders.roles import Role
from stakeholders.selectors.stipends import tax_threshold, year_to_date_paid

from .. import reminders
from ..models import Engagement, FollowUp, PaymentEngagement

MANAGE = "stakeholders.manage_stipends"


def engagements_facilitated_by(
    liaison: LiaisonProfile, *, start: datetime.date, end: datetime.date
) -> QuerySet[Engagement]:
    """Logged engagements the liaison's person facilitated that started between ``start`` and
    ``end`` (inclusive, in the city's time zone)."""
    return Engagement.objects.filter(
        status=Engagement.Status.LOGGED,
        facilitator_people=liaison.person_id,
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    ).order_by("starts_at", "pk")


def stipend_payment_link_engagements(
    *, actor: User, payment: StipendPayment, engagement_ids: Iterable[int]
) -> list[PaymentEngagement]:
    """Make ``engagement_ids`` exactly the engagements a draft payment pays for.

    Each must have been facilitated by the payment's liaison within the payment's period,
    and must not be paid for to that liaison by another payment; a void payment pays for
    nothing, so its links are released. The database refuses a second link of the same
    engagement and liaison too, so two admins linking at once cannot both succeed.
    """
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))
    wanted = {int(pk) for pk in engagement_ids}
    with (
        transaction.atomic(),
        pghistory.context(user=actor.pk, username=actor.get_username(), action="stipend_payment_link_engagements"),
    ):
        payment = (
            StipendPayment.objects.select_for_update(of=("self",))
            .select_related("agreement__liaison__person")
            .get(pk=payment.pk)
        )
        if payment.status != StipendPayment.Status.DRAFT:
            raise ValidationError(
                _("Only a draft payment's engagements can change. Void it and record a new one instead.")
            )
        liaison = payment.agreement.liaison
        eligible = set(
            engagements_facilitated_by(liaison, start=payment.period_start, end=payment.period_end)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if wanted - eligible:
            raise ValidationError(
                {
                    "engagements": _("Choose only engagements %(liaison)s facilitated between %(start)s and %(end)s.")
                    % {"liaison": liaison, "start": payment.period_start, "end": payment.period_end}
                }
            )
        PaymentEngagement.objects.filter(
            liaison=liaison, engagement_id__in=wanted, payment__status=StipendPayment.Status.VOID
        ).delete()
        taken = list(
            PaymentEngagement.objects.filter(liaison=liaison, engagement_id__in=wanted)
            .exclude(payment=payment)
            .select_related("engagement")
            .order_by("engagement__starts_at")
        )
        if taken:
            raise ValidationError(
                {
                    "engagements": _("Already paid to this liaison: %(list)s. Leave them out of this payment.")
                    % {"list": "; ".join(f"{link.engagement} (#{link.payment_id})" for link in taken)}
                }
            )
        PaymentEngagement.objects.filter(payment=payment).exclude(engagement_id__in=wanted).delete()
        existing = set(PaymentEngagement.objects.filter(payment=payment).values_list("engagement_id", flat=True))
        try:
            with transaction.atomic():
                PaymentEngagement.objects.bulk_create(
                    PaymentEngagement(payment=payment, engagement_id=pk, liaison=liaison, linked_by=actor)
                    for pk in sorted(wanted - existing)
                )
        except IntegrityError as error:  # another payment linked one of them meanwhile
            raise ValidationError(
                {"engagements": _("One of these engagements was just paid for elsewhere. Reload and try again.")}
            ) from error
    return list(PaymentEngagement.objects.filter(payment=payment).select_related("engagement"))


TAX_FOLLOWUP_DUE_DAYS = 14


def followups_tax_threshold(*, payment_id: int) -> int:
    """After a payment is marked paid: when its liaison's total paid in that calendar year is
    at or above ``settings.STIPEND_TAX_THRESHOLD``, every active admin gets a follow-up to make
    sure Finance has the liaison's tax form.

    Once per liaison and year: the cycle ``"tax:<year>"`` is part of the follow-up's unique
    key, so later payments that year (or this receiver running twice) add nothing.
    Returns how many follow-ups were offered.
    """
    payment = (
        StipendPayment.objects.select_related("agreement__liaison__person")
        .filter(pk=payment_id, status=StipendPayment.Status.PAID)
        .first()
    )
    if payment is None or payment.paid_on is None:
        return 0
    liaison, year = payment.agreement.liaison, payment.paid_on.year
    total, threshold = year_to_date_paid(liaison, year), tax_threshold()
    if total < threshold:
        return 0
    admins = User.objects.filter(is_active=True, groups__name=Role.ADMIN).distinct().values_list("pk", flat=True)
    title = reminders.Title(
        gettext_noop(
            "%(liaison)s has been paid %(total)s in %(year)s, at or above the tax-reporting threshold of "
            "%(threshold)s: make sure Finance has their tax form."
        ),
        {"liaison": liaison, "total": total, "year": year, "threshold": threshold},
    )
    liaison_type = ContentType.objects.get_for_model(LiaisonProfile)
    due_on = timezone.localdate() + datetime.timedelta(days=TAX_FOLLOWUP_DUE_DAYS)
    return reminders.insert_followups(
        FollowUp(
            user_id=admin_id,
            reason=FollowUp.Reason.TAX_THRESHOLD,
            content_type=liaison_type,
            object_id=liaison.pk,
            cycle=f"tax:{year}",
            title=title,
            due_on=due_on,
        )
        for admin_id in admins
    )
