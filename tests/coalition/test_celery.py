"""Celery: tasks run through a real worker on Redis."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from stakeholders.models import UserSession
from stakeholders.tasks import sessions_clear_expired


@pytest.mark.django_db
def test_clearing_sessions_is_idempotent():
    """The session clean-up deletes expired sessions only, and a second run changes nothing."""
    UserSession.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    UserSession.objects.create(session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1))
    sessions_clear_expired.apply()
    sessions_clear_expired.apply()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["new"]


def _database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{host}{port}/{db['NAME']}"


@pytest.fixture
def real_worker():
    """A Celery worker process on its own queue, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "coalition", "worker", "--pool=solo", "-Q", queue, "--loglevel=warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.celery_worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL to run a real worker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task(real_worker):
    """A task sent to Redis is picked up by a worker process and changes the database."""
    UserSession.objects.create(session_key="stale", session_data="", expire_date=timezone.now() - timedelta(days=1))
    result = sessions_clear_expired.apply_async(queue=real_worker)
    result.get(timeout=60)
    assert not UserSession.objects.filter(session_key="stale").exists()
