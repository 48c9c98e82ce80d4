"""The panel on a stipend payment's page: the engagements it pays for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stakeholders.models import StipendPayment
from stakeholders.selectors.stipends import (
    liaison_profile_for_user,
    may_manage_stipends,
    require_stipend_access,
    stipend_payment_for_user,
)

from ..forms.stipends import PaymentEngagementsForm
from ..models import Engagement, PaymentEngagement
from ..services.stipends import engagements_facilitated_by, stipend_payment_link_engagements


@login_required
def payment_engagements_panel(request, pk):
    """Fragment: the engagements a payment pays for; on a draft, admins pick them here."""
    require_stipend_access(request.user)
    payment = stipend_payment_for_user(request.user, pk)
    links = list(PaymentEngagement.objects.filter(payment=payment).select_related("engagement"))
    can_edit = may_manage_stipends(request.user) and payment.status == StipendPayment.Status.DRAFT
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    if can_edit:
        liaison = payment.agreement.liaison
        candidates = engagements_facilitated_by(liaison, start=payment.period_start, end=payment.period_end)
        # Unticking every box posts no field at all: bind on the method, not on the data.
        form = PaymentEngagementsForm(
            request.POST if request.method == "POST" else None,
            candidates=candidates,
            initial={"engagements": [link.engagement_id for link in links]},
        )
        if request.method == "POST" and form.is_valid():
            try:
                links = stipend_payment_link_engagements(
                    actor=request.user,
                    payment=payment,
                    engagement_ids=[engagement.pk for engagement in form.cleaned_data["engagements"]],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if not request.htmx:
                    count = {"count": len(links)}
                    messages.success(request, _("The payment now pays for %(count)s engagement(s).") % count)
                    return redirect(payment)
                form = PaymentEngagementsForm(
                    candidates=candidates, initial={"engagements": [link.engagement_id for link in links]}
                )
        paid_elsewhere = dict(
            PaymentEngagement.objects.filter(liaison=liaison, engagement__in=candidates)
            .exclude(payment=payment)
            .exclude(payment__status=StipendPayment.Status.VOID)
            .values_list("engagement_id", "payment_id")
        )
    else:
        paid_elsewhere = {}
    return render(
        request,
        "engagements/payment_engagements_panel.html",
        {"payment": payment, "links": links, "form": form, "paid_elsewhere": paid_elsewhere.items()},
    )


LIAISON_PANEL_ROWS = 50


@login_required
def liaison_engagements_panel(request, pk):
    """Fragment for a liaison's page: the latest engagements they facilitated and which
    payment (if any, void ones aside) pays for each. Three queries."""
    require_stipend_access(request.user)
    liaison = liaison_profile_for_user(request.user, pk)
    engagements = list(
        Engagement.objects.filter(status=Engagement.Status.LOGGED, facilitator_people=liaison.person_id).order_by(
            "-starts_at", "-pk"
        )[:LIAISON_PANEL_ROWS]
    )
    paid_by = dict(
        PaymentEngagement.objects.filter(liaison=liaison, engagement__in=[e.pk for e in engagements])
        .exclude(payment__status=StipendPayment.Status.VOID)
        .values_list("engagement_id", "payment_id")
    )
    rows = [(engagement, paid_by.get(engagement.pk)) for engagement in engagements]
    return render(
        request,
        "engagements/liaison_engagements_panel.html",
        {"rows": rows, "show_payments": may_manage_stipends(request.user)},
    )
