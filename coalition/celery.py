"""The one Celery app. Tasks are discovered in each app's ``tasks.py``; the beat
schedule is defined here and nowhere else (django-celery-beat stores it in the
database so admins can change times)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

app = Celery("coalition")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "sessions-clear-expired": {
        "task": "stakeholders.tasks.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=15),
    },
    # Reminders: the scan's time is set by an admin (ReminderSettings.scan_time); beat puts
    # this default in the database on start and engagements.receivers re-applies the admin's time.
    "reminders-scan": {
        "task": "engagements.tasks.reminders_scan",
        "schedule": crontab(hour=6, minute=0),
    },
    "reminders-digests-send": {
        "task": "engagements.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # Digests whose sender died or failed: sent again once their five-minute lease has run out.
    "reminders-digests-retry": {
        "task": "engagements.tasks.digests_retry",
        "schedule": crontab(minute="*/5"),
    },
    # The equity dashboard's figures (a materialized summary): at most ten minutes old.
    "equity-reach-refresh": {
        "task": "engagements.tasks.equity_reach_refresh",
        "schedule": crontab(minute="*/10"),
    },
    # Retention: delete what has outlived the admin-set windows (RetentionSettings), at night.
    "retention-apply": {
        "task": "engagements.tasks.retention_apply",
        "schedule": crontab(hour=2, minute=30),
    },
}
