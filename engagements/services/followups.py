"""Writes for follow-ups: by hand, by the reminder rules, the digest, and handovers."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalition.models import AllyStance
from coalition.services import stance_owner_transfer
from stakeholders.models import Relationship, User

from .. import reminders
from ..models import Commitment, DigestPreference, FollowUp, Handover, ReminderSettings

# --- by hand --------------------------------------------------------------------------


def followup_create(*, actor: User, subject: Model, title: str, due_on: datetime.date, notes: str = "") -> FollowUp:
    """A follow-up ``actor`` writes for themselves about ``subject`` (a person, engagement,
    commitment or agreement). The caller fetched ``subject`` through an access helper."""
    with transaction.atomic():
        followup = FollowUp(
            user=actor,
            title=title,
            notes=notes,
            reason=FollowUp.Reason.MANUAL,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            due_on=due_on,
            source=FollowUp.Source.USER,
            created_by=actor,
            cycle=f"manual:{uuid.uuid4().hex}",
        )
        if due_on < timezone.localdate():
            raise ValidationError({"due_on": _("The due date is in the past. Choose today or later.")})
        followup.full_clean()
        followup.save()
    return followup


def _close(followup: FollowUp, status: str) -> FollowUp:
    with transaction.atomic():
        followup.status = status
        followup.snoozed_until = None
        followup.completed_at = timezone.now()
        followup.save(update_fields=["status", "snoozed_until", "completed_at", "updated_at"])
    return followup


def followup_done(*, followup: FollowUp) -> FollowUp:
    """Mark a follow-up done."""
    return _close(followup, FollowUp.Status.DONE)


def followup_dismiss(*, followup: FollowUp) -> FollowUp:
    """Set a follow-up aside without doing it."""
    return _close(followup, FollowUp.Status.DISMISSED)


def followup_snooze(*, followup: FollowUp, until: datetime.date) -> FollowUp:
    """Hide a follow-up until ``until``; it comes back as open on that day."""
    if until <= timezone.localdate():
        raise ValidationError({"snoozed_until": _("Snooze until a day after today.")})
    with transaction.atomic():
        followup.status = FollowUp.Status.SNOOZED
        followup.snoozed_until = until
        followup.completed_at = None
        followup.save(update_fields=["status", "snoozed_until", "completed_at", "updated_at"])
    return followup


# --- by the rules ---------------------------------------------------------------------


def followups_scan_all(*, today: datetime.date | None = None) -> dict[str, int]:
    """Run every reminder rule once; returns how many follow-ups each reason gained.

    Idempotent: a second run (or a parallel one) creates nothing, because each row's
    unique key already exists. The number of queries does not grow with the data.
    """
    today = today or timezone.localdate()
    config = ReminderSettings.load()
    reasons = FollowUp.Reason.values
    before = reminders.count_by_reason(reasons)
    languages = reminders.RecipientLanguages()
    for rule in reminders.RULES:
        reminders.insert_followups(rule(today=today, config=config), languages=languages)
    after = reminders.count_by_reason(reasons)
    counts = {reason: after.get(reason, 0) - before.get(reason, 0) for reason in reasons}
    counts = {reason: n for reason, n in counts.items() if n}
    counts["total"] = sum(counts.values())
    return counts


def followups_turnover(*, tenure_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Rule 3 for just these tenures (a holder left or a successor started). Idempotent."""
    today = today or timezone.localdate()
    return reminders.insert_followups(
        reminders.turnover(today=today, config=ReminderSettings.load(), tenure_ids=tenure_ids)
    )


def followups_staff_turnover(*, user_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Rule 4 for just these users (they were deactivated). Idempotent."""
    today = today or timezone.localdate()
    return reminders.insert_followups(
        reminders.staff_turnover(today=today, config=ReminderSettings.load(), user_ids=user_ids)
    )


# --- the daily digest -----------------------------------------------------------------


def _claim(ids: list[int], now: datetime.datetime) -> list[int]:
    """Claim rows for one email: ``UPDATE ... WHERE emailed_at IS NULL RETURNING id``.

    Two sends racing each get a disjoint set; a row claimed by a send that then dies is
    never emailed again (at most once)."""
    if not ids:
        return []
    table = connection.ops.quote_name(FollowUp._meta.db_table)
    with connection.cursor() as cursor:
        # Lock in id order so two claims of overlapping rows wait for each other instead of deadlocking.
        cursor.execute(
            f"UPDATE {table} SET emailed_at = %s WHERE emailed_at IS NULL AND id IN ("  # noqa: S608  # nosec B608
            f"SELECT id FROM {table} WHERE id = ANY(%s) AND emailed_at IS NULL ORDER BY id FOR UPDATE"
            ") RETURNING id",
            [now, ids],
        )
        return [row[0] for row in cursor.fetchall()]


def followups_send_digest(*, user: User, now: datetime.datetime | None = None) -> int:
    """Email ``user`` the follow-ups that are new since their last digest; returns how many.

    Nothing is sent when there is nothing new, when the user has no email address or is
    inactive, or when they turned the digest off. Each follow-up is emailed at most once.
    """
    now = now or timezone.now()
    preference = DigestPreference.objects.filter(user=user).first()
    if not user.is_active or not user.email or (preference is not None and not preference.email_digest):
        return 0
    today = timezone.localdate(now)
    with transaction.atomic():
        candidates = list(
            FollowUp.objects.filter(user=user, emailed_at__isnull=True).actionable(today).values_list("id", flat=True)
        )
        claimed = _claim(candidates, now)
        if claimed:
            DigestPreference.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    if not claimed:
        return 0
    followups = list(FollowUp.objects.filter(pk__in=claimed).order_by("due_on", "pk"))
    context = {"user": user, "followups": followups, "site_url": settings.SITE_URL, "today": today}
    with translation.override(user.email_language):  # the reader's language, not the worker's
        subject = ngettext(
            "Coalition: %(count)s new follow-up", "Coalition: %(count)s new follow-ups", len(followups)
        ) % {"count": len(followups)}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/followup_digest.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("emails/followup_digest.html", context), "text/html")
    message.send()
    return len(followups)


def users_due_a_digest(*, today: datetime.date) -> QuerySet[User]:
    """Active users with an email address, the digest on, and something not yet emailed."""
    waiting = FollowUp.objects.filter(emailed_at__isnull=True).actionable(today).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=waiting)
        .exclude(email="")
        .exclude(digest_preference__email_digest=False)
        .order_by("pk")
    )


def followups_send_digests(*, now: datetime.datetime | None = None) -> int:
    """Send the daily digest to everyone who has something new; returns how many emails went."""
    now = now or timezone.now()
    sent = 0
    for user in users_due_a_digest(today=timezone.localdate(now)):
        sent += bool(followups_send_digest(user=user, now=now))
    return sent


def digest_preference_set(*, user: User, email_digest: bool) -> DigestPreference:
    """Turn the daily email digest on or off for ``user``."""
    with transaction.atomic():
        preference, _created = DigestPreference.objects.update_or_create(
            user=user, defaults={"email_digest": email_digest}
        )
    return preference


# --- handover -------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverStep:
    """One kind of work that moves when a user leaves.

    ``move(from_user, to_user, by)`` moves it and returns the ids moved (``by`` is the admin
    doing the handover, for history that names who made a change); ``owners()`` is a
    subquery of the user ids that hold such work (the staff-turnover rule uses it)."""

    name: str
    label: object  # a lazy translated string
    move: Callable[[User, User, User], list[int]]
    owners: Callable[[], QuerySet]


def _move_followups(from_user: User, to_user: User, by: User) -> list[int]:
    moving = FollowUp.objects.filter(user=from_user, status__in=[FollowUp.Status.OPEN, FollowUp.Status.SNOOZED])
    # Where the successor already has the same rule, subject and cycle, the unique key
    # forbids a second row: the departed user's copy is dismissed instead of moved.
    successor_has_it = Exists(
        FollowUp.objects.filter(
            user=to_user,
            reason=OuterRef("reason"),
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            cycle=OuterRef("cycle"),
        )
    )
    now = timezone.now()
    moving.filter(successor_has_it).update(status=FollowUp.Status.DISMISSED, completed_at=now, snoozed_until=None)
    ids = list(moving.values_list("id", flat=True))
    FollowUp.objects.filter(pk__in=ids).update(user=to_user, emailed_at=None, updated_at=now)
    return ids


def _open_followup_owners() -> QuerySet:
    return FollowUp.objects.filter(status__in=[FollowUp.Status.OPEN, FollowUp.Status.SNOOZED]).values("user_id")


def _move_relationships(from_user: User, to_user: User, by: User) -> list[int]:
    ids = list(Relationship.objects.filter(owner=from_user).values_list("id", flat=True))
    Relationship.objects.filter(pk__in=ids).update(owner=to_user, updated_at=timezone.now())
    return ids


def _relationship_owners() -> QuerySet:
    return Relationship.objects.exclude(owner=None).values("owner_id")


_CLOSED_COMMITMENT = [Commitment.Status.DONE, Commitment.Status.DECLINED]


def _move_commitments(from_user: User, to_user: User, by: User) -> list[int]:
    """Open commitments change owner; done and declined ones keep who delivered or declined them."""
    ids = list(
        Commitment.objects.filter(owner=from_user).exclude(status__in=_CLOSED_COMMITMENT).values_list("id", flat=True)
    )
    Commitment.objects.filter(pk__in=ids).update(owner=to_user, updated_at=timezone.now())
    return ids


def _open_commitment_owners() -> QuerySet:
    return Commitment.objects.exclude(owner=None).exclude(status__in=_CLOSED_COMMITMENT).values("owner_id")


def _move_stances(from_user: User, to_user: User, by: User) -> list[int]:
    # Through the coalition service, so each stance's history records the new owner.
    return stance_owner_transfer(from_user=from_user, to_user=to_user, changed_by=by, note=_("Handed over"))


def _stance_owners() -> QuerySet:
    return AllyStance.objects.exclude(owner=None).values("owner_id")


#: What a handover moves, in order.
HANDOVER_STEPS: list[HandoverStep] = [
    HandoverStep("followups", gettext_lazy("Open follow-ups"), _move_followups, _open_followup_owners),
    HandoverStep("relationships", gettext_lazy("Owned relationships"), _move_relationships, _relationship_owners),
    HandoverStep("commitments", gettext_lazy("Open commitments"), _move_commitments, _open_commitment_owners),
    HandoverStep("stances", gettext_lazy("Ally stances"), _move_stances, _stance_owners),
]


def users_with_open_work() -> QuerySet:
    """A subquery of the ids of users who hold any work a handover would move."""
    condition = Q()
    for step in HANDOVER_STEPS:
        condition |= Q(pk__in=step.owners())
    return User.objects.filter(condition).values("pk")


def handover_run(*, from_user: User, to_user: User, by: User) -> Handover:
    """Move everything ``from_user`` holds to ``to_user`` in one transaction, and record it.

    The staff-turnover follow-ups about ``from_user`` are marked done for every admin."""
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": _("Choose a successor other than the departed user.")})
    if not to_user.is_active:
        raise ValidationError({"to_user": _("The successor's account is deactivated. Choose an active user.")})
    with transaction.atomic(), pghistory.context(handover_from=from_user.pk, handover_to=to_user.pk, by=by.pk):
        moved = {step.name: step.move(from_user, to_user, by) for step in HANDOVER_STEPS}
        handover = Handover(
            from_user=from_user,
            to_user=to_user,
            performed_by=by,
            counts={name: len(ids) for name, ids in moved.items()},
            moved_ids=moved,
        )
        handover.full_clean()
        handover.save()
        FollowUp.objects.filter(
            reason=FollowUp.Reason.STAFF_TURNOVER,
            content_type=ContentType.objects.get_for_model(User),
            object_id=from_user.pk,
            status__in=[FollowUp.Status.OPEN, FollowUp.Status.SNOOZED],
        ).update(status=FollowUp.Status.DONE, completed_at=timezone.now(), snoozed_until=None)
    return handover


# --- settings -------------------------------------------------------------------------

SCAN_TASK_NAME = "reminders-scan"


def reminder_settings_update(*, config: ReminderSettings, **values) -> ReminderSettings:
    """Change the lead times and scan time; the beat schedule follows after commit."""
    with transaction.atomic():
        for field, value in values.items():
            setattr(config, field, value)
        config.full_clean()
        config.save(update_fields=[*values, "updated_at"])
        transaction.on_commit(reminder_schedule_apply)
    return config


def reminder_schedule_apply() -> None:
    """Point the beat entry of the daily scan at the admin-set time, in the city's time zone.

    Beat overwrites entries from ``beat_schedule`` when it starts, so the receiver of
    ``beat_init`` calls this again (see ``engagements.receivers``)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    config = ReminderSettings.load()
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute=str(config.scan_time.minute),
        hour=str(config.scan_time.hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, created = PeriodicTask.objects.get_or_create(
        name=SCAN_TASK_NAME, defaults={"task": "engagements.tasks.reminders_scan", "crontab": crontab}
    )
    if not created and task.crontab_id != crontab.pk:
        task.crontab = crontab
        task.interval = None
        task.save()  # PeriodicTask.save bumps PeriodicTasks.changed so a running beat reloads
