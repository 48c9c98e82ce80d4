"""Browser: a staff member logs a listening session on a 390 px phone and finds it in the list."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engagements.models import Engagement
from stakeholders.models import Person
from tests.browser import log_in
from tests.stakeholders.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_staff_logs_a_session_on_a_phone(page, live_server):
    """Two input items, an attendee added on the spot and a commitment, in one submit, at 390 px,
    with no axe-core violations on the filled-in quick log or the list."""
    user = UserFactory(username="sam", roles=["Staff"])
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, user.username)

    page.goto(f"{live_server.url}/engagements/log/")
    page.get_by_label("Title").fill("Westside listening session")
    page.get_by_label("How many came").fill("14")
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
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()

    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("heading", name="Westside listening session")).to_be_visible()

    engagement = Engagement.objects.get(title="Westside listening session")
    assert engagement.input_items.count() == 2
    assert list(engagement.attendees.all()) == [Person.objects.get(email="rosa@example.org")]
    assert engagement.commitments.get().input_items.get().text == "The bus shelter has no roof"

    page.goto(f"{live_server.url}/engagements/")
    expect(page.get_by_role("link", name="Westside listening session")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()
