"""Browser: an equity impact assessment from a commitment's page to the public page, on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engagements.services.engagements import engagement_publish
from tests.browser import log_in
from tests.engagements.factories import CommitmentFactory, EngagementFactory, InputItemFactory
from tests.stakeholders.factories import UserFactory

WIDTH = 390


def assert_fits_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_writes_an_assessment_an_admin_publishes_it_and_the_public_sees_it(page, live_server):
    """At 390 px, by keyboard: a coordinator writes an assessment from a commitment, citing what
    was heard; another user (an admin) reviews and publishes it; the public "You said, we did"
    page then shows who it affects, without anyone's name. No axe-core violations on the way."""
    # given
    coordinator = UserFactory(username="cora", first_name="Corazon", last_name="Writesmith", roles=["Coordinator"])
    UserFactory(username="ada", first_name="Adaline", last_name="Checkworth", roles=["Admin"], is_staff=True)
    engagement = EngagementFactory(title="Elm Street walk")
    InputItemFactory(engagement=engagement, text="Kids cross at Elm without a light")
    commitment = CommitmentFactory(engagement=engagement, description="Calm traffic on Elm Street")
    engagement_publish(actor=coordinator, engagement=engagement)
    page.set_viewport_size({"width": WIDTH, "height": 844})

    # the coordinator writes it from the commitment's page
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/engagements/commitments/{commitment.pk}/")
    expect(page.get_by_test_id("commitment-assessment")).to_contain_text("No assessment yet")
    page.get_by_role("link", name="Write one").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Write an equity impact assessment")).to_be_visible()
    page.get_by_label("Populations affected").focus()
    page.keyboard.type("Children walking to Elm Elementary")
    page.get_by_label("Burdens").focus()
    page.keyboard.type("Longer drives for residents")
    page.get_by_label("Benefits").focus()
    page.keyboard.type("Safer crossings")
    page.get_by_label("Kids cross at Elm without a light").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Kids cross at Elm without a light")).to_be_checked()
    page.get_by_label("Mitigation").focus()
    page.keyboard.type("Signed detours")
    assert_fits_and_passes_axe(page)
    page.get_by_role("button", name="Save assessment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("assessment-status")).to_have_text("Draft")
    expect(page.get_by_test_id("assessment-input")).to_contain_text("Kids cross at Elm without a light")
    expect(page.get_by_text("someone else must review it")).to_be_visible()
    assert_fits_and_passes_axe(page)

    # an admin reviews and publishes it, from the list
    page.context.clear_cookies()
    log_in(page, live_server, "ada")
    page.goto(f"{live_server.url}/equity/assessments/")
    assert_fits_and_passes_axe(page)
    page.get_by_test_id("assessment-row").get_by_role("link", name="Calm traffic on Elm Street").first.click()
    page.get_by_label("Next step").select_option(label="Mark as reviewed")
    page.get_by_role("button", name="Save step").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("Reviewed")
    page.get_by_label("Next step").select_option(label="Publish on the public page")
    page.get_by_role("button", name="Save step").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("Published")
    expect(page.get_by_test_id("assessment-steps")).to_contain_text("Reviewed → Published")
    assert_fits_and_passes_axe(page)

    # the public page shows it, without names
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{engagement.get_public_url()}")
    assessment = page.get_by_test_id("public-assessment")
    expect(assessment).to_contain_text("Children walking to Elm Elementary")
    expect(assessment).to_contain_text("Signed detours")
    body = page.locator("body").inner_text()
    for name in ("Corazon", "Writesmith", "Adaline", "Checkworth"):
        assert name not in body
    assert_fits_and_passes_axe(page)
