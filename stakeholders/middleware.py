from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .roles import Role
from .services.mfa import mfa_is_enabled

LOGIN_AT_SESSION_KEY = "_login_at"


class SessionAbsoluteTimeoutMiddleware:
    """End a session a fixed time after login, however active it has been.

    The idle timeout is the session cookie age (pushed back on each request);
    this one does not move.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        login_at = request.session.get(LOGIN_AT_SESSION_KEY) if request.user.is_authenticated else None
        if login_at and timezone.now().timestamp() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


REFRESHED_AT_SESSION_KEY = "_refreshed_at"


class SessionIdleRefreshMiddleware:
    """Push a signed-in session's idle deadline back at most once a minute.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) costs an
    UPDATE and a commit, which waits for the disk, on every page. Saving it when
    the last save is more than ``SESSION_REFRESH_SECONDS`` old keeps the idle
    timeout within that margin (30 minutes of inactivity end a session after 29
    to 30 minutes) for one write a minute per active user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            refreshed_at = request.session.get(REFRESHED_AT_SESSION_KEY, 0)
            if now - refreshed_at >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_AT_SESSION_KEY] = now  # marks the session modified: saved on the way out
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speak the signed-in user's own language when they have chosen one.

    Django's ``LocaleMiddleware`` (earlier in the chain, before the user is known)
    picks a language from the language cookie or the browser's Accept-Language;
    a user's profile setting overrides both. ``LocaleMiddleware`` then labels the
    response with whatever is active on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Whether the signed-in user had two-step sign-in set up when they signed in (set at
# sign-in by stakeholders.signals, kept current by the two-step views), so that the
# many users without it cost no query per request.
TWO_STEP_SESSION_KEY = "_two_step"

# What a user who still owes the second step may open: the second step itself, setting it
# up, signing out, the language switch, and what is public anyway (health check, the web
# app manifest and service worker, which must never answer with a redirect).
SECOND_STEP_OPEN_VIEWS = frozenset(
    {
        "stakeholders:mfa_verify",
        "stakeholders:mfa_recovery",
        "stakeholders:mfa_enrol",
        "stakeholders:language_set",
        "logout",
        "healthz",
        "manifest",
        "service_worker",
    }
)
SECOND_STEP_OPEN_PATHS = frozenset({"/favicon.ico"})


def with_next(url: str, next_url: str) -> str:
    """``url?next=next_url``, keeping slashes readable as Django's sign-in redirect does."""
    query = QueryDict(mutable=True)
    query[REDIRECT_FIELD_NAME] = next_url
    return f"{url}?{query.urlencode(safe='/')}"


def second_step_owed(request) -> str | None:
    """What a signed-in request still owes: "verify" (enter a code), "enrol" (an admin
    without two-step sign-in sets it up), or None."""
    user = request.user
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return None
    has_device = request.session.get(TWO_STEP_SESSION_KEY)
    if has_device is None:  # a session begun before two-step sign-in existed
        has_device = request.session[TWO_STEP_SESSION_KEY] = mfa_is_enabled(user)
    if has_device:
        return "verify"
    if user.has_role(Role.ADMIN):
        return "enrol"
    return None


class SecondStepMiddleware:
    """Send a signed-in user who owes the second step to it before any other page.

    Admins must use two-step sign-in: one without it is sent to set it up, one with it
    to enter a code. Anyone else who has set it up enters a code at each sign-in. Goes
    after django-otp's OTPMiddleware, which tells whether this session passed the step.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owed = second_step_owed(request)
        request.second_step_owed = owed
        if owed is None or self._open(request):
            return self.get_response(request)
        url = reverse("stakeholders:mfa_verify" if owed == "verify" else "stakeholders:mfa_enrol")
        if request.method in ("GET", "HEAD"):
            url = with_next(url, request.get_full_path())
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(url)  # a whole page, not the step inside a fragment
        return redirect(url)

    @staticmethod
    def _open(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL) or request.path_info in SECOND_STEP_OPEN_PATHS:
            return True
        try:
            return resolve(request.path_info).view_name in SECOND_STEP_OPEN_VIEWS
        except Resolver404:
            return False
