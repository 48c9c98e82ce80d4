"""Retention: delete the records that have outlived the admin-set windows, and say what went.

The windows live in ``stakeholders.RetentionSettings`` (0 days: keep forever). Each
kind is deleted in batches of ``BATCH_SIZE`` rows, one short transaction per batch,
so that a first run over years of records neither holds locks for long nor builds
one huge transaction. Every run, whoever starts it, writes a ``RetentionRun`` with
the count per kind; a run right after another removes nothing and says so.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import pghistory.models
import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stakeholders.models import ApiToken, RetentionRun, RetentionSettings, SecurityEvent, User
from stakeholders.models.retention import KEEP_FOREVER

from ..models import Engagement, FollowUp, PaymentEngagement

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# The security log refuses DELETE (a trigger); retention is the one writer allowed past it.
SECURITY_LOG_APPEND_ONLY = "stakeholders.SecurityEvent:security_event_append_only"


def _expired_security_events(cutoff: datetime.datetime) -> models.QuerySet:
    return SecurityEvent.objects.filter(occurred_at__lt=cutoff)


def _expired_drafts(cutoff: datetime.datetime) -> models.QuerySet:
    # A draft someone changed within the window is kept. A draft already linked to a stipend
    # payment is kept too: the link protects it, and the payment's record must stay whole.
    linked_to_payment = PaymentEngagement.objects.filter(engagement=OuterRef("pk"))
    return Engagement.objects.filter(status=Engagement.Status.DRAFT, updated_at__lt=cutoff).filter(
        ~Exists(linked_to_payment)
    )


def _expired_followups(cutoff: datetime.datetime) -> models.QuerySet:
    # Only closed ones: an open or snoozed follow-up is work still to do, however old.
    return (
        FollowUp.objects.filter(status__in=[FollowUp.Status.DONE, FollowUp.Status.DISMISSED])
        .alias(closed_at=Coalesce("completed_at", "updated_at"))
        .filter(closed_at__lt=cutoff)
    )


def _expired_api_tokens(cutoff: datetime.datetime) -> models.QuerySet:
    # A token stopped working when it was revoked or when it expired, whichever came first.
    return ApiToken.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))


@dataclass(frozen=True)
class RetentionKind:
    key: str  # the key in RetentionRun.windows and .removed
    setting: str  # the RetentionSettings field with its window in days
    label: str | Promise
    expired: Callable[[datetime.datetime], models.QuerySet]
    ignore_triggers: tuple[str, ...] = ()


RETENTION_KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        "security_log",
        "security_log_days",
        _("Security log entries"),
        _expired_security_events,
        ignore_triggers=(SECURITY_LOG_APPEND_ONLY,),
    ),
    RetentionKind("draft_engagements", "draft_engagement_days", _("Unfinished drafts"), _expired_drafts),
    RetentionKind("closed_followups", "closed_followup_days", _("Done and dismissed follow-ups"), _expired_followups),
    RetentionKind("api_tokens", "api_token_expired_days", _("Expired and revoked API tokens"), _expired_api_tokens),
)


def retention_apply(*, now: datetime.datetime | None = None, actor: User | None = None) -> RetentionRun:
    """Delete every record older than its kind's retention window and record the run.

    ``now`` is the moment the windows count back from (default: now); ``actor`` is
    the admin who pressed "Apply now", or None for the nightly task. Kinds whose
    window is 0 are kept forever. Idempotent: what is left is all within its
    window, so a second run removes nothing (and records zeros). The pghistory
    events of a deleted follow-up go with it, so that no history outlives its record.
    """
    now = now or timezone.now()
    started = time.monotonic()
    config = RetentionSettings.current()
    windows = {kind.key: getattr(config, kind.setting) for kind in RETENTION_KINDS}
    removed = {}
    for kind in RETENTION_KINDS:
        days = windows[kind.key]
        if days == KEEP_FOREVER:
            removed[kind.key] = 0
            continue
        expired = kind.expired(now - datetime.timedelta(days=days))
        # pgtrigger.ignore() with no names would let every trigger go: name them, or ignore none.
        with pgtrigger.ignore(*kind.ignore_triggers) if kind.ignore_triggers else contextlib.nullcontext():
            removed[kind.key] = _delete_in_batches(expired)
    run = RetentionRun.objects.create(
        ran_at=now,
        windows=windows,
        removed=removed,
        duration_ms=round((time.monotonic() - started) * 1000),
        triggered_by=actor,
    )
    logger.info("Retention run %s removed %s", run.pk, removed)
    return run


def _delete_in_batches(expired: models.QuerySet) -> int:
    """Delete the rows of ``expired`` (and what cascades from them), BATCH_SIZE at a time.

    Returns how many rows of ``expired``'s model went. Each batch is one transaction;
    the loop stops at the first batch that is not full, so it ends even while other
    writers add rows."""
    model = expired.model
    history_models = _history_models(model)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(expired.order_by().values_list("pk", flat=True)[:BATCH_SIZE])
            if not ids:
                break
            _deleted, per_model = model.objects.filter(pk__in=ids).delete()
            for history_model in history_models:
                history_model.objects.filter(pgh_obj_id__in=ids).delete()
        total += per_model.get(model._meta.label, 0)
        if len(ids) < BATCH_SIZE:
            break
    return total


def _history_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The pghistory event models that track ``model`` (their rows point at it without a constraint)."""
    return [
        relation.related_model
        for relation in model._meta.related_objects
        if issubclass(relation.related_model, pghistory.models.Event) and relation.field.name == "pgh_obj"
    ]


def retention_settings_update(*, actor: User, values: dict[str, int]) -> RetentionSettings:
    """Set the retention windows (the one settings row); the next run applies them.

    ``values`` maps RetentionSettings field names to days (0: keep forever). ``actor``
    is the admin making the change; the row keeps no author, so it is not stored."""
    fields = {kind.setting for kind in RETENTION_KINDS}
    unknown = set(values) - fields
    if unknown:
        raise ValidationError(_("Unknown retention setting: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    config = RetentionSettings.current()
    for name, value in values.items():
        setattr(config, name, value)
    config.full_clean(exclude=["created_at", "updated_at"], validate_unique=False)
    with transaction.atomic():
        config, _created = RetentionSettings.objects.update_or_create(
            pk=1, defaults={name: getattr(config, name) for name in fields}
        )
    return config
