"""Celery tasks and signal receivers of the reminders: after commit, once, end to end."""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from coalition.celery import app as celery_app
from engagements import tasks
from engagements.models import FollowUp
from engagements.services.followups import digest_email_compose
from stakeholders import events
from stakeholders.models import Tenure
from stakeholders.services.accounts import user_deactivate
from tests.coalition.test_celery import _database_url
from tests.engagements.followup_factories import FollowUpFactory, RelationshipFactory, TenureFactory
from tests.stakeholders.factories import UserFactory


@pytest.fixture
def eager_celery():
    """Run tasks in the calling process, as a worker would."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _end(tenure: Tenure, day: datetime.date) -> None:
    """End a tenure the way the tenure services do: update, then send the event on commit."""
    Tenure.objects.filter(pk=tenure.pk).update(actual_end_date=day, end_reason=Tenure.EndReason.RESIGNED)
    tenure.refresh_from_db()
    transaction.on_commit(lambda: events.tenure_ended.send(sender=Tenure, tenure=tenure))


@pytest.mark.django_db
def test_turnover_follow_ups_are_created_after_the_tenure_change_commits(
    eager_celery, django_capture_on_commit_callbacks
):
    """Nothing happens while the transaction is open; once it commits, each owner gets a turnover follow-up."""
    tenure = TenureFactory()
    relationship = RelationshipFactory(person=tenure.person)

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        _end(tenure, datetime.date.today())
    assert not FollowUp.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    followup = FollowUp.objects.get()
    assert (followup.user, followup.reason, followup.cycle) == (relationship.owner, "turnover", f"tenure:{tenure.pk}")


@pytest.mark.django_db
def test_a_new_holder_starting_triggers_turnover_for_the_one_who_left(eager_celery, django_capture_on_commit_callbacks):
    """tenure_started with a previous tenure notifies the owners of relationships with the previous holder."""
    previous = TenureFactory()
    RelationshipFactory(other_person=previous.person)
    # A single seat has one current holder (a database rule): the predecessor leaves first.
    Tenure.objects.filter(pk=previous.pk).update(actual_end_date=previous.start_date, end_reason="replaced")
    successor = TenureFactory(position=previous.position)
    with django_capture_on_commit_callbacks(execute=True):
        events.tenure_started.send(sender=Tenure, tenure=successor, previous=previous)
    assert FollowUp.objects.get().object_id == previous.pk


@pytest.mark.django_db
def test_deactivating_a_user_asks_the_admins_to_hand_over(eager_celery, admin_user, django_capture_on_commit_callbacks):
    """user_deactivate → after commit, every admin has a staff-turnover follow-up about that user."""
    departed = UserFactory(roles=["Coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=departed)
    followup = FollowUp.objects.get()
    assert (followup.user, followup.reason, followup.object_id) == (admin_user, "staff_turnover", departed.pk)


@pytest.mark.django_db
def test_the_digest_task_run_twice_sends_one_email(staff_user):
    """digests_send run twice emails each follow-up once."""
    FollowUpFactory(user=staff_user)
    assert tasks.digests_send.apply().get() == 1
    assert tasks.digests_send.apply().get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_retry_task_sends_a_digest_left_unsent_once(staff_user, time_machine):
    """digests_retry sends a digest whose sender died once its lease has run out, and only once."""
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))
    FollowUpFactory(user=staff_user)
    digest_email_compose(user=staff_user)  # and the sender died
    assert tasks.digests_retry.apply().get() == 0  # the lease still runs
    time_machine.shift(datetime.timedelta(minutes=6))
    assert tasks.digests_retry.apply().get() == 1
    time_machine.shift(datetime.timedelta(minutes=6))
    assert tasks.digests_retry.apply().get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_scan_task_runs_every_rule(staff_user):
    """reminders_scan returns the counts per reason; a second run creates nothing."""
    tenure = TenureFactory(planned_end_date=datetime.date.today() + datetime.timedelta(days=10))
    RelationshipFactory(person=tenure.person, owner=staff_user)
    assert tasks.reminders_scan.apply().get()["total"] == 1
    assert tasks.reminders_scan.apply().get() == {"total": 0}


@pytest.fixture
def real_worker_and_beat(tmp_path):
    """A Celery worker with embedded beat (database scheduler) on its own queue, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coalition",
            "worker",
            "-B",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=warning",
            f"--schedule={tmp_path / 'beat-schedule'}",
        ],
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
def test_a_real_worker_and_beat_deliver_a_follow_up(real_worker_and_beat):
    """Beat fires the scan on the database schedule, the worker runs it, and the follow-up is in the inbox."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    tenure = TenureFactory(planned_end_date=datetime.date.today() + datetime.timedelta(days=10))
    relationship = RelationshipFactory(person=tenure.person)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=f"scan on {real_worker_and_beat}",
        task="engagements.tasks.reminders_scan",
        interval=every_second,
        queue=real_worker_and_beat,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not FollowUp.objects.exists():
        time.sleep(0.5)
    followup = FollowUp.objects.get()
    assert (followup.user, followup.reason) == (relationship.owner, "term_ending")


@pytest.mark.django_db(transaction=True)
def test_two_digest_sends_at_once_email_each_follow_up_once():
    """Two workers sending the same user's digest at the same moment: one email, each row claimed once."""
    import threading

    from django.db import connection

    user = UserFactory()
    for _ in range(3):
        FollowUpFactory(user=user)
    barrier = threading.Barrier(2)
    sent = []

    def send():
        try:
            barrier.wait(timeout=10)
            sent.append(tasks.digest_send.apply(args=[user.pk]).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) == [0, 3]
    assert len(mail.outbox) == 1
