"""The three core journeys with the keyboard alone: Tab, Shift+Tab, Enter, Space
and typing; no mouse clicks and no filling of fields that keyboard focus has not
reached. Every element focused on the way must show where focus is."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coalition.models import AllyStance
from engagements.models import Engagement
from stakeholders.models import StipendPayment, User
from tests.browser import SECOND_STEP_PATH
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory
from tests.gates.demo_city import restore_reference_data
from tests.stakeholders.factories import PASSWORD, UserFactory
from tests.stakeholders.stipend_factories import AgreementFactory, PaymentFactory
from tests.two_step import authenticator_of, next_code

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page, selector: str, *, limit: int = 300, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches selector; it must show focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_VISIBLE), f"{selector} has keyboard focus but shows no focus indicator"
            return
    raise AssertionError(f"{limit} presses of {key} never reached {selector}")


def focus_is_inside(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement.closest(s)", selector)


def keyboard_log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}(/$|{SECOND_STEP_PATH})"))
    if SECOND_STEP_PATH in page.url:  # admins: the second step, by keyboard too
        tab_to(page, "#id_code")
        page.keyboard.type(next_code(authenticator_of(User.objects.get(username=username))))
        page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_staff_logs_a_listening_session_with_the_keyboard(page, live_server):
    """Staff reach the quick log from the navigation, fill in a session with one
    input item (and a theme, ticked with Space) and log it, all by keyboard."""
    restore_reference_data()  # the themes
    UserFactory(username="sam", roles=["Staff"])

    keyboard_log_in(page, live_server, "sam")
    tab_to(page, "[data-testid=main-nav] a[href='/engagements/log/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/engagements/log/")
    tab_to(page, "#id_title")
    page.keyboard.type("Eastside listening session")
    tab_to(page, "#id_attendance_total")
    page.keyboard.type("12")
    tab_to(page, "[name='input-0-text']")
    page.keyboard.type("The crosswalk on 5th Street needs a signal")
    tab_to(page, "[name='input-0-themes']")
    page.keyboard.press("Space")
    tab_to(page, "button[name=action][value=log]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/engagements/\d+/$"))
    engagement = Engagement.objects.get(title="Eastside listening session")
    assert not engagement.is_draft
    items = list(engagement.input_items.all())
    assert [item.text for item in items] == ["The crosswalk on 5th Street needs a signal"]
    assert items[0].themes.exists()


@pytest.mark.django_db(transaction=True)
def test_coordinator_updates_a_stance_on_the_ally_map_with_the_keyboard(page, live_server):
    """The coordinator opens an ally's stance editor from the ally map (htmx), focus
    moves into the editor, the new stance is chosen and saved, and focus stays in
    the editor with the confirmation."""
    coordinator = UserFactory(username="cora", roles=["Coordinator"])
    coalition = CoalitionFactory(name="Safe Routes", coordinators=[coordinator])
    ally = AllyStanceFactory(coalition=coalition, stance="neutral", person__last_name="Okonkwo")

    keyboard_log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")
    tab_to(page, f"#ally-matrix a[hx-get='{ally.get_absolute_url()}']")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stance-editor")).to_be_visible()
    page.wait_for_function("() => !!document.activeElement.closest('#stance-editor')")
    tab_to(page, "#stance-editor select[name=stance]")
    page.keyboard.type("Champion")
    tab_to(page, "#stance-editor input[name=note]")
    page.keyboard.type("Spoke up for the crosswalk at council")
    tab_to(page, "#stance-editor button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Stance saved.")).to_be_visible()
    ally = AllyStance.objects.get(pk=ally.pk)
    assert ally.stance == "champion"
    assert focus_is_inside(page, "[data-testid=stance-editor]"), "focus was lost after saving the stance"


@pytest.mark.django_db(transaction=True)
def test_admin_approves_a_payment_another_admin_submitted_with_the_keyboard(page, live_server):
    """A second admin reaches the approval queue through the navigation and the
    stipends page, approves the payment with Enter, and focus lands on the outcome."""
    creator = UserFactory(username="ada", roles=["Admin"])
    UserFactory(username="abel", roles=["Admin"])
    agreement = AgreementFactory(created_by=creator)
    payment = PaymentFactory(
        agreement=agreement,
        status=StipendPayment.Status.SUBMITTED,
        submitted_by=creator,
        submitted_at=timezone.now() - datetime.timedelta(hours=1),
    )

    keyboard_log_in(page, live_server, "abel")
    tab_to(page, "[data-testid=main-nav] a[href='/stipends/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/stipends/")
    tab_to(page, "main a[href='/stipends/approvals/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/stipends/approvals/")
    tab_to(page, f"form[action='/stipends/payments/{payment.pk}/approve/'] button")
    page.keyboard.press("Enter")

    expect(page.locator(f"#queue-row-{payment.pk}").get_by_role("status")).to_have_text("Approved.")
    payment.refresh_from_db()
    assert payment.status == StipendPayment.Status.APPROVED
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "status"
