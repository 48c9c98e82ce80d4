"""Who is calling the API: a personal token (``Authorization: Bearer coa_…``) or the browser session.

A token is looked up by its SHA-256 (one index probe); its user is loaded as every
signed-in request loads one (roles and permissions in one query), and must be active,
so deactivating a user stops their tokens at once. Each use goes to the security log.
Read-only tokens may not write. Calls are rate-limited per token (per user for sessions).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from ..auth_backend import RoleAwareModelBackend
from ..models import ApiToken
from ..models.tokens import token_digest
from ..services.tokens import api_token_use


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        token = parts[1].decode("latin-1")
        row = ApiToken.objects.filter(digest=token_digest(token)).first()
        user = RoleAwareModelBackend().get_user(row.user_id) if row is not None and row.is_active else None
        if user is None:  # unknown, revoked, expired, or its user deactivated
            raise exceptions.AuthenticationFailed(
                _("This token does not work: it is unknown, revoked or expired, or its user is deactivated.")
            )
        row.user = user
        api_token_use(token=row, request=request)
        return user, row

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CsrfSessionAuthentication(SessionAuthentication):
    """The browser's session, for same-site calls; unsafe methods need the CSRF token."""


class TokenScope(permissions.BasePermission):
    """A read-only token reads; only a read-and-write token (or a session) writes."""

    message = _("This token is read-only. Create a read-and-write token to change data.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return True
        return request.auth.may_write


class PerTokenRateThrottle(throttling.SimpleRateThrottle):
    """``settings.API_RATE_LIMIT`` calls per token (per user with a session); 429 with Retry-After beyond."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        self.rate = self.get_rate()  # read on each call, so settings overrides apply
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
