"""Helpers for browser tests."""

from tests.stakeholders.factories import PASSWORD


def log_in(page, live_server, username, password=PASSWORD):
    """Sign in through the sign-in form, in whatever language the page is in."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
