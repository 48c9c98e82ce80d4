"""Write to the security log. Never pass passwords, payee references or other
secrets in ``detail``: only ids, names of things and counts."""

from __future__ import annotations

import functools
from contextvars import ContextVar

from django.db import models

from .models import SecurityEvent

Action = SecurityEvent.Action

# The request being served, so that services (which take no request) can still
# record the client's address. Set by SecurityLogRequestMiddleware.
_current_request: ContextVar = ContextVar("security_log_request", default=None)


class SecurityLogRequestMiddleware:
    """Make the current request available to security_event_record called from services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


# Keys that must never reach the log, whatever a caller passes.
_FORBIDDEN_DETAIL_KEYS = {"password", "password1", "password2", "new_password1", "new_password2", "payee_reference"}


def client_address(request) -> str | None:
    """The client's address as django-axes resolved it (honours PROXY_COUNT), else REMOTE_ADDR."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    action: str,
    request=None,
    actor=None,
    obj: models.Model | None = None,
    username: str = "",
    detail: dict | None = None,
) -> SecurityEvent:
    """Append one event to the security log."""
    request = request if request is not None else _current_request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    clean_detail = {key: value for key, value in (detail or {}).items() if key not in _FORBIDDEN_DETAIL_KEYS}
    return SecurityEvent.objects.create(
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=(request.path if request is not None else "")[:500],
        ip_address=client_address(request),
        detail=clean_detail,
    )


def logs_export(name: str):
    """Decorate a CSV export view: each successful download is written to the log."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                detail = {"export": name, "query": request.GET.urlencode()[:500]}
                detail.update({key: str(value) for key, value in kwargs.items()})
                security_event_record(action=Action.EXPORTED, request=request, detail=detail)
            return response

        return wrapper

    return decorate
