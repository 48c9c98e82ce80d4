"""Pages for consent and erasure (issue 16)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.privacy import ConsentForm, ErasureForm
from ..models import ErasureCertificate, ErasureRequest
from ..selectors import people as selectors
from ..services import privacy as services
from .people import _apply_errors

ERASE = "stakeholders.erase_person"


@login_required
@permission_required("stakeholders.view_person", raise_exception=True)
def person_consent(request, pk):
    """Record a grant or withdrawal of one purpose, or withdraw every purpose at once."""
    person = selectors.person_for_user(request.user, pk)
    if not selectors.can_edit_person(request.user, person):
        raise PermissionDenied
    form = ConsentForm(
        request.POST if request.method == "POST" else None, initial={"purpose": request.GET.get("purpose", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["withdraw_all"]:
                services.consent_withdraw_all(
                    actor=request.user, person=person, source=data["source"], note=data["note"]
                )
                messages.success(request, _("Every consent of %(name)s is now withdrawn.") % {"name": person})
            else:
                services.consent_record(
                    actor=request.user,
                    person=person,
                    purpose=data["purpose"],
                    granted=data["granted"],
                    source=data["source"],
                    note=data["note"],
                )
                messages.success(request, _("Consent of %(name)s recorded.") % {"name": person})
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(person.get_absolute_url() + "#consent")
    context = {
        "form": form,
        "title": _("Consent of %(name)s") % {"name": person},
        "person": person,
        "submit_label": _("Record consent"),
    }
    return render(request, "stakeholders/person_form.html", context, status=422 if form.errors else 200)


@login_required
@permission_required(ERASE, raise_exception=True)
def person_erase(request, pk):
    """Confirm and erase a person (or ask a second admin, for a paid liaison)."""
    person = selectors.person_for_user(request.user, pk)
    certificate = ErasureCertificate.objects.filter(person_pk=person.pk).first()
    if certificate is not None:
        messages.info(request, _("This person has already been erased."))
        return redirect(certificate)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.person_erase(actor=request.user, person_pk=person.pk, reason=form.cleaned_data["reason"])
        except services.AlreadyErased as error:
            messages.info(request, _("This person has already been erased."))
            return redirect(error.certificate)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if isinstance(result, ErasureRequest):
                messages.warning(
                    request,
                    _(
                        "Payments were made to this liaison, so a second admin must approve the erasure. "
                        "It is waiting in the list of erasure requests."
                    ),
                )
                return redirect("stakeholders:erasure_request_list")
            messages.success(request, _("The person's identifying data was erased."))
            return redirect(result)
    preview = services.erasure_preview(person)
    context = {
        "form": form,
        "person": person,
        "preview": [(services.erasure_kind_label(key), count) for key, count in preview.items()],
        "needs_second_admin": services.erasure_is_paid_liaison(person),
        "pending": ErasureRequest.objects.filter(person=person, certificate__isnull=True).first(),
    }
    return render(request, "stakeholders/person_erase.html", context, status=422 if form.errors else 200)


@login_required
@permission_required(ERASE, raise_exception=True)
def erasure_detail(request, pk):
    certificate = get_object_or_404(ErasureCertificate.objects.select_related("erased_by", "approved_by"), pk=pk)
    what = [(services.erasure_kind_label(key), count) for key, count in certificate.what.items()]
    return render(request, "stakeholders/erasure_detail.html", {"certificate": certificate, "what": what})


@login_required
@permission_required(ERASE, raise_exception=True)
def erasure_request_list(request):
    pending = ErasureRequest.objects.filter(certificate__isnull=True).select_related("person", "requested_by")
    certificates = ErasureCertificate.objects.select_related("erased_by", "approved_by")[:50]
    return render(request, "stakeholders/erasure_request_list.html", {"pending": pending, "certificates": certificates})


@login_required
@permission_required(ERASE, raise_exception=True)
@require_POST
def erasure_request_approve(request, pk):
    erasure_request = get_object_or_404(ErasureRequest, pk=pk)
    try:
        certificate = services.erasure_request_approve(actor=request.user, request_pk=erasure_request.pk)
    except services.AlreadyErased as error:
        messages.info(request, _("This person has already been erased."))
        return redirect(error.certificate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("stakeholders:erasure_request_list")
    messages.success(request, _("The person's identifying data was erased."))
    return redirect(certificate)
