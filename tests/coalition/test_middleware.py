"""NUL characters are refused at the door with a 400, never passed on to PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_nul_in_a_query_string_is_a_bad_request(client, admin_user):
    """A search term with NUL is refused before any view reads it."""
    client.force_login(admin_user)
    response = client.get("/users/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert client.get("/users/", {"q": "ab"}).status_code == 200


@pytest.mark.django_db
def test_nul_in_a_posted_value_or_key_is_a_bad_request(client, admin_user):
    """A posted value or field name with NUL is refused and nothing is created."""
    from stakeholders.models import User

    client.force_login(admin_user)
    before = User.objects.count()
    data = {"username": "nul\x00user", "email": "nul@example.com"}
    assert client.post("/users/create/", data).status_code == 400
    assert client.post("/users/create/", {"user\x00name": "x", "email": "nul@example.com"}).status_code == 400
    assert User.objects.count() == before


@pytest.mark.django_db
def test_json_bodies_are_left_to_their_views(client, admin_user):
    """Only form bodies are read: a JSON body passes through untouched."""
    client.force_login(admin_user)
    response = client.post("/users/create/", data='{"a": "\\u0000"}', content_type="application/json")
    assert response.status_code == 200
