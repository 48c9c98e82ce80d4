"""The security log: who did what sensitive thing, to which record, when, from where.

Rows are append-only: the app has no page that edits them, and a database
trigger refuses UPDATE and DELETE, so not even a bug in the app can rewrite it.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN_SUCCEEDED = "login_succeeded", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGGED_OUT = "logged_out", _("Signed out")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        EXPORTED = "exported", _("Exported data")
        PERSON_VIEWED = "person_viewed", _("Viewed a person's record")
        USER_DEACTIVATED = "user_deactivated", _("Deactivated a user")
        STIPEND_CREATED = "stipend_created", _("Created a stipend record")
        STIPEND_APPROVED = "stipend_approved", _("Approved a stipend payment")
        STIPEND_PAID = "stipend_paid", _("Marked a stipend payment paid")
        MFA_ENROLLED = "mfa_enrolled", _("Set up two-step sign-in")
        MFA_REMOVED = "mfa_removed", _("Turned off their own two-step sign-in")
        MFA_RESET = "mfa_reset", _("Reset a user's two-step sign-in")
        MFA_FAILED = "mfa_failed", _("Two-step sign-in code refused")
        MFA_RECOVERY_USED = "mfa_recovery_used", _("Used a recovery code")
        MFA_CODES_REGENERATED = "mfa_codes_regenerated", _("Made new recovery codes")
        API_TOKEN_CREATED = "api_token_created", _("Created an API token")
        API_TOKEN_REVOKED = "api_token_revoked", _("Revoked an API token")
        API_TOKEN_USED = "api_token_used", _("Used an API token")

    occurred_at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too: the log must still say who it was if the account is renamed.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=30, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [
            models.Index(fields=["actor", "-occurred_at"], name="security_event_actor"),
            # The log's username filter is case-insensitive (iexact: UPPER(...) = UPPER(...)).
            models.Index(Upper("actor_username"), name="security_event_username"),
        ]
        triggers = [
            pgtrigger.Protect(name="security_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.get_action_display()}"
