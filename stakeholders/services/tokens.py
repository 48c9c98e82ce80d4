"""Writes for personal API tokens: create (shown once), revoke, and record each use."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken, User
from ..models.tokens import token_digest
from ..security_log import Action, security_event_record

TOKEN_PREFIX = "coa_"  # noqa: S105  (a marker that tells a Coalition token apart, not a secret)
MAX_LIFETIME_DAYS = 365
# Each use updates ``last_used_at`` at most this often: the security log has every use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def api_token_create(
    *, user: User, name: str, scope: str = ApiToken.Scope.READ, lifetime_days: int = 90
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the token, which is never stored or shown again."""
    if not user.is_active:
        raise ValidationError(_("A deactivated user cannot have API tokens."))
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValidationError(
            {"lifetime_days": _("A token lasts from 1 to %(max)s days.") % {"max": MAX_LIFETIME_DAYS}}
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken(
            user=user,
            name=name.strip(),
            digest=token_digest(token),
            prefix=token[: len(TOKEN_PREFIX) + 6],
            scope=scope,
            expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
        )
        row.full_clean(exclude=["digest", "prefix"])
        row.save()
        security_event_record(
            action=Action.API_TOKEN_CREATED, actor=user, obj=row, detail={"scope": scope, "days": lifetime_days}
        )
    return row, token


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop ``token`` from working, at once. Revoking twice changes nothing the second time."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            security_event_record(action=Action.API_TOKEN_REVOKED, actor=by, obj=token)
        token.refresh_from_db(fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of ``user`` (when they are deactivated); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_use(*, token: ApiToken, request) -> None:
    """Record one use of ``token``: a security log entry, and ``last_used_at`` once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    security_event_record(
        action=Action.API_TOKEN_USED,
        request=request,
        actor=token.user,
        obj=token,
        detail={"method": request.method, "scope": token.scope},
    )
