"""Liaison stipend pages. Admins (``manage_stipends``) use all of them; a liaison sees
only their own statement and agreements; everyone else gets 403."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..exports import safe_cell as csv_safe
from ..filters.stipends import LiaisonProfileFilter, StipendAgreementFilter, StipendPaymentFilter
from ..forms.stipends import (
    EndAgreementForm,
    FundingSourceForm,
    LiaisonProfileForm,
    MarkPaidForm,
    StipendAgreementForm,
    StipendPaymentForm,
    VoidForm,
)
from ..models import StipendPayment
from ..panels import panels_for
from ..rows import with_choice_labels, with_detail_urls
from ..security_log import logs_export
from ..selectors import stipends as selectors
from ..services import stipends as services
from .pagination import CountedPaginator

PAGE_SIZE = 50
MANAGE = "stakeholders.manage_stipends"
APPROVE = "stakeholders.approve_stipend_payment"


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where they exist."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_page(request, form, title, cancel_url, submit_label=None, extra=None):
    context = {"form": form, "title": title, "cancel_url": cancel_url, "submit_label": submit_label}
    context.update(extra or {})
    return render(request, "stakeholders/stipends/form.html", context)


# --- Funding sources (the stipends overview) ------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def funding_source_list(request):
    sources = list(selectors.funding_sources_visible_to(request.user))
    for source in sources:
        source.bar = selectors.budget_bar(source)
    queue_count = selectors.approval_queue_for(request.user).count()
    return render(
        request,
        "stakeholders/stipends/funding_source_list.html",
        {"sources": sources, "queue_count": queue_count, "year": timezone.localdate().year},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def funding_source_create(request):
    form = FundingSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.funding_source_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Funding source %(name)s created.") % {"name": source})
            return redirect(source)
    return _form_page(request, form, _("New funding source"), "stakeholders:funding_source_list")


@login_required
@permission_required(MANAGE, raise_exception=True)
def funding_source_detail(request, pk):
    source = selectors.funding_source_for_user(request.user, pk)
    source.bar = selectors.budget_bar(source)
    agreements = selectors.stipend_agreements_visible_to(request.user).filter(funding_source=source)
    return render(
        request, "stakeholders/stipends/funding_source_detail.html", {"source": source, "agreements": agreements}
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def funding_source_edit(request, pk):
    source = selectors.funding_source_for_user(request.user, pk)
    form = FundingSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_source_update(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": source})
            return redirect(source)
    return _form_page(request, form, _("Edit %(name)s") % {"name": source}, source.get_absolute_url())


# --- Liaisons ---------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def liaison_list(request):
    year = timezone.localdate().year
    liaison_filter = LiaisonProfileFilter(
        request.GET, queryset=selectors.liaison_profiles_with_year_to_date(request.user, year)
    )
    page = Paginator(liaison_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "stakeholders/stipends/liaison_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"filter": liaison_filter, "page": page, "year": year, "threshold": selectors.tax_threshold()},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def liaison_create(request):
    form = LiaisonProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.liaison_profile_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now a liaison.") % {"name": profile})
            return redirect(profile)
    return _form_page(request, form, _("New liaison"), "stakeholders:liaison_list")


@login_required
@permission_required(MANAGE, raise_exception=True)
def liaison_detail(request, pk):
    profile = selectors.liaison_profile_for_user(request.user, pk)
    year = timezone.localdate().year
    ytd = selectors.year_to_date_paid(profile, year)
    agreements = selectors.stipend_agreements_visible_to(request.user).filter(liaison=profile)
    return render(
        request,
        "stakeholders/stipends/liaison_detail.html",
        {
            "profile": profile,
            "agreements": agreements,
            "year": year,
            "ytd": ytd,
            "threshold": selectors.tax_threshold(),
            "over_threshold": ytd >= selectors.tax_threshold(),
            "panels": panels_for("liaison", request.user, profile.pk),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def liaison_edit(request, pk):
    profile = selectors.liaison_profile_for_user(request.user, pk)
    form = LiaisonProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "person"}
        try:
            services.liaison_profile_update(actor=request.user, profile=profile, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": profile})
            return redirect(profile)
    return _form_page(request, form, _("Edit liaison %(name)s") % {"name": profile}, profile.get_absolute_url())


# --- Agreements -------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_list(request):
    agreement_filter = StipendAgreementFilter(
        request.GET, queryset=selectors.stipend_agreements_visible_to(request.user)
    )
    page = Paginator(agreement_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "stakeholders/stipends/agreement_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": agreement_filter, "page": page})


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_create(request):
    initial = {"liaison": request.GET.get("liaison"), "funding_source": request.GET.get("funding_source")}
    form = StipendAgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.stipend_agreement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Agreement drafted. An admin must sign it off before it can start."))
            return redirect(agreement)
    return _form_page(request, form, _("New stipend agreement"), "stakeholders:agreement_list")


@login_required
def agreement_detail(request, pk):
    selectors.require_stipend_access(request.user)
    agreement = selectors.stipend_agreement_for_user(request.user, pk)
    payments = selectors.payment_table_rows(
        selectors.stipend_payments_visible_to(request.user).filter(agreement=agreement)
    )
    return render(
        request,
        "stakeholders/stipends/agreement_detail.html",
        {
            "agreement": agreement,
            "payments": _payment_table(payments),
            "history": selectors.history_for(request.user, agreement),
            "end_form": EndAgreementForm(),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_edit(request, pk):
    agreement = selectors.stipend_agreement_for_user(request.user, pk)
    form = StipendAgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.stipend_agreement_update(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect(agreement)
    return _form_page(request, form, _("Edit agreement"), agreement.get_absolute_url())


def _agreement_action(request, pk, action, success_message, **kwargs):
    agreement = selectors.stipend_agreement_for_user(request.user, pk)
    try:
        action(actor=request.user, agreement=agreement, **kwargs)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, success_message)
    return redirect(agreement)


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_sign_off(request, pk):
    return _agreement_action(request, pk, services.stipend_agreement_sign_off, _("Agreement signed off."))


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_activate(request, pk):
    return _agreement_action(request, pk, services.stipend_agreement_activate, _("Agreement is now active."))


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_end(request, pk):
    form = EndAgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid end date, or leave it empty."))
        return redirect("stakeholders:agreement_detail", pk=pk)
    return _agreement_action(
        request, pk, services.stipend_agreement_end, _("Agreement ended."), end_date=form.cleaned_data["end_date"]
    )


# --- Payments ---------------------------------------------------------------------------


# The badge colour of each payment status in _payment_table.html.
_STATUS_BADGES = {
    StipendPayment.Status.PAID: "success",
    StipendPayment.Status.APPROVED: "primary",
    StipendPayment.Status.SUBMITTED: "warning",
    StipendPayment.Status.VOID: "dark",
}


def _payment_table(rows) -> list[dict]:
    """The rows of _payment_table.html: ``payment_table_rows`` with their links, status labels and
    badge colours, and their dates written once here (ISO, as the ``date:"Y-m-d"`` filter wrote
    them) rather than through a template filter per cell."""
    rows = with_detail_urls(rows, "stakeholders:payment_detail")
    rows = with_choice_labels(rows, StipendPayment._meta.get_field("status"))
    for row in rows:
        row["period"] = f"{row['period_start'].isoformat()} – {row['period_end'].isoformat()}"
        row["paid_on_text"] = row["paid_on"].isoformat() if row["paid_on"] else ""
        row["status_badge"] = _STATUS_BADGES.get(row["status"], "secondary")
    return rows


def _filtered_payments(request):
    return StipendPaymentFilter(request.GET, queryset=selectors.stipend_payments_visible_to(request.user))


@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_list(request):
    payment_filter = _filtered_payments(request)
    count, total = selectors.payments_count_and_total(payment_filter.qs)
    payments = selectors.payment_table_rows(payment_filter.qs)
    page = CountedPaginator(payments, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    page.object_list = _payment_table(page.object_list)
    template = "stakeholders/stipends/payment_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": payment_filter, "page": page, "total": total})


@login_required
@permission_required(MANAGE, raise_exception=True)
@logs_export("stipend_payments")
def payment_export(request):
    """The ledger's rows (same filters) as CSV for Finance, with a total row."""
    payment_filter = _filtered_payments(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"stipend-payments-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Payment"),
            _("Liaison"),
            _("Payee reference"),
            _("Funding source"),
            _("Period start"),
            _("Period end"),
            _("Quantity"),
            _("Unit"),
            _("Rate"),
            _("Amount"),
            _("Status"),
            _("Created by"),
            _("Approved by"),
            _("Approved at"),
            _("Paid on"),
            _("Finance reference"),
        ]
    )
    total = 0
    for payment in payment_filter.qs:
        agreement = payment.agreement
        total += payment.amount
        writer.writerow(
            csv_safe(cell)
            for cell in [
                payment.pk,
                agreement.liaison.person,
                agreement.liaison.payee_reference,
                agreement.funding_source,
                payment.period_start.isoformat(),
                payment.period_end.isoformat(),
                payment.quantity,
                agreement.get_unit_display(),
                payment.rate,
                payment.amount,
                payment.get_status_display(),
                payment.created_by,
                payment.approved_by or "",
                payment.approved_at.isoformat() if payment.approved_at else "",
                payment.paid_on.isoformat() if payment.paid_on else "",
                payment.finance_reference,
            ]
        )
    writer.writerow([_("Total"), "", "", "", "", "", "", "", "", f"{total:.2f}", "", "", "", "", "", ""])
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_create(request):
    form = StipendPaymentForm(request.POST or None, initial={"agreement": request.GET.get("agreement")})
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.stipend_payment_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Payment recorded as a draft. Submit it for approval when it is ready."))
            return redirect(payment)
    return _form_page(request, form, _("New payment"), "stakeholders:payment_list")


@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_edit(request, pk):
    payment = selectors.stipend_payment_for_user(request.user, pk)
    initial = {
        "agreement": payment.agreement_id,
        "period_start": payment.period_start,
        "period_end": payment.period_end,
        "quantity": payment.quantity,
        "amount": payment.amount if payment.amount_override_reason else None,
        "amount_override_reason": payment.amount_override_reason,
        "notes": payment.notes,
    }
    form = StipendPaymentForm(request.POST or None, initial=initial)
    form.fields["agreement"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "agreement"}
        try:
            services.stipend_payment_update(actor=request.user, payment=payment, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Payment saved."))
            return redirect(payment)
    return _form_page(request, form, _("Edit payment"), payment.get_absolute_url(), extra={"payment": payment})


@login_required
def payment_detail(request, pk):
    selectors.require_stipend_access(request.user)
    payment = selectors.stipend_payment_for_user(request.user, pk)
    return render(
        request,
        "stakeholders/stipends/payment_detail.html",
        {
            "payment": payment,
            "history": selectors.history_for(request.user, payment),
            "may_approve": request.user.has_perm(APPROVE) and payment.created_by_id != request.user.pk,
            "panels": panels_for("stipend_payment", request.user, payment.pk),
        },
    )


def _payment_action(request, pk, action, success_message, **kwargs):
    payment = selectors.stipend_payment_for_user(request.user, pk)
    try:
        action(actor=request.user, payment=payment, **kwargs)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, success_message)
    return redirect(payment)


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_submit(request, pk):
    return _payment_action(request, pk, services.stipend_payment_submit, _("Payment submitted for approval."))


def _queue_row_response(request, pk, action, done_label):
    """Approve or send back from the queue: with htmx, swap the row; else redirect."""
    payment = selectors.stipend_payment_for_user(request.user, pk)
    error = None
    try:
        payment = action(actor=request.user, payment=payment)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        payment = selectors.stipend_payment_for_user(request.user, pk)
        return render(
            request,
            "stakeholders/stipends/approval_queue.html#row",
            {"payment": payment, "error": error, "done": None if error else done_label},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done_label)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = payment.get_absolute_url()
    return redirect(next_url)


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def payment_approve(request, pk):
    return _queue_row_response(request, pk, services.stipend_payment_approve, _("Approved."))


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def payment_reject(request, pk):
    return _queue_row_response(request, pk, services.stipend_payment_reject, _("Sent back to draft."))


@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_mark_paid(request, pk):
    payment = selectors.stipend_payment_for_user(request.user, pk)
    form = MarkPaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.stipend_payment_mark_paid(actor=request.user, payment=payment, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Payment marked paid."))
            return redirect(payment)
    return _form_page(
        request, form, _("Mark payment paid"), payment.get_absolute_url(), _("Mark paid"), {"payment": payment}
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def payment_void(request, pk):
    payment = selectors.stipend_payment_for_user(request.user, pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stipend_payment_void(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Payment voided."))
            return redirect(payment)
    return _form_page(
        request, form, _("Void payment"), payment.get_absolute_url(), _("Void payment"), {"payment": payment}
    )


@login_required
@permission_required(APPROVE, raise_exception=True)
def approval_queue(request):
    payments = selectors.approval_queue_for(request.user)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stakeholders/stipends/approval_queue.html", {"page": page})


# --- Statements ---------------------------------------------------------------------------


@login_required
def my_stipend(request):
    """A liaison's own statement for this year (admins go to the overview)."""
    if request.user.has_perm(MANAGE):
        return redirect("stakeholders:funding_source_list")
    selectors.require_stipend_access(request.user)
    profile = selectors.own_liaison_profile(request.user)
    if profile is None:
        raise Http404(_("There is no liaison profile for your account. Ask a program administrator."))
    return redirect("stakeholders:statement", liaison_pk=profile.pk, year=timezone.localdate().year)


@login_required
def statement(request, liaison_pk, year):
    selectors.require_stipend_access(request.user)
    if not 2000 <= year <= 2100:
        raise Http404
    statement = selectors.statement_for_user(request.user, liaison_pk, year)
    agreements = selectors.stipend_agreements_visible_to(request.user).filter(liaison=statement.liaison)
    return render(
        request,
        "stakeholders/stipends/statement.html",
        {"statement": statement, "agreements": agreements, "previous_year": year - 1, "next_year": year + 1},
    )
