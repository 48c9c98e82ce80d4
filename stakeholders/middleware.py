from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
