"""The WSGI application freezes what it loaded, so full garbage collections skip it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.test_harness import _database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_loading_the_wsgi_application_freezes_the_loaded_objects():
    """After ``import coalition.wsgi`` the URLconf's views are loaded and the objects so far frozen.

    In a subprocess: freezing the test run's own objects would keep them from ever being collected.
    """
    probe = (
        "import gc, sys, coalition.wsgi;"
        "print(gc.get_freeze_count(), 'stakeholders.views.people' in sys.modules, gc.get_count()[0])"
    )
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "coalition.settings"}
    result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed program
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    frozen, views_loaded, young = result.stdout.split()
    assert int(frozen) > 10_000  # Django and the apps: about 100,000 objects
    assert views_loaded == "True"
    assert int(young) < 1_000  # nothing much allocated since the freeze
