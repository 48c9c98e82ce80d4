"""The username django-axes counts failed sign-ins against.

Django's sign-in forms validate the username's length only in the browser
(``AuthenticationForm`` sets ``max_length`` after the field is built, so no
validator checks it), and axes may read the raw POST value before any form has
cleaned it. Either way an over-long or NUL-bearing username would reach axes'
``varchar(255)`` columns and fail with a database error (a 500) instead of a
failed sign-in. This keeps what axes stores within its columns.
"""

from __future__ import annotations

from django.conf import settings

# axes.models.AccessAttempt.username and AccessFailureLog.username are varchar(255).
AXES_USERNAME_MAX_LENGTH = 255


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The submitted username, without NUL characters and cut to what axes can store."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "")[:AXES_USERNAME_MAX_LENGTH]
