"""Retention: how long each kind of record is kept, and what each clean-up removed.

An admin sets the windows (one row, pk 1); a nightly task deletes what has
outlived them (``engagements.services.retention``) and writes a ``RetentionRun``.
0 days means "keep forever". Each window has a floor, so that a slip of the
keyboard cannot empty a table: the security log keeps at least a year, for
investigations that look back over a year; the rest keep at least 30 days,
enough to notice a mistake (a draft closed by accident, a token revoked by
the wrong person) before the record is gone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .accounts import TimeStampedModel

KEEP_FOREVER = 0
MAX_RETENTION_DAYS = 3650  # ten years
SECURITY_LOG_MIN_DAYS = 365
RECORD_MIN_DAYS = 30


@deconstructible
class RetentionDaysValidator:
    """0 (keep forever), or a number of days from ``floor`` to MAX_RETENTION_DAYS."""

    def __init__(self, floor: int) -> None:
        self.floor = floor

    def __call__(self, value: int) -> None:
        if value != KEEP_FOREVER and not self.floor <= value <= MAX_RETENTION_DAYS:
            raise ValidationError(
                _("Enter 0 to keep these records forever, or a number of days from %(floor)s to %(ceiling)s."),
                code="retention_days_out_of_range",
                params={"floor": self.floor, "ceiling": MAX_RETENTION_DAYS},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RetentionDaysValidator) and other.floor == self.floor

    def __hash__(self) -> int:
        return hash(self.floor)


def _days_field(verbose_name, *, default: int, floor: int, help_text) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[RetentionDaysValidator(floor)], help_text=help_text
    )


def _days_in_range(field: str, floor: int) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{field: KEEP_FOREVER}) | Q(**{f"{field}__gte": floor, f"{field}__lte": MAX_RETENTION_DAYS}),
        name=f"retention_{field}_in_range",
    )


class RetentionSettings(TimeStampedModel):
    """How many days each kind of record is kept (0: forever). One row (pk 1)."""

    security_log_days = _days_field(
        _("security log (days)"),
        default=730,
        floor=SECURITY_LOG_MIN_DAYS,
        help_text=_("Security events older than this are deleted. At least 365 days; 0 keeps them forever."),
    )
    draft_engagement_days = _days_field(
        _("unfinished drafts (days)"),
        default=90,
        floor=RECORD_MIN_DAYS,
        help_text=_(
            "Quick-log drafts nobody has changed for this long are deleted. At least 30 days; 0 keeps them forever."
        ),
    )
    closed_followup_days = _days_field(
        _("done and dismissed follow-ups (days)"),
        default=365,
        floor=RECORD_MIN_DAYS,
        help_text=_(
            "Follow-ups closed this long ago are deleted; open and snoozed ones are always kept. "
            "At least 30 days; 0 keeps them forever."
        ),
    )
    api_token_expired_days = _days_field(
        _("expired and revoked API tokens (days)"),
        default=90,
        floor=RECORD_MIN_DAYS,
        help_text=_(
            "API tokens that stopped working this long ago are deleted. At least 30 days; 0 keeps them forever."
        ),
    )

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="retention_settings_single_row"),
            _days_in_range("security_log_days", SECURITY_LOG_MIN_DAYS),
            _days_in_range("draft_engagement_days", RECORD_MIN_DAYS),
            _days_in_range("closed_followup_days", RECORD_MIN_DAYS),
            _days_in_range("api_token_expired_days", RECORD_MIN_DAYS),
        ]

    def __str__(self) -> str:
        return str(_("Retention settings"))

    @classmethod
    def current(cls) -> RetentionSettings:
        """The settings row, or the defaults when no admin has saved any yet (nothing is written)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class RetentionRun(models.Model):
    """One clean-up: when it ran, the windows it applied and how many records of each kind it removed."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now, db_index=True)
    #: {kind: days kept (0: forever)}, as the settings stood when the run started.
    windows = models.JSONField(_("windows (days)"), default=dict)
    #: {kind: number of records deleted}
    removed = models.JSONField(_("removed"), default=dict)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
        help_text=_("Empty when the nightly task ran it."),
    )

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {self.total}"

    @property
    def total(self) -> int:
        return sum(self.removed.values())
