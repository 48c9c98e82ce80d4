from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_otp.plugins.otp_static.models import StaticDevice

from ..filters.accounts import UserFilter
from ..forms.accounts import ApiTokenForm, ProfileForm, UserForm
from ..forms.base import add_service_errors
from ..rows import with_detail_urls
from ..selectors.accounts import api_token_for_user, user_for_user, users_visible_to, with_list_columns
from ..services import accounts as services
from ..services import mfa as mfa_services
from ..services import tokens as token_services

PAGE_SIZE = 50


@require_safe
@login_required
@permission_required("stakeholders.view_user", raise_exception=True)
def user_list(request):
    user_filter = UserFilter(request.GET, queryset=users_visible_to(request.user))
    page = Paginator(with_list_columns(user_filter.qs), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_detail_urls(page.object_list, "stakeholders:user_edit")
    template = "stakeholders/user_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": user_filter, "page": page})


@login_required
@permission_required("stakeholders.add_user", raise_exception=True)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                roles=form.cleaned_data["roles"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("User %(name)s created. They have been emailed a link to choose a password.") % {"name": user},
            )
            return redirect("stakeholders:user_list")
    return render(request, "stakeholders/user_form.html", {"form": form, "title": _("New user")})


@login_required
@permission_required("stakeholders.change_user", raise_exception=True)
def user_edit(request, pk):
    user = user_for_user(request.user, pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        if user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account. Ask another admin."))
        else:
            try:
                services.user_update(
                    user=user,
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    roles=form.cleaned_data["roles"],
                    is_active=form.cleaned_data["is_active"],
                    by=request.user,
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Changes to %(name)s saved.") % {"name": user})
                return redirect("stakeholders:user_list")
    context = {
        "form": form,
        "title": _("Edit user %(name)s") % {"name": user},
        "edited_user": user,
        "two_step_on": mfa_services.mfa_is_enabled(user),
    }
    return render(request, "stakeholders/user_form.html", context)


@login_required
def profile(request):
    """The signed-in user's own settings: for now, the language they read Coalition in."""
    form = ProfileForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_language_set(user=request.user, language=form.cleaned_data["language"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Confirm in the language just chosen (or the browser's, when following it again).
            language = request.user.language or translation.get_language_from_request(request)
            with translation.override(language):
                messages.success(request, _("Your preferences are saved."))
            return redirect("stakeholders:profile")
    return render(
        request,
        "stakeholders/profile.html",
        {
            "form": form,
            "two_step": _two_step_status(request),
            "token_form": ApiTokenForm(),
            "tokens": request.user.api_tokens.all(),
            # Shown once, on the page the creation redirects to, then gone from the session.
            "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
        },
    )


NEW_TOKEN_SESSION_KEY = "_new_api_token"  # noqa: S105  (a session key name, not a secret)


@login_required
@require_POST
def api_token_create(request):
    """Make a personal API token; the profile page shows it once."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _row, token = token_services.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = token
            messages.success(request, _("Token created. Copy it now: it is shown only this once."))
            return redirect(f"{reverse('stakeholders:profile')}#api-tokens")
    return render(
        request,
        "stakeholders/profile.html",
        {
            "form": ProfileForm(initial={"language": request.user.language}),
            "two_step": _two_step_status(request),
            "token_form": form,
            "tokens": request.user.api_tokens.all(),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    """Stop one of the user's own tokens, at once."""
    token = api_token_for_user(request.user, pk)
    token_services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect(f"{reverse('stakeholders:profile')}#api-tokens")


def _two_step_status(request) -> dict:
    """The profile's "Two-step sign-in" section: on or off, codes left, and whether this
    session signed in with a recovery code (then the page offers a new authenticator app)."""
    user = request.user
    if not mfa_services.mfa_is_enabled(user):
        return {"on": False}
    return {
        "on": True,
        "codes_left": mfa_services.mfa_recovery_codes_left(user),
        "via_recovery": isinstance(getattr(user, "otp_device", None), StaticDevice),
    }


@require_POST
def language_set(request):
    """The language switch on every page: remember the choice and go back to the same page.

    Anyone may use it (the public pages have no sign-in); a cookie keeps the choice,
    and for a signed-in user it becomes their profile setting as well.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Choose one of the languages offered."), content_type="text/plain")
    next_url = request.POST.get("next", "")
    hosts = {request.get_host()}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=hosts, require_https=request.is_secure()):
        next_url = "/"
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
