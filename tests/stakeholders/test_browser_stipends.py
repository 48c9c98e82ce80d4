"""One journey in a real browser: two admins take a stipend payment from agreement to paid."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.stakeholders.stipend_factories import FundingSourceFactory, LiaisonProfileFactory, PersonFactory, UserFactory


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/accounts/logout/"))


@pytest.mark.django_db(transaction=True)
def test_two_admins_take_a_payment_from_agreement_to_paid(page, live_server):
    """Admin one drafts, signs off and activates an agreement and records a payment;
    admin two approves it from the queue; admin one marks it paid; the budget bar moves."""
    # given
    first = UserFactory(username="ada", roles=["Admin"])
    UserFactory(username="abel", roles=["Admin"])
    liaison = LiaisonProfileFactory(person=PersonFactory(first_name="Amina", last_name="Yusuf"))
    source = FundingSourceFactory(name="Community Voices", budget=Decimal("1000.00"))
    paid_bar = page.get_by_test_id(f"paid-bar-{source.pk}")

    # admin one: agreement, sign-off, activation
    log_in(page, live_server, first.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Stipends").click()
    expect(paid_bar).to_have_attribute("aria-valuenow", "0")
    page.goto(f"{live_server.url}/stipends/agreements/create/")
    page.get_by_label("Liaison").select_option(label=str(liaison))
    page.get_by_label("Funding source").select_option(label=str(source))
    page.get_by_label("Rate").fill("250")
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    page.get_by_label("Cap").fill("800")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Sign off").click()
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_test_id("agreement-status")).to_have_text("Active")

    # admin one: a payment for two sessions, submitted
    page.get_by_role("link", name="New payment").click()
    page.get_by_label("Period start").fill("2026-10-01")
    page.get_by_label("Period end").fill("2026-10-31")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("payment-amount")).to_have_text("$500.00")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Waiting for another admin to approve it.")).to_be_visible()
    payment_url = page.url
    sign_out(page)

    # admin two: approve from the queue in one click
    log_in(page, live_server, "abel")
    page.goto(f"{live_server.url}/stipends/approvals/")
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("status").filter(has_text="Approved.")).to_be_visible()
    sign_out(page)

    # admin one: mark it paid; the paid part of the budget bar grows to half
    log_in(page, live_server, first.username)
    page.goto(payment_url)
    page.get_by_role("link", name="Mark paid").click()
    page.get_by_label("Finance reference").fill("AP-000123")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_test_id("payment-status")).to_have_text("Paid")
    page.get_by_test_id("main-nav").get_by_role("link", name="Stipends").click()
    expect(paid_bar).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_test_id(f"remaining-{source.pk}")).to_have_text("$500.00")
