"""Personal API tokens: made on the profile page and shown once, stored hashed, scoped,
expiring, revocable, logged on every use, dead with their user."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import ApiToken, SecurityEvent
from stakeholders.services.accounts import user_deactivate
from stakeholders.services.tokens import api_token_create, api_token_revoke
from tests.stakeholders.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def test_a_token_is_stored_only_as_its_hash(staff_user):
    """The database holds the SHA-256 of the token and a short prefix, never the token."""
    row, token = api_token_create(user=staff_user, name="311 sync")
    assert token.startswith("coa_") and len(token) > 40
    row.refresh_from_db()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values().get(pk=row.pk))
    assert token.startswith(row.prefix) and len(row.prefix) < 12


def test_a_token_reads_as_its_user(client, staff_user):
    """A token is its user: it lists the people the user sees; each use goes to the security log."""
    PersonFactory(first_name="Tokenread")
    _row, token = api_token_create(user=staff_user, name="dashboard")
    client.logout()
    response = client.get(PEOPLE, headers=bearer(token))
    assert response.status_code == 200
    assert "Tokenread" in {person["first_name"] for person in response.json()["results"]}
    event = SecurityEvent.objects.filter(action=SecurityEvent.Action.API_TOKEN_USED).latest("pk")
    assert event.actor == staff_user and event.path == PEOPLE and event.detail["method"] == "GET"


def test_a_read_only_token_cannot_write(client, staff_user):
    """A read-only token gets 403 on a write, and nothing is created."""
    _row, token = api_token_create(user=staff_user, name="reader", scope=ApiToken.Scope.READ)
    response = client.post(PEOPLE, {"first_name": "Nobody"}, content_type="application/json", headers=bearer(token))
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_a_read_write_token_writes_through_the_services(client, staff_user):
    """A read-and-write token adds a person as the user would, with the user as creator."""
    _row, token = api_token_create(user=staff_user, name="writer", scope=ApiToken.Scope.READ_WRITE)
    response = client.post(
        PEOPLE, {"first_name": "Api", "last_name": "Added"}, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["display_name"] == "Api Added"


@pytest.mark.parametrize("how", ["revoked", "expired", "deactivated", "unknown"])
def test_a_dead_token_is_refused(client, staff_user, how):
    """A revoked or expired token, a deactivated user's token and an unknown one get 401 at once."""
    row, token = api_token_create(user=staff_user, name="t", lifetime_days=1)
    if how == "revoked":
        api_token_revoke(token=row, by=staff_user)
    elif how == "deactivated":
        user_deactivate(user=staff_user)
    elif how == "unknown":
        token = token[:-4] + "abcd"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2 if how == "expired" else 0)):
        response = client.get(PEOPLE, headers=bearer(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_deactivating_a_user_revokes_their_tokens(staff_user):
    """Deactivation marks every token revoked, so the profile and the log say so too."""
    row, _token = api_token_create(user=staff_user, name="t")
    user_deactivate(user=staff_user)
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_the_rate_limit_answers_429_with_retry_after(client, staff_user, settings):
    """Past the limit a token gets 429 with Retry-After; another token is not affected."""
    settings.API_RATE_LIMIT = "3/min"
    _row, token = api_token_create(user=staff_user, name="busy")
    _other_row, other = api_token_create(user=UserFactory(roles=["Staff"]), name="calm")
    statuses = [client.get(PEOPLE, headers=bearer(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(PEOPLE, headers=bearer(token))
    assert int(limited["Retry-After"]) > 0
    assert client.get(PEOPLE, headers=bearer(other)).status_code == 200


def test_the_profile_page_makes_a_token_and_shows_it_once(client, coordinator_user):
    """Creating a token on the profile page shows it once; reloading does not show it again."""
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:api_token_create"),
        {"name": "Dashboard", "scope": "read", "lifetime_days": "30"},
        follow=True,
    )
    body = response.content.decode()
    row = ApiToken.objects.get(user=coordinator_user)
    shown = body.split('id="new-token-value" type="text" value="', 1)[1].split('"', 1)[0]
    assert hashlib.sha256(shown.encode()).hexdigest() == row.digest
    assert row.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    again = client.get(reverse("stakeholders:profile")).content.decode()
    assert shown not in again and row.prefix in again


def test_the_profile_page_refuses_a_bad_lifetime_and_keeps_the_input(client, coordinator_user):
    """Too long a lifetime is a field error on the form; no token is made."""
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:api_token_create"), {"name": "Keep me", "scope": "read", "lifetime_days": "9999"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Keep me"' in body and "is-invalid" in body
    assert not ApiToken.objects.exists()


def test_only_the_owner_revokes_a_token(client, staff_user):
    """Revoking is for the token's owner: anyone else gets 404 and the token keeps working."""
    row, token = api_token_create(user=staff_user, name="mine")
    other = UserFactory(roles=["Admin"])
    client.force_login(other)
    assert client.post(reverse("stakeholders:api_token_revoke", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None
    client.force_login(staff_user)
    assert client.post(reverse("stakeholders:api_token_revoke", args=[row.pk])).status_code == 302
    client.logout()
    assert client.get(PEOPLE, headers=bearer(token)).status_code == 401
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.API_TOKEN_REVOKED, actor=staff_user).exists()
