from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
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
