"""Writes for follow-ups: by hand, by the reminder rules, the digest, and handovers."""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr

import pghistory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalition.models import AllyStance
from coalition.services import stance_owner_transfer
from stakeholders.models import Relationship, User

from .. import reminders
from ..models import Cohort, Commitment, DigestPreference, FollowUp, Handover, ReminderSettings
from ..models.followups import DigestEmail

logger = logging.getLogger(__name__)

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
#
# Each follow-up is emailed exactly once, through an outbox of ``DigestEmail`` rows:
#
# 1. Compose, in one transaction: create an outbox row, claim the user's unclaimed
#    follow-ups for it with a conditional UPDATE (two composers get disjoint sets), render
#    the email into the row, and hold a lease on the row (``DIGEST_LEASE_SECONDS``).
# 2. Send: the lease holder sends the stored message with the row's fixed Message-ID.
# 3. Mark, in a second transaction: ``sent_at`` on the row, ``emailed_at`` on its follow-ups.
#
# A sender that dies anywhere before 3 (SIGKILL, out of memory, a time limit) leaves the row
# unsent. Once its lease has run out, ``digest_emails_retry`` (beat, every five minutes, and
# first thing in the daily run) takes a new lease with a conditional UPDATE, so two senders
# never hold one row at once, and sends the same stored message again. So every follow-up is
# in exactly one email, and every email is sent until it is marked sent.
#
# What this cannot promise: a sender that dies after the mail server accepted the message and
# before step 3 makes the retry send it a second time. That copy carries the same Message-ID,
# so mail stores and clients that collapse duplicates by Message-ID (Gmail, many clients, the
# crash test's sink) show one message; one that does not shows two. SMTP offers no way to
# do better: the server's "accepted" and our "marked sent" cannot be one atomic step. A
# sender slower than its lease (a mail server that hangs) can cause the same repeat, so keep
# ``EMAIL_TIMEOUT`` well under the lease.

#: How long a sender may take to send one digest before another sender may take it over.
DIGEST_LEASE_SECONDS = 300
#: How many unsent digests one retry run takes on, so that it ends within its time limit.
DIGEST_RETRY_BATCH = 200
_SEND_ERRORS = (smtplib.SMTPException, OSError)


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "DIGEST_LEASE_SECONDS", DIGEST_LEASE_SECONDS))


def _lease_expired(now: datetime.datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)


def _message_id(token: uuid.UUID) -> str:
    """The same for every attempt at one email, whichever worker (and host name) sends it."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "coalition.invalid"
    return f"<digest.{token.hex}@{domain}>"


def _claim(email: DigestEmail, ids: list[int]) -> list[int]:
    """Put the rows ``ids`` not yet in any email into ``email``: ``UPDATE ... RETURNING id``.

    Two composers racing each get a disjoint set, so a follow-up is in at most one email."""
    if not ids:
        return []
    table = connection.ops.quote_name(FollowUp._meta.db_table)
    unclaimed = "digest_email_id IS NULL AND emailed_at IS NULL"
    with connection.cursor() as cursor:
        # Lock in id order so two claims of overlapping rows wait for each other instead of deadlocking.
        cursor.execute(
            f"UPDATE {table} SET digest_email_id = %s WHERE {unclaimed} AND id IN ("  # noqa: S608  # nosec B608
            f"SELECT id FROM {table} WHERE id = ANY(%s) AND {unclaimed} ORDER BY id FOR UPDATE"
            ") RETURNING id",
            [email.pk, ids],
        )
        return [row[0] for row in cursor.fetchall()]


def digest_email_compose(*, user: User, now: datetime.datetime | None = None) -> DigestEmail | None:
    """Put ``user``'s follow-ups that are in no email yet into a new outbox row, rendered, and
    hold the lease to send it. ``None`` when there is nothing to send or the digest is off.

    One transaction: a composer that dies leaves no trace, and its follow-ups stay unclaimed."""
    now = now or timezone.now()
    preference = DigestPreference.objects.filter(user=user).first()
    if not user.is_active or not user.email or (preference is not None and not preference.email_digest):
        return None
    today = timezone.localdate(now)
    with transaction.atomic():
        candidates = list(
            FollowUp.objects.filter(user=user, digest_email=None, emailed_at=None)
            .actionable(today)
            .values_list("id", flat=True)
        )
        if not candidates:
            return None
        token = uuid.uuid4()
        email = DigestEmail.objects.create(
            user=user,
            token=token,
            message_id=_message_id(token),
            to=user.email,
            lease_expires_at=now + _lease(),
            attempts=1,
        )
        claimed = _claim(email, candidates)
        if not claimed:  # a parallel composer took them all
            email.delete()
            return None
        followups = list(FollowUp.objects.filter(pk__in=claimed).order_by("due_on", "pk"))
        context = {"user": user, "followups": followups, "site_url": settings.SITE_URL, "today": today}
        with translation.override(user.email_language):  # the reader's language, not the worker's
            email.subject = ngettext(
                "Coalition: %(count)s new follow-up", "Coalition: %(count)s new follow-ups", len(followups)
            ) % {"count": len(followups)}
            email.body = render_to_string("emails/followup_digest.txt", context)
            email.html = render_to_string("emails/followup_digest.html", context)
        email.save(update_fields=["subject", "body", "html", "updated_at"])
        DigestPreference.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    return email


def _deliver(email: DigestEmail) -> None:
    """Send the stored message (the caller holds the lease), then mark it and its follow-ups sent."""
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, to=[email.to], headers={"Message-ID": email.message_id}
    )
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except _SEND_ERRORS as error:
        DigestEmail.objects.filter(pk=email.pk).update(last_error=str(error)[:2000], updated_at=timezone.now())
        raise
    sent_at = timezone.now()
    with transaction.atomic():
        DigestEmail.objects.filter(pk=email.pk, sent_at=None).update(
            sent_at=sent_at, lease_expires_at=None, last_error="", updated_at=sent_at
        )
        FollowUp.objects.filter(digest_email=email, emailed_at=None).update(emailed_at=sent_at)


def followups_send_digest(*, user: User, now: datetime.datetime | None = None) -> int:
    """Email ``user`` the follow-ups that are new since their last digest; returns how many.

    Nothing is sent when there is nothing new, when the user has no email address or is
    inactive, or when they turned the digest off. Each follow-up goes into exactly one email;
    if this sender dies or the mail server fails, ``digest_emails_retry`` sends that email
    once the lease has run out. Do not call it inside a transaction: the claim must commit
    before the email goes out."""
    email = digest_email_compose(user=user, now=now)
    if email is None:
        return 0
    _deliver(email)
    return email.followups.count()


def _lease_take(pk: int, now: datetime.datetime) -> DigestEmail | None:
    """Take the lease of an unsent outbox row whose lease has run out, or ``None`` if another
    sender holds it or it has gone. The conditional UPDATE lets only one sender win."""
    taken = DigestEmail.objects.filter(_lease_expired(now), pk=pk, sent_at=None).update(
        lease_expires_at=now + _lease(), attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return DigestEmail.objects.filter(pk=pk).first() if taken else None


def digest_emails_retry(*, now: datetime.datetime | None = None) -> int:
    """Send the digests whose sender died or failed before marking them sent; returns how many.

    Only rows whose lease has run out, so an email being sent right now is left to its
    sender; each row is leased just before it is sent. Idempotent."""
    now = now or timezone.now()
    pending = list(
        DigestEmail.objects.filter(_lease_expired(now), sent_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)[:DIGEST_RETRY_BATCH]
    )
    sent = 0
    for pk in pending:
        email = _lease_take(pk, now)
        if email is None:
            continue
        try:
            _deliver(email)
        except _SEND_ERRORS:
            logger.exception("Digest email %s failed; it will be retried after its lease.", email.message_id)
            continue
        sent += 1
    return sent


def users_due_a_digest(*, today: datetime.date) -> QuerySet[User]:
    """Active users with an email address, the digest on, and something in no email yet."""
    waiting = FollowUp.objects.filter(digest_email=None, emailed_at=None).actionable(today).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=waiting)
        .exclude(email="")
        .exclude(digest_preference__email_digest=False)
        .order_by("pk")
    )


def followups_send_digests(*, now: datetime.datetime | None = None) -> int:
    """Send the daily digest to everyone who has something new, after the digests left
    unsent by an earlier run; returns how many emails went."""
    now = now or timezone.now()
    sent = digest_emails_retry(now=now)
    for user in users_due_a_digest(today=timezone.localdate(now)):
        try:
            sent += bool(followups_send_digest(user=user, now=now))
        except _SEND_ERRORS:
            logger.exception("The digest for user %s failed; it will be retried after its lease.", user.pk)
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
    # The successor gets their own digest of them.
    FollowUp.objects.filter(pk__in=ids).update(user=to_user, digest_email=None, emailed_at=None, updated_at=now)
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


def _move_cohorts(from_user: User, to_user: User, by: User) -> list[int]:
    """The cohorts the departed user coordinates get the successor as coordinator instead,
    so the pipeline's reminders keep reaching someone."""
    through = Cohort.coordinators.through
    ids = list(through.objects.filter(user=from_user).order_by("cohort_id").values_list("cohort_id", flat=True))
    through.objects.bulk_create(
        [through(cohort_id=cohort_id, user_id=to_user.pk) for cohort_id in ids], ignore_conflicts=True
    )
    through.objects.filter(user=from_user).delete()
    return ids


def _cohort_coordinators() -> QuerySet:
    return Cohort.coordinators.through.objects.values("user_id")


#: What a handover moves, in order.
HANDOVER_STEPS: list[HandoverStep] = [
    HandoverStep("followups", gettext_lazy("Open follow-ups"), _move_followups, _open_followup_owners),
    HandoverStep("relationships", gettext_lazy("Owned relationships"), _move_relationships, _relationship_owners),
    HandoverStep("commitments", gettext_lazy("Open commitments"), _move_commitments, _open_commitment_owners),
    HandoverStep("stances", gettext_lazy("Ally stances"), _move_stances, _stance_owners),
    HandoverStep("cohorts", gettext_lazy("Fellows cohorts coordinated"), _move_cohorts, _cohort_coordinators),
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
