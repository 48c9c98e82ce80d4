"""Each role sees the navigation it may use."""

import pytest
from django.urls import reverse

from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees_users"),
    [("Staff", False), ("Coordinator", False), ("Liaison", False), ("Admin", True)],
)
def test_navigation_matches_role(client, role, sees_users):
    """Only admins see user management in the navigation."""
    client.force_login(UserFactory(roles=[role], is_staff=role == "Admin"))
    content = client.get(reverse("home")).content.decode()
    assert ('href="/users/"' in content) is sees_users
    assert ('href="/backoffice/"' in content) is sees_users
    assert "Skip to main content" in content


def test_health_check_answers(client):
    """The health check reports the database reachable."""
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok"}


def test_pages_send_security_headers(client, staff_user):
    """CSP without inline script, frame denial and a referrer policy on every page."""
    client.force_login(staff_user)
    for url in (reverse("login"), reverse("home")):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
