"""Which facilitated engagements a liaison's stipend payment pays for.

The link lives here, not in ``stakeholders``, so that the stipend app never imports
engagements (see PRODUCT.md, "Architecture"). The liaison is copied from the payment's
agreement so that the database itself can refuse to pay the same engagement twice to
the same liaison (a unique key on engagement and liaison); a trigger keeps the copy
honest.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stakeholders.models import LiaisonProfile, StipendPayment, TimeStampedModel

from .engagements import Engagement


@pghistory.track()
class PaymentEngagement(TimeStampedModel):
    """One engagement a liaison facilitated, paid for by one stipend payment."""

    payment = models.ForeignKey(
        StipendPayment, on_delete=models.CASCADE, related_name="engagement_links", verbose_name=_("payment")
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="payment_links", verbose_name=_("engagement")
    )
    #: The payment's agreement's liaison, denormalised for the unique key below.
    liaison = models.ForeignKey(
        LiaisonProfile, on_delete=models.PROTECT, related_name="paid_engagement_links", verbose_name=_("liaison")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["payment", "engagement__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "liaison"],
                name="payment_engagement_paid_once_per_liaison",
                violation_error_message=_("This engagement is already paid for to this liaison."),
            )
        ]
        triggers = [
            pgtrigger.Trigger(
                name="payment_engagement_liaison_matches",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                    IF NEW.liaison_id IS DISTINCT FROM (
                        SELECT a.liaison_id
                        FROM stakeholders_stipendpayment p
                        JOIN stakeholders_stipendagreement a ON a.id = p.agreement_id
                        WHERE p.id = NEW.payment_id
                    ) THEN
                        RAISE EXCEPTION 'payment_engagement_liaison_matches' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} — {self.payment}"

    def get_absolute_url(self) -> str:
        return self.payment.get_absolute_url()
