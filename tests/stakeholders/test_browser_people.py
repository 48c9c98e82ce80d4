"""Browser: a staff member looks a person up and adds a missing one."""

import pytest
from playwright.sync_api import expect

from stakeholders.models import Person
from tests.browser import log_in
from tests.stakeholders.factories import OrganizationFactory, PersonFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_staff_searches_people_and_adds_one(page, live_server):
    """Search-as-you-type narrows the list; a bad email keeps what was typed; the fixed form saves the person."""
    UserFactory(username="sam", roles=["Staff"])
    PersonFactory(first_name="Ana", last_name="Quiroga")
    PersonFactory(first_name="Ben", last_name="Okoro")
    log_in(page, live_server, "sam")

    page.get_by_test_id("main-nav").get_by_role("link", name="People").click()
    page.get_by_label("Search by name, email or organization").fill("quiro")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Ana Quiroga")).to_be_visible()
    expect(results.get_by_role("link", name="Ben Okoro")).to_have_count(0)

    page.get_by_role("link", name="New person").click()
    page.get_by_label("First name").fill("Carmen")
    page.get_by_label("Last name").fill("Vega")
    page.get_by_label("Email").fill("carmen-at-example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Email")
    expect(page.get_by_label("Last name")).to_have_value("Vega")

    page.get_by_label("Email").fill("carmen@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carmen Vega")
    assert Person.objects.get(email="carmen@example.org").created_by.username == "sam"


@pytest.mark.django_db(transaction=True)
def test_staff_adds_a_missing_person_without_leaving_the_form(page, live_server):
    """On 'Add a person to an organization', search finds existing people, and quick-add creates a
    missing one and selects them in the form, which then saves the affiliation."""
    staff = UserFactory(username="sam", roles=["Staff"])
    organization = OrganizationFactory(name="Eastside Tenants Union", created_by=staff)
    PersonFactory(first_name="Ana", last_name="Quiroga")
    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/organizations/{organization.pk}/people/add/")

    page.get_by_label("Find a person by name, email or organization").fill("quiro")
    expect(page.locator("#id_person option", has_text="Ana Quiroga")).to_have_count(1)

    quick_add = page.locator(".person-quick-add")
    quick_add.get_by_label("First name").fill("Dara")
    quick_add.get_by_label("Last name").fill("Nguyen")
    quick_add.get_by_role("button", name="Add person").click()
    expect(page.locator("#id_person option:checked")).to_have_text("Dara Nguyen")

    page.get_by_label("Role or title").fill("Organizer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Tenants Union")
    expect(page.get_by_role("link", name="Dara Nguyen")).to_be_visible()
