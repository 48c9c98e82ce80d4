"""Sign-in, lockout, sign-out, password reset and session ending."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from stakeholders.models import UserSession
from stakeholders.services import accounts as services
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_correct_password_opens_home(client):
    """A user with the right password lands on their home page."""
    user = UserFactory(roles=["Staff"])
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_with_wrong_password_says_so_and_keeps_username(client):
    """A wrong password re-shows the form with the username kept and a clear message."""
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert "Please enter a correct username and password" in content
    assert f'value="{user.username}"' in content


def test_repeated_failures_lock_the_account(client, settings):
    """After the failure limit even the right password is refused, with a lockout page."""
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in is locked" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_does_not_touch_other_accounts(client, settings):
    """Locking one account leaves another one able to sign in."""
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": locked.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client):
    """Signing out (POST) ends the session; pages then ask to sign in."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_user_is_sent_to_login(client):
    """Pages need a signed-in user."""
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_deactivating_a_user_ends_all_their_sessions(client):
    """Deactivation deletes every session of the user, on every device."""
    # given a user signed in on two devices, and someone else signed in
    user, bystander = UserFactory(), UserFactory()
    from django.test import Client

    laptop, phone, other = Client(), Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    other.force_login(bystander)
    assert UserSession.objects.filter(user=user).count() == 2

    # when an admin deactivates the user
    ended = services.user_deactivate(user=user)

    # then both sessions are gone and both devices are sent to sign in
    assert ended == 2
    assert not UserSession.objects.filter(user=user).exists()
    for device in (laptop, phone):
        response = device.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert other.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.is_active is False


def test_password_reset_sends_a_working_link(client):
    """Asking for a reset emails a link that lets the user set a new password."""
    user = UserFactory(email="reset-me@city.example")
    response = client.post(reverse("password_reset"), {"email": "reset-me@city.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_password_change_requires_the_old_password(client):
    """A wrong current password is refused with a message next to the field."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "another-long-pass", "new_password2": "another-long-pass"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_session_ends_after_the_absolute_limit(client, settings, time_machine):
    """However active, a session ends a fixed time after sign-in."""
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 60  # shorter than the idle timeout, to isolate it
    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    user = UserFactory()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    time_machine.shift(settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(120)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
