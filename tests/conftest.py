"""Shared fixtures: fast hashing, users per role, and the browser set-up.

Browser tests use Playwright's Python package with Debian's Chromium
(``/usr/bin/chromium`` or ``CHROMIUM_PATH``); Playwright's own browser download
is never used. Without Chromium they are skipped, unless ``REQUIRE_BROWSER=1``,
which makes the run fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; Django's ORM refuses to run
# there unless told it is safe (each test still uses its own transaction).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM_PATH).is_file()
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
INSTALL_HINT = "Install Debian's Chromium with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)."


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "page" in getattr(item, "fixturenames", ())]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if HAVE_CHROMIUM or not browser_items:
        return
    if REQUIRE_BROWSER:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM_PATH}. {INSTALL_HINT}")
    skip = pytest.mark.skip(reason=f"No Chromium found at {CHROMIUM_PATH}. {INSTALL_HINT}")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Transactional tests flush every table after they run, the reference data of
    migrations included; put the role groups and the languages back (as the migrations
    made them) before each one, so no such test depends on which ran before it."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from importlib import import_module

        from django.apps import apps

        from stakeholders.roles import sync_role_permissions

        sync_role_permissions(apps)
        import_module("stakeholders.migrations.0004_languages").load(apps, None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    """pytest-django's test client, whose ``force_login`` also passes the second step with the
    user's own authenticator app (admins have one; see tests/two_step.py)."""
    from tests.two_step import Client

    return Client()


@pytest.fixture
def staff_user(db):
    from tests.stakeholders.factories import UserFactory

    return UserFactory(roles=["Staff"])


@pytest.fixture
def coordinator_user(db):
    from tests.stakeholders.factories import UserFactory

    return UserFactory(roles=["Coordinator"])


@pytest.fixture
def admin_user(db):
    from tests.stakeholders.factories import UserFactory

    return UserFactory(roles=["Admin"], is_staff=True)


@pytest.fixture
def liaison_user(db):
    from tests.stakeholders.factories import UserFactory

    return UserFactory(roles=["Liaison"])
