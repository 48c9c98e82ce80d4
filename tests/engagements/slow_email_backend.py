"""Email backends for the digest reliability tests.

``SinkEmailBackend`` stands in for a mail server: each message it accepts becomes one
``.eml`` file in ``$EMAIL_SINK_DIR``, written whole or not at all (like SMTP's final "250
OK"), and it takes its time (``$EMAIL_SINK_DELAY`` seconds before and after accepting), so
that a sender killed at a random moment is often killed in the middle of a send, either
before the message was accepted or after it and before the sender marked it sent.
"""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SinkEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        sink = Path(os.environ["EMAIL_SINK_DIR"])
        delay = float(os.environ.get("EMAIL_SINK_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            name = uuid.uuid4().hex
            partial = sink / f"{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.replace(sink / f"{name}.eml")  # accepted
            time.sleep(delay)
        return len(email_messages)


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages) -> int:
        raise smtplib.SMTPException("The mail server refused the message (a test).")
