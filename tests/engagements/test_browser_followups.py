"""Browser: a coordinator acts on a turnover follow-up."""

import datetime

import pytest
from playwright.sync_api import expect

from engagements.services.followups import followups_turnover
from stakeholders.models import Tenure
from tests.browser import log_in
from tests.engagements.followup_factories import PersonFactory, RelationshipFactory, TenureFactory
from tests.stakeholders.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sees_a_turnover_follow_up_and_marks_it_done(page, live_server):
    """After a tenure ends, the home page shows the follow-up; Done in the inbox drops the count to zero."""
    coordinator = UserFactory(username="cora", roles=["Coordinator"])
    director = PersonFactory(first_name="Dana", last_name="Reyes")
    tenure = TenureFactory(person=director, position__title="Housing Director")
    RelationshipFactory(person=director, owner=coordinator)
    Tenure.objects.filter(pk=tenure.pk).update(actual_end_date=datetime.date.today(), end_reason="resigned")
    followups_turnover(tenure_ids=[tenure.pk])

    log_in(page, live_server, "cora")
    expect(page.get_by_test_id("home-followups")).to_contain_text("Dana Reyes left Housing Director")
    expect(page.get_by_test_id("followup-count")).to_have_text("1")

    page.get_by_role("link", name="All follow-ups").click()
    row = page.get_by_test_id("followup-row").filter(has_text="Dana Reyes")
    row.get_by_role("button", name="Done").click()

    expect(row).to_contain_text("Done")
    expect(page.get_by_test_id("followup-count")).to_have_text("0")
    expect(row.get_by_role("button", name="Done")).to_have_count(0)
