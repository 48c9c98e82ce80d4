"""What every signed-in request costs: the session is saved at most once a minute, and the
user comes with roles and permissions in one query."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.auth_backend import RoleAwareModelBackend
from stakeholders.models import UserSession
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _session_expiry(client):
    return UserSession.objects.get(session_key=client.session.session_key).expire_date


def _writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith(("UPDATE", "INSERT"))]


def test_activity_pushes_the_idle_deadline_back_at_most_once_a_minute(client, settings, time_machine):
    """Requests within a minute of the last save write nothing; the first one after it saves the
    session again, a full idle timeout from then."""
    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    user = UserFactory(roles=["Staff"])
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.get(reverse("home"))
    first_expiry = _session_expiry(client)

    time_machine.shift(settings.SESSION_REFRESH_SECONDS - 1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [sql for sql in _writes(queries) if "usersession" in sql]
    assert _session_expiry(client) == first_expiry

    time_machine.shift(2)
    client.get(reverse("home"))
    assert (_session_expiry(client) - first_expiry).total_seconds() == settings.SESSION_REFRESH_SECONDS + 1


def test_an_idle_session_still_ends_after_the_idle_timeout(client, settings, time_machine):
    """A session left alone for the idle timeout is signed out."""
    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    user = UserFactory(roles=["Staff"])
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    time_machine.shift(settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_roles_and_permissions_come_with_the_user_in_one_query():
    """Once the user is loaded as a request loads it, checking roles and permissions runs no query."""
    user = UserFactory(roles=["Coordinator"])
    with CaptureQueriesContext(connection) as queries:
        loaded = RoleAwareModelBackend().get_user(user.pk)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert loaded.has_role("Coordinator") and not loaded.has_role("Admin")
        assert loaded.has_perm("coalition.view_coalition")
        assert not loaded.has_perm("stakeholders.manage_stipends")
    assert len(queries) == 0


def test_an_inactive_user_is_not_loaded():
    """A deactivated user's session no longer signs them in."""
    user = UserFactory(roles=["Staff"], is_active=False)
    assert RoleAwareModelBackend().get_user(user.pk) is None


def test_a_role_taken_away_applies_on_the_next_request(client):
    """Permissions are read fresh with the user on each request, not cached across requests."""
    user = UserFactory(roles=["Admin"])
    client.force_login(user)
    assert client.get(reverse("stakeholders:user_list")).status_code == 200
    user.groups.remove(Group.objects.get(name="Admin"))
    assert client.get(reverse("stakeholders:user_list")).status_code == 403
