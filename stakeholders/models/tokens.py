"""Personal API tokens: a user's key to the API, shown once and stored only as a hash."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import TimeStampedModel


def token_digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex. A token is 256 random bits, so a
    plain hash (no salt, no stretching) cannot be reversed, and lookups stay one index probe."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """One personal API token. The token itself exists only in the answer that created it."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “311 sync”."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, to tell tokens apart on the profile page.
    prefix = models.CharField(max_length=12, editable=False)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
