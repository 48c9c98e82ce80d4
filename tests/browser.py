"""Helpers for browser tests."""

import re

from stakeholders.models import User
from tests.stakeholders.factories import PASSWORD
from tests.two_step import authenticator_of, next_code

SECOND_STEP_PATH = "/accounts/two-step/"


def log_in(page, live_server, username, password=PASSWORD):
    """Sign in through the sign-in form, in whatever language the page is in; a user with
    two-step sign-in (every admin) then enters the code their authenticator app would show."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}(/$|{re.escape(SECOND_STEP_PATH)})"))
    if page.url.startswith(f"{live_server.url}{SECOND_STEP_PATH}"):
        pass_second_step(page, username)
    page.wait_for_url(f"{live_server.url}/")


def pass_second_step(page, username):
    """On the second-step page: enter the current code of ``username``'s authenticator app."""
    device = authenticator_of(User.objects.get(username=username))
    page.locator("#id_code").fill(next_code(device))
    page.locator("main form button[type=submit]").first.click()
