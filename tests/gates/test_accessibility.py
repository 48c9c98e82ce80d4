"""axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page each role can
reach with the demo city, and on every form in its error state: zero violations.

The walk seeds the demo city once (``seed_demo``), then for each role signs in
and visits every page of its navigation, then every page linked from the main
content of those pages and from those again (two levels), one page per URL
pattern: the first detail page of each list stands for all of its kind. Every
page with a form that posts to itself is then submitted empty (an edit form has
its text fields cleared first) and its error state checked too. Pages another
role already walked are not walked again, except the navigation pages, which
every role gets.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from stakeholders.demo import DEMO_PASSWORD, seed_users
from tests.browser import log_in
from tests.gates.demo_city import seed_demo_city

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
    "resultTypes": ["violations"],
}

ROLES = ["admin", "coordinator", "staff", "liaison"]

# Forms each role must have submitted empty during the walk (URL names); the
# walk finds more, these make sure it cannot silently shrink.
FORM_PAGES: dict[str, list[str]] = {
    "admin": [
        "password_change",
        "stakeholders:user_create",
        "stakeholders:user_edit",
        "stakeholders:person_create",
        "stakeholders:person_edit",
        "stakeholders:organization_create",
        "stakeholders:organization_edit",
        "stakeholders:department_create",
        "stakeholders:department_edit",
        "stakeholders:election_create",
        "stakeholders:relationship_create",
        "stakeholders:funding_source_create",
        "stakeholders:liaison_create",
        "stakeholders:agreement_create",
        "stakeholders:payment_create",
        "engagements:log",
        "coalition:create",
    ],
    "coordinator": ["engagements:log", "password_change"],
    "staff": ["password_change", "engagements:log"],
    "liaison": ["password_change"],
}

# Views that are not pages: downloads, feeds, JSON, htmx fragments, actions.
NOT_PAGES = re.compile(
    r"(export|_csv|template|ical|_ics|^engagements:ics$|graph_json|feed$|_panel$|search|chip|_row$|count$|logout|"
    r"publish|unpublish|public_summary|language_set|document|followup_(done|dismiss|snooze)|revoke)"
)
FORM_VIEWS = re.compile(r"(create|edit|_add$|:log$|resume|change|settings|merge|demographics|upload|_end$|add$)")

CLEARED = (
    "input[type=text], input[type=email], input[type=number], input[type=date], input[type=url],"
    " input[type=tel], input[type=password], input:not([type]), textarea"
)

SUBMIT = "button:not([type=button]):not([type=reset]), input[type=submit]"

_axe = Axe()


def violations_on(page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def describe(violations: list[dict], where: str) -> str:
    return "\n".join(
        f"- {where}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"][0]) if node["target"] else "?" for node in v["nodes"][:4])
        for v in violations
    )


def assert_no_violations(page, where: str) -> None:
    violations = violations_on(page)
    assert not violations, f"Accessibility violations:\n{describe(violations, where)}"


def _settle(page) -> None:
    """Wait until htmx requests started on load (counts, panels) have landed."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=10_000)


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _is_page(path: str) -> bool:
    name = _view_name(path)
    return bool(name) and not path.startswith("/backoffice/") and not NOT_PAGES.search(name)


def _links(page, base_url: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    host = urlparse(base_url).netloc
    paths = [urlparse(h).path for h in hrefs if urlparse(h).netloc == host]
    return [p for p in dict.fromkeys(paths) if _is_page(p)]


class Walk:
    """Visits pages as one signed-in role, collecting violations instead of stopping."""

    def __init__(self, page, base_url: str, seen: set[str]):
        self.page = page
        self.base_url = base_url
        self.seen = seen  # view names walked by any role so far
        self.problems: list[str] = []
        self.forms: set[str] = set()
        self.pages = 0

    def visit(self, path: str, role: str) -> list[str]:
        """Check one page (and its form's error state); return the pages it links to."""
        page = self.page
        response = page.goto(f"{self.base_url}{path}")
        if response is None or response.status >= 400:
            return []
        _settle(page)
        self.pages += 1
        self.problems.append(describe(violations_on(page), f"{path} as {role}"))
        links = _links(page, self.base_url, "main a[href]")
        name = _view_name(path)
        if FORM_VIEWS.search(name or "") and self.submit_empty(path, role):
            self.forms.add(name)
        return links

    def submit_empty(self, path: str, role: str) -> bool:
        page = self.page
        form = page.locator("main form[method=post]:not([action]), main form[method=post][action='']").first
        if not form.count():
            form = page.locator(f"main form[method=post][action='{path}']").first
        if not form.count():
            return False
        form.evaluate(f"form => form.querySelectorAll({CLEARED!r}).forEach(el => {{ el.value = ''; }})")
        submit = form.locator(SUBMIT).filter(visible=True)
        if not submit.count():
            return False
        # The quick log submits with fetch: it then either goes to another page or shows its
        # problems in place. Wait for a new document or for the problems (not for ever: the
        # browser's own validation may keep a form from being sent at all).
        page.evaluate("window.walkSubmitted = true")
        submit.last.click()
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(
                "() => !window.walkSubmitted || document.querySelector('[data-error-summary]')", timeout=10_000
            )
        page.wait_for_load_state()
        _settle(page)
        # Shown in place, the form's buttons may still be fading into their hover colours.
        page.wait_for_function(
            "() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running')"
        )
        self.pages += 1
        self.problems.append(describe(violations_on(page), f"{path} submitted empty as {role}"))
        return True

    def walk(self, role: str) -> None:
        page = self.page
        log_in(page, _Server(self.base_url), role, DEMO_PASSWORD)
        nav = _links(page, self.base_url, "[data-testid=main-nav] a, nav a.nav-link")
        assert nav, f"the navigation shows {role} no pages"
        required = set(FORM_PAGES[role])
        own: set[str] = set()
        frontier: list[str] = []
        for path in ["/", *nav]:
            own.add(_view_name(path))
            self.seen.add(_view_name(path))
            frontier += self.visit(path, role)
        for _depth in range(2):
            next_frontier: list[str] = []
            for path in dict.fromkeys(frontier):
                name = _view_name(path)
                if name in own or (name in self.seen and name not in required):
                    continue
                own.add(name)
                self.seen.add(name)
                next_frontier += self.visit(path, role)
            frontier = next_frontier


class _Server:
    def __init__(self, url: str):
        self.url = url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_sign_in_pages_are_accessible(page, live_server, language):
    """The sign-in page, its error state and the password reset page pass axe, in both languages."""
    seed_users()
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_violations(page, "sign-in")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert_no_violations(page, "sign-in with errors")
    page.goto(f"{live_server.url}/accounts/password/reset/")
    assert_no_violations(page, "password reset")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_each_role_reaches_in_the_demo_city_is_accessible(page, live_server, language):
    """Every page each role reaches with the demo data, and each form submitted
    empty, pass axe, in English and in Spanish (the browser asks for it); each role's
    listed forms were among those submitted."""
    seed_demo_city()
    page.context.set_extra_http_headers({"Accept-Language": language})
    seen: set[str] = set()
    problems: list[str] = []
    missing: list[str] = []
    for role in ROLES:
        walk = Walk(page, live_server.url, seen)
        walk.walk(role)
        problems += [p for p in walk.problems if p]
        missing += [f"{name} as {role}" for name in FORM_PAGES[role] if name not in walk.forms]
        page.context.clear_cookies()
    assert not problems, "Accessibility violations:\n" + "\n".join(problems)
    assert not missing, "Forms the walk never submitted empty: " + ", ".join(missing)
    assert page.evaluate("document.documentElement.lang") == language
