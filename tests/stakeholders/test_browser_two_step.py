"""Browser: two-step sign-in set up by an admin from the page's secret, the step at sign-in,
and signing in with a recovery code after a lost phone; each page axe-clean at phone width."""

from __future__ import annotations

import base64
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from stakeholders.models import SecurityEvent
from stakeholders.services import mfa
from tests.browser import log_in
from tests.stakeholders.factories import PASSWORD, UserFactory
from tests.two_step import authenticator_of, next_code, totp_code

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def assert_fits_and_is_accessible(page, where: str, width: int) -> None:
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)
    assert page.evaluate(SCROLL_WIDTH) <= width, f"{where} scrolls sideways at {width} px"


def password_step(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_an_admin_sets_up_two_step_sign_in_from_the_secret_on_the_page(page, live_server):
    """A new admin is sent to set up after the password, types the shown key into "an app"
    (the code computed from it), saves the ten recovery codes and reaches the home page; at 320 px."""
    page.set_viewport_size({"width": 320, "height": 640})
    admin = UserFactory(username="ada", roles=["Admin"], two_step=False)
    password_step(page, live_server, "ada")

    expect(page).to_have_url(re.compile(r"/accounts/two-step/setup/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_fits_and_is_accessible(page, "setup", 320)

    page.get_by_role("button", name="Turn on two-step sign-in").click()  # empty: the error state
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_fits_and_is_accessible(page, "setup with an error", 320)

    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label("6-digit code").fill(totp_code(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    assert_fits_and_is_accessible(page, "recovery codes", 320)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("[data-testid=main-nav] a[href='/users/']")).to_have_count(1)  # in the folded menu
    assert authenticator_of(admin).key == key


@pytest.mark.django_db(transaction=True)
def test_an_admin_passes_the_second_step_by_keyboard_at_phone_width(page, live_server):
    """After the password the step asks for the code; a wrong one says so (axe-clean), the right
    one, typed and sent with the keyboard only, opens the page."""
    page.set_viewport_size({"width": 390, "height": 800})
    admin = UserFactory(username="ada", roles=["Admin"])
    password_step(page, live_server, "ada")
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next=/$"))
    expect(page.get_by_test_id("main-nav")).to_have_count(0)
    assert_fits_and_is_accessible(page, "second step", 390)

    device = authenticator_of(admin)
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"
    page.get_by_label("6-digit code").fill(wrong)
    page.get_by_label("6-digit code").press("Enter")
    expect(page.locator("[data-error-summary]")).to_contain_text("That code is not right")
    assert_fits_and_is_accessible(page, "second step with an error", 390)
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.MFA_FAILED, actor=admin).count() == 1

    page.wait_for_timeout(1100)  # the wrong code holds the next try back for a second
    page.get_by_label("6-digit code").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(next_code(device))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("main-nav")).to_be_attached()


@pytest.mark.django_db(transaction=True)
def test_staff_who_lost_their_phone_sign_in_with_a_recovery_code_and_set_up_a_new_app(page, live_server):
    """The step's "Lost your phone?" link takes a recovery code; the profile then offers a new
    app, which replaces the old one; the spent code is gone."""
    page.set_viewport_size({"width": 390, "height": 800})
    staff = UserFactory(username="sam", roles=["Staff"])
    old_key = mfa.mfa_secret_new()
    _device, codes = mfa.mfa_enrol_confirm(user=staff, key=old_key, token=totp_code(old_key))
    password_step(page, live_server, "sam")

    page.get_by_role("link", name="Lost your phone? Sign in with a recovery code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with a recovery code")
    assert_fits_and_is_accessible(page, "recovery", 390)
    page.get_by_label("Recovery code").fill(codes[3].upper())
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_role("status").first).to_contain_text("You have 9 codes left")
    assert_fits_and_is_accessible(page, "profile after a recovery code", 390)
    page.get_by_role("link", name="Set up a new authenticator app").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a new authenticator app")

    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    new_key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.get_by_label("6-digit code").fill(totp_code(new_key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    assert authenticator_of(staff).key == new_key
    assert codes[3] not in {code.inner_text() for code in page.get_by_test_id("recovery-codes").locator("code").all()}


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_helper_passes_the_step_for_admins(page, live_server):
    """tests.browser.log_in, which the other browser tests use, completes the step for an admin."""
    UserFactory(username="abel", roles=["Admin"])
    log_in(page, live_server, "abel")
    expect(page.get_by_test_id("main-nav").get_by_role("link", name="Users")).to_be_visible()
