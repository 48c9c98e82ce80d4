"""The README's API example runs as written against a live server.

The block after ``<!-- api-example -->`` in README.md is read from the file: its
``manage.py api_token_create …`` line runs in-process (same arguments, the test's
database), and the rest runs through bash with real curl, with ``COALITION`` set to
the live server's address and ``TOKEN`` to the token the command printed.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from engagements.models import Engagement
from tests.engagements.factories import EngagementFactory
from tests.stakeholders.factories import UserFactory

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- api-example -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert match, "README.md lost its <!-- api-example --> block"
    return match.group(1)


def _split(script: str) -> tuple[list[str], str]:
    """The ``api_token_create`` arguments and the rest of the script (without the
    ``COALITION=`` and ``TOKEN=`` lines, which the test sets)."""
    token_line = next(line for line in script.splitlines() if line.startswith("TOKEN=$("))
    command = token_line.removeprefix("TOKEN=$(").removesuffix(")")
    arguments = shlex.split(command)
    assert arguments[:3] == [".venv/bin/python", "manage.py", "api_token_create"], arguments
    rest = "\n".join(line for line in script.splitlines() if not line.startswith(("TOKEN=$(", "COALITION=")))
    return arguments[3:], rest


def _json_documents(text: str) -> list:
    """The JSON answers curl printed one after the other."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        document, end = decoder.raw_decode(text, at)
        documents.append(document)
        at = end + (len(text[end:]) - len(text[end:].lstrip()))
    return documents


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True)
def test_the_readme_api_example_runs(live_server):
    UserFactory(username="coordinator", roles=["Coordinator"])
    EngagementFactory(title="October walk", starts_at=datetime.datetime(2026, 10, 5, 23, tzinfo=datetime.UTC))
    EngagementFactory(title="November forum", starts_at=datetime.datetime(2026, 11, 5, 23, tzinfo=datetime.UTC))
    arguments, rest = _split(_example())

    out = io.StringIO()
    call_command("api_token_create", *arguments, stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    assert token.startswith("coa_")

    run = subprocess.run(  # noqa: S603 (the README's own commands, loopback only)
        ["bash", "-euo", "pipefail", "-c", rest],  # noqa: S607
        env={"PATH": "/usr/bin:/bin", "COALITION": live_server.url, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr

    listed, logged = _json_documents(run.stdout)
    assert [row["title"] for row in listed["results"]] == ["November forum"]
    assert logged["title"] == "Eastside listening session"
    assert len(logged["input_items"]) == 2
    engagement = Engagement.objects.get(pk=logged["id"])
    assert engagement.created_by.username == "coordinator"
    assert engagement.attendance_total == 30
