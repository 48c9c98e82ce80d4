from celery import shared_task
from django.contrib.sessions.management.commands.clearsessions import Command as ClearSessions


@shared_task(name="stakeholders.tasks.sessions_clear_expired")
def sessions_clear_expired() -> None:
    """Delete expired sessions. Idempotent: a second run finds nothing to delete."""
    ClearSessions().handle()
