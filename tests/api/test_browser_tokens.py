"""Browser: a coordinator makes an API token on their profile, uses it, and revokes it."""

import json
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser import log_in
from tests.stakeholders.factories import PersonFactory, UserFactory


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_makes_uses_and_revokes_a_token(page, live_server):
    """The token is shown once on the profile page (390 px, axe-clean), works against the API,
    and stops working the moment it is revoked; the docs page opens from the profile."""
    user = UserFactory(username="cora", roles=["Coordinator"])
    PersonFactory(first_name="Visible")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/accounts/profile/")

    page.get_by_label("What it is for").fill("Council dashboard")
    page.get_by_label("It may").select_option("read")
    page.get_by_label("Days until it expires").fill("30")
    page.get_by_role("button", name="Create token").click()

    token = page.locator("#new-token-value").input_value()
    assert token.startswith("coa_")
    expect(page.get_by_test_id("api-tokens")).to_contain_text("Council dashboard")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()
    assert _get(f"{live_server.url}/api/v1/people/", token) == 200

    page.reload()
    expect(page.locator("#new-token-value")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Revoke Council dashboard").click()
    expect(page.get_by_test_id("api-tokens")).to_contain_text("Revoked")
    assert _get(f"{live_server.url}/api/v1/people/", token) == 401

    page.get_by_role("link", name="Coalition API").click()
    expect(page.get_by_test_id("swagger-ui")).to_contain_text("/api/v1/people/")
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()
