from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .middleware import LOGIN_AT_SESSION_KEY, TWO_STEP_SESSION_KEY
from .security_log import Action, security_event_record
from .services.mfa import mfa_is_enabled


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    """Start the absolute session clock (see SessionAbsoluteTimeoutMiddleware)."""
    request.session[LOGIN_AT_SESSION_KEY] = int(timezone.now().timestamp())


@receiver(user_logged_in)
def remember_two_step(sender, request, user, **kwargs):
    """Note whether this sign-in owes a second step (see SecondStepMiddleware), so that users
    without two-step sign-in cost no query on each request."""
    request.session[TWO_STEP_SESSION_KEY] = mfa_is_enabled(user)


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_event_record(action=Action.LOGIN_SUCCEEDED, request=request, actor=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(action=Action.LOGGED_OUT, request=request, actor=user)


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    # credentials holds the password too: only the username may be kept.
    security_event_record(
        action=Action.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))[:150]
    )


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event_record(action=Action.LOCKED_OUT, request=request, username=str(username or "")[:150])
