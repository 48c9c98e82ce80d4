"""Celery tasks of the engagements app: each takes ids and calls one service."""

from celery import shared_task
from django.utils import timezone

from stakeholders.models import User

from .services import equity as equity_services
from .services import followups as services


@shared_task(name="engagements.tasks.reminders_scan", soft_time_limit=240, time_limit=300)
def reminders_scan() -> dict[str, int]:
    """Run every reminder rule (daily, at the admin-set time). Idempotent."""
    return services.followups_scan_all(today=timezone.localdate())


@shared_task(name="engagements.tasks.digests_send", soft_time_limit=540, time_limit=600)
def digests_send() -> int:
    """Email each user the follow-ups that are new since their last digest (daily), after
    the digests an earlier run left unsent."""
    return services.followups_send_digests()


@shared_task(name="engagements.tasks.digest_send", soft_time_limit=50, time_limit=60)
def digest_send(user_id: int) -> int:
    """Email one user their new follow-ups now. Each follow-up goes into exactly one email."""
    user = User.objects.filter(pk=user_id).first()
    return services.followups_send_digest(user=user) if user else 0


@shared_task(name="engagements.tasks.digests_retry", soft_time_limit=240, time_limit=280)
def digests_retry() -> int:
    """Send the digests a dead or failed sender left unsent, once their lease has run out
    (every five minutes). Idempotent: a digest marked sent is never sent again."""
    return services.digest_emails_retry()


@shared_task(name="engagements.tasks.followups_turnover", soft_time_limit=50, time_limit=60)
def followups_turnover(tenure_id: int) -> int:
    """Turnover follow-ups for one tenure that ended or was replaced, right after the change."""
    return services.followups_turnover(tenure_ids=[tenure_id])


@shared_task(name="engagements.tasks.followups_staff_turnover", soft_time_limit=50, time_limit=60)
def followups_staff_turnover(user_id: int) -> int:
    """Ask the admins to hand over a deactivated user's work."""
    return services.followups_staff_turnover(user_ids=[user_id])


@shared_task(name="engagements.tasks.equity_reach_refresh", soft_time_limit=240, time_limit=300)
def equity_reach_refresh() -> None:
    """Bring the equity dashboard's figures up to date (idempotent)."""
    equity_services.equity_reach_refresh()


@shared_task(name="engagements.tasks.retention_apply", soft_time_limit=840, time_limit=900)
def retention_apply() -> dict[str, int]:
    """Delete the records that have outlived the admin-set retention windows (nightly).
    Idempotent; returns how many records of each kind went. Batches already deleted stay
    deleted if the time limit cuts a first, very large run short; the next run goes on."""
    from .services import retention as retention_services  # imported here: one edit to a shared module

    return retention_services.retention_apply().removed
