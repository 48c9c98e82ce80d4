"""axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page each role can
reach from its navigation, and on forms in their error state: zero violations."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from stakeholders.demo import DEMO_PASSWORD, seed_users
from tests.browser import log_in

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}

# Pages with a form, per role, submitted empty to check the error state.
# Paths relative to the site; each must be reachable by that role.
FORM_PAGES: dict[str, list[str]] = {
    "staff": ["/accounts/password/change/"],
    "coordinator": [],
    "admin": ["/users/create/"],
    "liaison": [],
}

_axe = Axe()


def assert_no_violations(page, where: str) -> None:
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    report = "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in violations
    )
    assert not violations, f"Accessibility violations on {where}:\n{report}"


def _nav_paths(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("[data-testid=main-nav] a", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.netloc == urlparse(base_url).netloc and not parsed.path.startswith("/backoffice/"):
            paths.append(parsed.path)
    return list(dict.fromkeys(paths))


@pytest.mark.django_db(transaction=True)
def test_sign_in_pages_are_accessible(page, live_server):
    """The sign-in page, its error state and the password reset page pass axe."""
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_violations(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-error-summary]")
    assert_no_violations(page, "sign-in with errors")
    page.goto(f"{live_server.url}/accounts/password/reset/")
    assert_no_violations(page, "password reset")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["staff", "coordinator", "admin", "liaison"])
def test_every_page_a_role_reaches_is_accessible(page, live_server, role):
    """Each page in the role's navigation, and its forms submitted empty, pass axe."""
    seed_users()
    log_in(page, live_server, role, DEMO_PASSWORD)
    paths = _nav_paths(page, live_server.url)
    assert paths, "the navigation shows no pages"
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert_no_violations(page, f"{path} as {role}")
    for path in FORM_PAGES[role]:
        page.goto(f"{live_server.url}{path}")
        assert_no_violations(page, f"{path} as {role}")
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_selector("[data-error-summary]")
        assert_no_violations(page, f"{path} with errors as {role}")
