"""Browser journey: a coordinator records a director's departure and successor."""

import datetime

import pytest
from playwright.sync_api import expect

from stakeholders.models import Tenure
from tests.browser import log_in
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.government_factories import (
    DepartmentFactory,
    OfficialFactory,
    PositionFactory,
    TenureFactory,
)


@pytest.mark.django_db(transaction=True)
def test_coordinator_records_that_a_director_left_and_a_successor_started(page, live_server):
    """The department page shows the successor as director once the change is recorded."""
    coordinator = UserFactory(username="cora", roles=["Coordinator"])
    department = DepartmentFactory(name="Public Works")
    director = PositionFactory(title="Director of Public Works", department=department)
    TenureFactory(
        position=director,
        person=OfficialFactory(first_name="Dana", last_name="Reyes"),
        start_date=datetime.date(2019, 7, 1),
    )
    OfficialFactory(first_name="Rosa", last_name="Okoro")

    log_in(page, live_server, coordinator.username)
    page.get_by_test_id("main-nav").get_by_role("link", name="Departments").click()
    page.get_by_role("link", name="Public Works").click()
    positions = page.get_by_test_id("positions")
    expect(positions).to_contain_text("Dana Reyes")
    page.get_by_role("link", name="Record a change — Director of Public Works").click()

    page.get_by_label("Find the successor by name or email").fill("Okoro")
    page.get_by_role("button", name="Search people").click()
    expect(page.get_by_label("Who is leaving")).to_have_value(str(director.tenures.get().pk))
    page.get_by_label("Left on").fill("2026-01-30")
    page.get_by_label("How it ended").select_option(label="Resigned")
    page.get_by_label("Successor", exact=True).select_option(label="Rosa Okoro")
    page.get_by_label("Starts on").fill("2026-02-02")
    page.get_by_role("button", name="Record the change").click()

    expect(page.get_by_role("status")).to_contain_text("The change to Director of Public Works is recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public Works")
    expect(positions).to_contain_text("Rosa Okoro")
    expect(positions).not_to_contain_text("Dana Reyes")
    ended = Tenure.objects.get(person__last_name="Reyes")
    assert (ended.actual_end_date, ended.end_reason) == (datetime.date(2026, 1, 30), "resigned")
