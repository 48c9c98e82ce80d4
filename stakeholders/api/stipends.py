"""Stipend payments, read-only and for admins only, as the payments ledger shows them.

Nothing about how a liaison is paid leaves through here: no payee reference, bank or
tax details, address or notes; only the payment's numbers, dates and status, and the
liaison's id and name.
"""

from __future__ import annotations

from django.db.models import F
from rest_framework import serializers, viewsets

from ..filters.stipends import StipendPaymentFilter
from ..models import StipendPayment
from ..selectors.people import person_display_name
from ..selectors.stipends import MANAGE, stipend_payments_visible_to


class StipendPaymentSerializer(serializers.ModelSerializer):
    """A payment as the ledger shows it. Amounts are decimal strings ("100.00")."""

    liaison = serializers.IntegerField(source="liaison_id", read_only=True)
    liaison_name = serializers.CharField(read_only=True)
    funding_source = serializers.IntegerField(source="funding_source_id", read_only=True)

    class Meta:
        model = StipendPayment
        fields = [
            *("id", "agreement", "liaison", "liaison_name", "funding_source", "period_start", "period_end"),
            *("quantity", "rate", "amount", "status", "submitted_at", "approved_at", "paid_on", "voided_at"),
            *("created_at", "updated_at"),
        ]
        read_only_fields = fields


class StipendPaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Stipend payments, for admins (everyone else gets 403), filtered as on the payments
    ledger (``status``, ``liaison``, ``funding_source``, ``period_from``, ``period_to``)."""

    serializer_class = StipendPaymentSerializer
    filterset_class = StipendPaymentFilter
    http_method_names = ["get", "head", "options"]
    required_perms = {"list": MANAGE, "retrieve": MANAGE}

    def get_queryset(self):
        # The payment's own columns and the liaison's name, joined in the one query: the
        # liaison's profile and person (and what Finance knows of them) are never loaded.
        return (
            stipend_payments_visible_to(self.request.user)
            .select_related(None)
            .annotate(
                liaison_id=F("agreement__liaison_id"),
                liaison_name=person_display_name("agreement__liaison__person__"),
                funding_source_id=F("agreement__funding_source_id"),
            )
        )
