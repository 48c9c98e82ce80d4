"""Browser: nothing typed into the quick log is lost to a dropped network, an ended sign-in or a
double tap; what is kept on the device goes with the user's sign-out; the page opens offline."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from engagements.models import Engagement
from stakeholders.models import Person, UserSession
from tests.engagements.factories import BreakdownOptionFactory
from tests.stakeholders.factories import PASSWORD, UserFactory

PHONE = {"width": 390, "height": 844}
KEPT_KEYS = "() => Object.keys(localStorage).filter((key) => key.startsWith('coalition.quickLog.'))"
PAGE_CACHED = """async () => {
  await navigator.serviceWorker.ready;
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const name of await caches.keys()) {
      if (name.startsWith("coalition-page-") && (await (await caches.open(name)).match("/engagements/log/"))) {
        return true;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}"""


def _sign_in(page, username, password=PASSWORD):
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    _sign_in(page, username)
    page.wait_for_url(f"{live_server.url}/")


def _go_offline(context):
    """Cut the network for the page and for its service worker (whose own requests the
    offline emulation of older Playwright versions did not cover)."""
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def _go_online(context):
    context.unroute("**/*")
    context.set_offline(False)


def _wait_until_kept(page):
    page.wait_for_function(
        "() => Object.keys(localStorage).some((key) => key.startsWith('coalition.quickLog.')"
        " && localStorage.getItem(key).includes('Westside listening session'))"
    )


def _fill_a_session(page):
    page.get_by_label("Title").fill("Westside listening session")
    page.get_by_label("How many came").fill("14")
    page.get_by_role("button", name="Add a count").click()
    page.locator("[name='breakdown-0-option']").select_option(label="Grandparents")
    page.locator("[name='breakdown-0-count']").fill("6")
    page.locator("[name='input-0-text']").fill("The bus shelter has no roof")
    page.get_by_role("button", name="Add an input item").click()
    page.locator("[name='input-1-text']").fill("Sidewalks are cracked")
    page.locator("#id_qa-name").fill("Rosa Delgado")
    page.locator("#id_qa-email").fill("rosa@example.org")
    page.get_by_role("button", name="Add attendee").click()
    expect(page.locator("#attendee-chips")).to_contain_text("Rosa Delgado")
    page.get_by_role("button", name="Add a commitment").click()
    page.locator("[name='commitment-0-description']").fill("Ask transit to fix the shelter roof")
    page.locator("[name='commitment-0-answers']").fill("1")


def _expect_every_value(page):
    expect(page.get_by_label("Title")).to_have_value("Westside listening session")
    expect(page.get_by_label("How many came")).to_have_value("14")
    expect(page.locator("[name='breakdown-0-count']")).to_have_value("6")
    expect(page.locator("[name='input-0-text']")).to_have_value("The bus shelter has no roof")
    expect(page.locator("[name='input-1-text']")).to_have_value("Sidewalks are cracked")
    expect(page.locator("#attendee-chips")).to_contain_text("Rosa Delgado")
    expect(page.locator("[name='commitment-0-description']")).to_have_value("Ask transit to fix the shelter roof")
    expect(page.locator("[name='commitment-0-answers']")).to_have_value("1")


def _assert_logged_once_with_every_value():
    engagement = Engagement.objects.get()
    assert engagement.title == "Westside listening session"
    assert engagement.attendance_total == 14
    assert [(b.option.label, b.count) for b in engagement.breakdowns.all()] == [("Grandparents", 6)]
    assert [item.text for item in engagement.input_items.all()] == [
        "The bus shelter has no roof",
        "Sidewalks are cracked",
    ]
    assert list(engagement.attendees.all()) == [Person.objects.get(email="rosa@example.org")]
    commitment = engagement.commitments.get()
    assert commitment.description == "Ask transit to fix the shelter roof"
    assert commitment.input_items.get().text == "The bus shelter has no roof"
    assert engagement.submission_key is not None


@pytest.mark.django_db(transaction=True)
def test_a_session_survives_a_lost_network_and_an_ended_sign_in(page, live_server):
    """At 390 px: the network drops at submit (a clear message, every value still there, no axe
    violations); the sign-in ends meanwhile; when the network returns the resubmission meets the
    sign-in page and the page says to sign in; after signing in again the pending log is sent by
    itself and exactly one engagement exists, with every value."""
    BreakdownOptionFactory(category__name="Household", label="Grandparents")
    UserFactory(username="sam", roles=["Staff"])
    context = page.context
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/engagements/log/")
    _fill_a_session(page)
    _wait_until_kept(page)

    # when: the network is gone at submit
    _go_offline(context)
    page.get_by_role("button", name="Log session").click()

    # then: the page says so and keeps everything
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("You are offline, so nothing is saved yet.")
    expect(alert).to_be_focused()
    _expect_every_value(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()
    assert not Engagement.objects.exists()

    # when: the sign-in ends (the 30-minute idle timeout) and the network returns
    UserSession.objects.all().delete()
    _go_online(context)

    # then: the resubmission meets the sign-in page, and the page says to sign in
    expect(alert).to_contain_text("Your sign-in has ended, so nothing is saved yet.")
    _expect_every_value(page)
    assert not Engagement.objects.exists()

    # when: the user signs in again
    page.get_by_role("link", name="Sign in again").click()
    _sign_in(page, "sam")

    # then: back on the quick log, the pending log is sent by itself and lands on the engagement
    expect(page.get_by_role("heading", name="Westside listening session")).to_be_visible()
    assert re.search(r"/engagements/\d+/$", page.url)
    _assert_logged_once_with_every_value()
    assert page.evaluate(KEPT_KEYS) == []


@pytest.mark.django_db(transaction=True)
def test_a_server_error_keeps_everything_and_sends_again_by_itself(page, live_server):
    """A 500 at submit: the page says the server had a problem, keeps every value, and sends
    the log again by itself; one engagement results."""
    UserFactory(username="sam", roles=["Staff"])
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/engagements/log/")
    page.locator("form[data-quick-log]").evaluate("(form) => form.setAttribute('data-retry-seconds', '1')")
    page.get_by_label("Title").fill("Westside listening session")
    failures = []

    def fail_once(route):
        if route.request.method == "POST" and not failures:
            failures.append(route.request.url)
            route.fulfill(status=500, content_type="text/html", body="<h1>Server error</h1>")
        else:
            route.continue_()

    page.route("**/engagements/log/", fail_once)
    page.get_by_role("button", name="Log session").click()

    expect(page.get_by_role("alert")).to_contain_text("The server had a problem, so nothing is saved yet.")
    expect(page.get_by_label("Title")).to_have_value("Westside listening session")
    expect(page.get_by_role("heading", name="Westside listening session")).to_be_visible()
    assert len(failures) == 1
    assert Engagement.objects.get().title == "Westside listening session"


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_logs_one_session(page, live_server):
    """Two clicks on "Log session" in quick succession create one engagement."""
    UserFactory(username="sam", roles=["Staff"])
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/engagements/log/")
    page.get_by_label("Title").fill("Westside listening session")

    page.get_by_role("button", name="Log session").evaluate("(button) => { button.click(); button.click(); }")

    expect(page.get_by_role("heading", name="Westside listening session")).to_be_visible()
    assert Engagement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_signing_out_forgets_what_was_typed(page, live_server):
    """What was typed is kept per user until sign-out; the next user on the device sees nothing,
    and a user who signs in where someone else's sign-in ended never gets their values."""
    UserFactory(username="sam", roles=["Staff"])
    UserFactory(username="kim", roles=["Staff"])
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/engagements/log/")
    page.get_by_label("Title").fill("Westside listening session")
    _wait_until_kept(page)

    # a reload brings the values back, and says so
    page.reload()
    expect(page.get_by_label("Title")).to_have_value("Westside listening session")
    expect(page.get_by_text("What you typed earlier on this device is back in the form.")).to_be_visible()

    # sign-out forgets them
    page.get_by_role("button", name="Show or hide the menu").click()
    sign_out = page.get_by_role("button", name="Sign out")
    # The menu has finished opening: mid-animation ("collapsing") a click can land on nothing.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"), timeout=30_000)
    expect(sign_out).to_be_visible()
    sign_out.click()
    # Sign-out waits up to a second for the page cache to be emptied, then posts; on a busy
    # CI machine the whole round trip has taken longer than the default 30 s once.
    page.wait_for_url(re.compile(r"/accounts/login/"), timeout=90_000)
    assert page.evaluate(KEPT_KEYS) == []
    _sign_in(page, "kim")
    page.goto(f"{live_server.url}/engagements/log/")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text("What you typed earlier on this device is back in the form.")).to_be_hidden()

    # kim's sign-in ends without signing out; sam signs in on the device: kim's values are gone
    page.get_by_label("Title").fill("Kim's session")
    page.wait_for_function(KEPT_KEYS.replace("=>", "=> ") + ".length === 1")
    page.context.clear_cookies()
    _log_in(page, live_server, "sam")
    assert page.evaluate(KEPT_KEYS) == []


@pytest.mark.django_db(transaction=True)
def test_the_quick_log_opens_offline_and_sends_later(page, live_server):
    """After one visit the service worker opens the quick log with no network, from its cache
    (other pages are not served from a cache); rows can still be added, and the log is sent
    when the network returns."""
    from coalition.models import Coalition

    UserFactory(username="sam", roles=["Staff"])
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/engagements/log/")
    assert page.evaluate(PAGE_CACHED)
    Coalition.objects.create(name="Formed after the visit")
    context = page.context

    # when: the network is gone
    _go_offline(context)
    response = page.goto(f"{live_server.url}/engagements/log/")

    # then: the kept copy opens (it does not know the coalition formed since)
    assert response.from_service_worker
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    expect(page.get_by_label("Coalition")).not_to_contain_text("Formed after the visit")
    other_page = context.new_page()
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        other_page.goto(f"{live_server.url}/engagements/")
    other_page.close()

    page.get_by_label("Title").fill("Westside listening session")
    page.locator("[name='input-0-text']").fill("The bus shelter has no roof")
    page.get_by_role("button", name="Add an input item").click()
    expect(page.locator("[name='input-1-text']")).to_be_focused()
    page.locator("[name='input-1-text']").fill("Sidewalks are cracked")
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("alert")).to_contain_text("You are offline")
    assert not Engagement.objects.exists()

    # when: the network returns
    _go_online(context)

    # then: the log is sent by itself, once
    expect(page.get_by_role("heading", name="Westside listening session")).to_be_visible()
    engagement = Engagement.objects.get()
    assert [item.text for item in engagement.input_items.all()] == [
        "The bus shelter has no roof",
        "Sidewalks are cracked",
    ]
