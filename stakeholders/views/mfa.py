"""Two-step sign-in pages: the second step after the password, signing in with a recovery
code, setting up an authenticator app, recovery codes, turning it off, and an admin's reset.

Django's LoginView (with django-axes' lockout) checks the password as before; then
``SecondStepMiddleware`` sends whoever owes the second step here.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from ..forms.base import add_service_errors
from ..forms.mfa import AuthenticatorCodeForm, ConfirmWithCodeForm, RecoveryCodeForm
from ..middleware import TWO_STEP_SESSION_KEY, with_next
from ..roles import Role
from ..selectors.accounts import user_for_user
from ..services import mfa as services

# The secret of an app being set up, until its first code confirms it.
NEW_KEY_SESSION_KEY = "_two_step_new_key"
# New recovery codes, until the page that shows them once has been opened.
NEW_CODES_SESSION_KEY = "_two_step_new_codes"


def _next_url(request) -> str:
    """Where to go once the step is done: the page the user asked for, if it is ours."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    hosts = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()):
        return url
    return reverse("home")


def _with_next(url_name: str, next_url: str) -> str:
    return with_next(reverse(url_name), next_url)


def _passed(request, device) -> None:
    """The session passed the second step with ``device``."""
    request.session.cycle_key()  # a new session id for the stronger sign-in
    otp_login(request, device)
    request.session[TWO_STEP_SESSION_KEY] = True


def _step_not_owed(request, next_url: str):
    """The redirect for a user who has nothing to enter here, else None."""
    if request.user.is_verified():
        return redirect(next_url)
    if not services.mfa_is_enabled(request.user):
        request.session[TWO_STEP_SESSION_KEY] = False
        return redirect(next_url)  # an admin goes on from there to set it up
    return None


@login_required
def mfa_verify(request):
    """The second step: the six-digit code from the authenticator app."""
    next_url = _next_url(request)
    if (response := _step_not_owed(request, next_url)) is not None:
        return response
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.mfa_verify(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _passed(request, device)
            return redirect(next_url)
    return render(request, "registration/mfa_verify.html", {"form": form, "next": next_url})


@login_required
def mfa_recovery(request):
    """The second step without the phone: one recovery code, spent once used."""
    next_url = _next_url(request)
    if (response := _step_not_owed(request, next_url)) is not None:
        return response
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, left = services.mfa_recovery_use(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _passed(request, device)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code. You have %(count)s code left.",
                    "You signed in with a recovery code. You have %(count)s codes left.",
                    left,
                )
                % {"count": left},
            )
            return redirect("stakeholders:profile")
    return render(request, "registration/mfa_recovery.html", {"form": form, "next": next_url})


def _qr_svg(url: str) -> str:
    """The setup address as a QR code: inline SVG markup (no script, no image file)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", title=_("QR code to scan with your authenticator app")
    )
    return svg.replace("<svg ", '<svg role="img" class="mfa-qr" ', 1).replace(' class="segno"', "", 1)


@login_required
def mfa_enrol(request):
    """Set up an authenticator app (or a new one in place of a lost phone): scan the QR code or
    type the secret, confirm with a code, then see the recovery codes once."""
    user = request.user
    next_url = _next_url(request)
    enabled = services.mfa_is_enabled(user)
    if enabled and not user.is_verified():
        # Replacing the app takes the second step first: a password alone must not do it.
        return redirect(_with_next("stakeholders:mfa_verify", request.get_full_path()))
    key = request.session.get(NEW_KEY_SESSION_KEY)
    if not key:
        key = request.session[NEW_KEY_SESSION_KEY] = services.mfa_secret_new()
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.mfa_enrol_confirm(user=user, key=key, token=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[NEW_KEY_SESSION_KEY]
            _passed(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step sign-in is on. Save your recovery codes now."))
            return redirect(_with_next("stakeholders:mfa_codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(services.mfa_setup_url(user=user, key=key)),
        "secret": services.mfa_secret_for_humans(key),
        "replacing": enabled,
        "required": not enabled and user.has_role(Role.ADMIN),
    }
    return render(request, "registration/mfa_enrol.html", context)


@login_required
def mfa_codes(request):
    """Recovery codes: new ones are shown once, right after they are made; later the page
    says how many are left and makes a new set (after a code)."""
    user = request.user
    if not services.mfa_is_enabled(user):
        return redirect("stakeholders:profile")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    form = ConfirmWithCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_codes = services.mfa_recovery_codes_regenerate(user=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[NEW_CODES_SESSION_KEY] = new_codes
            messages.success(request, _("You have new recovery codes. The old ones no longer work."))
            return redirect(_with_next("stakeholders:mfa_codes", _next_url(request)))
    context = {
        "form": form,
        "codes": codes,
        "left": None if codes else services.mfa_recovery_codes_left(user),
        "next": _next_url(request),
    }
    return render(request, "registration/mfa_codes.html", context)


@login_required
def mfa_remove(request):
    """Turn off one's own two-step sign-in, after entering a code."""
    user = request.user
    if not services.mfa_is_enabled(user):
        return redirect("stakeholders:profile")
    form = ConfirmWithCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mfa_device_remove(user=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[TWO_STEP_SESSION_KEY] = False
            if user.has_role(Role.ADMIN):
                messages.warning(request, _("Two-step sign-in is off. Admins must use it: set it up again now."))
            else:
                messages.success(request, _("Two-step sign-in is off. You sign in with your password alone."))
            return redirect("stakeholders:profile")
    return render(request, "registration/mfa_remove.html", {"form": form, "is_admin": user.has_role(Role.ADMIN)})


@require_POST
@login_required
@permission_required("stakeholders.change_user", raise_exception=True)
def user_mfa_reset(request, pk):
    """An admin turns off another user's two-step sign-in (a lost phone, no recovery codes left)."""
    user = user_for_user(request.user, pk)
    if services.mfa_reset(user=user, by=request.user):
        messages.success(
            request,
            _(
                "Two-step sign-in of %(name)s is reset. They may set it up again from their profile; "
                "admins must, right after they next sign in."
            )
            % {"name": user},
        )
    else:
        messages.info(request, _("%(name)s does not use two-step sign-in.") % {"name": user})
    return redirect("stakeholders:user_edit", pk=user.pk)
