from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .middleware import LOGIN_AT_SESSION_KEY


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    """Start the absolute session clock (see SessionAbsoluteTimeoutMiddleware)."""
    request.session[LOGIN_AT_SESSION_KEY] = int(timezone.now().timestamp())
