"""Digests survive a sender killed at any moment: each follow-up is emailed exactly once.

A real Python process runs the daily digest against the test database and is SIGKILLed
at a random moment, twenty times, with new follow-ups arriving between runs; then one
sender runs to the end. The sink (``slow_email_backend.SinkEmailBackend``) keeps every
message it accepted. A sender killed after the sink accepted a message and before marking
it sent makes the next run send it again, with the same Message-ID: mail systems treat
those as one message, so the sink is counted in distinct Message-IDs.
"""

from __future__ import annotations

import datetime
import email
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import defaultdict
from email import policy

import pytest
from django.conf import settings
from django.utils import timezone

from engagements.models import FollowUp
from engagements.models.followups import DigestEmail
from engagements.services.followups import DIGEST_LEASE_SECONDS
from tests.coalition.test_celery import _database_url
from tests.engagements.followup_factories import FollowUpFactory
from tests.stakeholders.factories import UserFactory

KILLS = 20
USERS = 6
SINK_DELAY = 0.05  # seconds before and after the sink accepts a message
# Each run has at least USERS new digests to send, so it needs at least this long; kills fall
# in its first three quarters, so that a parent slow to wake still kills a sender at work.
WORK_SECONDS = USERS * 2 * SINK_DELAY
KILL_WINDOW = 0.75 * WORK_SECONDS

# A fork server, as a Celery prefork worker is: it sets Django up once, then forks one sender
# per line it reads ("<now>") and answers "<pid>", then "<exit code>" when the sender is gone
# (negative: killed by that signal). Forking spares each of the 21 senders a Django start-up.
SENDERS = """
import datetime, os, sys, traceback
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.template.loader import get_template
from django.utils import translation
from engagements.services.followups import followups_send_digests
from stakeholders.models import User
settings.EMAIL_BACKEND = "tests.engagements.slow_email_backend.SinkEmailBackend"
# Warm up (templates, translations, the database driver) so that a sender only sends.
context = {"user": User(username="warm-up"), "followups": [], "site_url": ""}
for language, _name in settings.LANGUAGES:
    with translation.override(language):
        get_template("emails/followup_digest.txt").render(context)
        get_template("emails/followup_digest.html").render(context)
connection.ensure_connection()
connection.close()  # each sender opens its own
print("ready", flush=True)
for line in sys.stdin:
    now = datetime.datetime.fromisoformat(line.strip())
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            followups_send_digests(now=now)
        except BaseException:
            traceback.print_exc()
            code = 1
        os._exit(code)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Senders:
    """The fork server, from the test's side."""

    def __init__(self, sink: str, delay: float) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coalition.settings",
            "DATABASE_URL": _database_url(),
            "EMAIL_SINK_DIR": sink,
            "EMAIL_SINK_DELAY": str(delay),
        }
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SENDERS],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == "ready"

    def _read(self) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line:
            self.process.kill()
            pytest.fail("The fork server stopped or hung; see its stderr above.")
        return line

    def start(self, now: datetime.datetime) -> int:
        """Fork a sender that runs the daily digest as at ``now``; returns its pid."""
        self.process.stdin.write(f"{now.isoformat()}\n")
        self.process.stdin.flush()
        return int(self._read())

    def wait(self) -> int:
        """The exit code of the last sender, once it has gone."""
        return int(self._read())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def _sink_messages(sink) -> list[tuple[str, str]]:
    """(Message-ID, plain text body) of every message the sink accepted."""
    messages = []
    for path in sorted(sink.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        messages.append((message["Message-ID"], message.get_body(preferencelist=("plain",)).get_content()))
    return messages


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_twenty_times_emails_each_follow_up_exactly_once(tmp_path):
    """Twenty SIGKILLs at random moments of sending: every follow-up ends up in exactly one
    Message-ID, every digest is marked sent, and no kill makes more than one extra copy."""
    rng = random.Random(16)  # noqa: S311
    users = [UserFactory() for _ in range(USERS)]
    now = timezone.now()
    step = datetime.timedelta(seconds=2 * DIGEST_LEASE_SECONDS)  # each run comes after the last lease ran out
    followups: list[FollowUp] = []

    def new_followups() -> None:
        for user in users:
            followups.append(FollowUpFactory(user=user, title=f"Crash check #{len(followups):04d}#"))

    # when: twenty senders, each killed at a random moment while it sends
    senders = Senders(str(tmp_path), SINK_DELAY)
    outcomes = []
    try:
        for run in range(KILLS):
            new_followups()
            pid = senders.start(now + run * step)
            time.sleep(rng.uniform(0, KILL_WINDOW))
            os.kill(pid, signal.SIGKILL)
            outcomes.append(senders.wait())
        # and one sender that is left to finish
        new_followups()
        senders.start(now + KILLS * step)
        assert senders.wait() == 0
    finally:
        senders.close()

    # then every kill struck a sender still at work
    assert outcomes == [-signal.SIGKILL] * KILLS
    # each follow-up is in exactly one Message-ID, and the sink holds no other message
    messages = _sink_messages(tmp_path)
    ids_per_followup = defaultdict(set)
    for message_id, body in messages:
        for followup in followups:
            if followup.title in body:
                ids_per_followup[followup.title].add(message_id)
    assert {title: len(ids) for title, ids in ids_per_followup.items()} == {f.title: 1 for f in followups}
    outbox = DigestEmail.objects.all()
    assert {message_id for message_id, _ in messages} == {e.message_id for e in outbox}
    assert not outbox.filter(sent_at=None).exists()
    assert not FollowUp.objects.filter(emailed_at=None).exists()
    # a kill after the sink accepted a message and before it was marked sent makes one extra copy
    copies = len(messages) - outbox.count()
    assert copies <= KILLS
    # and the kills did strike in the middle of digests, which later runs sent again
    retried = outbox.filter(attempts__gt=1).count()
    assert retried >= 1
    print(  # noqa: T201  (the numbers for the record, with -s)
        f"\n{KILLS} kills, {len(followups)} follow-ups, {outbox.count()} digests ({retried} sent again after "
        f"a kill), {len(messages)} messages accepted, {copies} extra copies with a repeated Message-ID"
    )
