"""Browser: each demo role signs in and sees its navigation, also on a phone."""

import pytest
from playwright.sync_api import expect

from stakeholders.demo import DEMO_PASSWORD, seed_users
from tests.browser import log_in


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("username", "expected", "hidden"),
    [
        ("staff", ["Home"], ["Users", "Back office"]),
        ("coordinator", ["Home"], ["Users", "Back office"]),
        ("liaison", ["Home"], ["Users", "Back office"]),
        ("admin", ["Home", "Users", "Back office"], []),
    ],
)
def test_each_demo_role_sees_its_navigation(page, live_server, username, expected, hidden):
    """Signing in as each demo user shows exactly the menu entries of that role."""
    seed_users()
    log_in(page, live_server, username, DEMO_PASSWORD)
    nav = page.get_by_test_id("main-nav")
    for label in expected:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_navigation_works_on_a_320px_phone(page, live_server):
    """At 320 px the menu folds behind a button that opens it; nothing scrolls sideways."""
    seed_users()
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    menu = page.get_by_role("button", name="Show or hide the menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_test_id("main-nav").get_by_role("link", name="Users")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
