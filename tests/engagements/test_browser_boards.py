"""Browser: a coordinator moves a fellow from applied to appointed on the pipeline board,
by keyboard on a phone, and sees the seat filled and the term-end reminder scheduled."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from engagements.models import ReminderSettings
from engagements.services.pipeline import application_create, cohort_create, fellow_add
from stakeholders.models import Tenure
from stakeholders.services.boards import board_create, vacancy_open
from tests.browser import log_in
from tests.stakeholders.factories import PersonFactory, UserFactory
from tests.stakeholders.government_factories import DepartmentFactory

WIDTH = 390


def assert_fits_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_appoints_a_fellow_by_keyboard_and_sees_the_seat_filled(page, live_server):
    """At 390 px, by keyboard only: on the pipeline board the coordinator moves Lena's card
    from Applied to Appointed; the card moves to the Appointed column with her seat and term
    end, the table twin says when the term-end reminder comes, and the board's page shows
    the seat held by her. No axe-core violations on the way."""
    # given
    today = timezone.localdate()
    coordinator = UserFactory(username="cora", first_name="Cora", last_name="Okafor", roles=["Coordinator"])
    board = board_create(
        name="Park and Recreation Board",
        department=DepartmentFactory(name="Parks"),
        term_length_months=24,
        seats=2,
        actor=coordinator,
    )
    seat = board.seats.order_by("pk").first()
    vacancy = vacancy_open(seat=seat, opens_on=today - datetime.timedelta(days=30), deadline=today)
    cohort = cohort_create(
        actor=coordinator, name="Leadership Fellows 2026", starts_on=today - datetime.timedelta(days=200)
    )
    fellow = fellow_add(cohort=cohort, person=PersonFactory(first_name="Lena", last_name="Ortiz"), interests=[board])
    application_create(
        fellow=fellow,
        board=board,
        vacancy=vacancy,
        stage="applied",
        on=today - datetime.timedelta(days=10),
        actor=coordinator,
    )
    page.set_viewport_size({"width": WIDTH, "height": 844})

    # the pipeline board shows her card under Applied
    log_in(page, live_server, "cora")
    page.goto(f"{live_server.url}/boards/cohorts/{cohort.pk}/pipeline/")
    applied = page.locator("section[data-stage='applied']")
    expect(applied.get_by_test_id("pipeline-card")).to_contain_text("Lena Ortiz")
    assert_fits_and_passes_axe(page)

    # by keyboard: focus the card's "Move … to" choice, pick Appointed, Tab to Move, press Enter
    choice = page.get_by_label("Move Lena Ortiz (Park and Recreation Board) to")
    choice.focus()
    choice.select_option("appointed")  # the keyboard's arrow keys on a focused <select>
    expect(choice).to_have_value("appointed")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move")).to_be_focused()
    page.keyboard.press("Enter")

    # the card is under Appointed with the seat and the term end; the message names the reminder
    appointed = page.locator("section[data-stage='appointed']")
    expect(appointed.get_by_test_id("pipeline-card")).to_contain_text("Lena Ortiz")
    tenure = Tenure.objects.get(person=fellow.person, position=seat)
    reminder_on = tenure.planned_end_date - datetime.timedelta(days=ReminderSettings.load().term_end_lead_days)
    expect(appointed.get_by_test_id("card-seat")).to_contain_text("Park and Recreation Board, seat 1")
    expect(page.get_by_role("status")).to_contain_text(f"reminded on {reminder_on.isoformat()}")
    row = page.get_by_test_id("pipeline-row").filter(has_text="Lena Ortiz")
    expect(row.get_by_test_id("pipeline-row-stage")).to_have_text("Appointed")
    assert tenure.start_date == today
    assert tenure.planned_end_date.year == today.year + 2
    assert_fits_and_passes_axe(page)

    # the board's page shows the seat held by her and the vacancy filled
    page.get_by_test_id("pipeline-card").filter(has_text="Lena Ortiz").get_by_role(
        "link", name="Park and Recreation Board"
    ).click()
    expect(page.get_by_role("heading", name="Park and Recreation Board", exact=True)).to_be_visible()
    holder = page.locator(f"#seat-{seat.pk}").get_by_test_id("seat-holder")
    expect(holder).to_have_text("Lena Ortiz")
    expect(page.get_by_test_id("board-vacancy")).to_contain_text("filled by Lena Ortiz")
    assert_fits_and_passes_axe(page)
