"""Browser: a coordinator reads the equity dashboard on a phone (issue 14)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from stakeholders.demo import DEMO_PASSWORD
from tests.browser import log_in
from tests.gates.demo_city import seed_demo_city
from tests.gates.test_accessibility import AXE_OPTIONS

# Each reach chart's bars against its table twin, read from the drawn Chart.js objects.
CHARTS = """() => Object.fromEntries(Object.entries(window.equityCharts).map(([key, chart]) => [key, {
  labels: chart.data.labels.map(String),
  values: chart.data.datasets.map(d => d.data),
}]))"""
TABLE = """(id) => Array.from(document.querySelectorAll(`[data-testid=reach-table-${id}] tbody tr`))
  .map(tr => [tr.cells[0].textContent.trim(), tr.cells[1].textContent.trim()])"""


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_reads_the_equity_dashboard_on_a_phone(page, live_server):
    """At 390 px the dashboard fits the screen, has no axe violations, every reach chart
    plots exactly its table's numbers, and choosing another trend category by keyboard
    redraws the trend without leaving the page."""
    seed_demo_city()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "coordinator", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/equity/")
    page.wait_for_function("() => window.equityCharts && Object.keys(window.equityCharts).length > 1")
    expect(page.get_by_role("heading", name="Who we heard from")).to_be_visible()
    expect(page.get_by_test_id("representation-table")).to_contain_text("under-heard")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    charts = page.evaluate(CHARTS)
    reach_keys = [key for key in charts if key.startswith("reach-")]
    assert len(reach_keys) >= 3  # language, neighborhood, age band
    for key in reach_keys:
        rows = page.evaluate(TABLE, key.removeprefix("reach-"))
        assert [label for label, _ in rows] == charts[key]["labels"], key
        shown = [int(value) if value.isdigit() else None for _, value in rows]
        assert shown == charts[key]["values"][0], key

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [v["id"] for v in violations]

    # Keyboard: focus the trend choice, pick Age band, and the trend redraws in place.
    trend = page.get_by_label("Trend by")
    trend.focus()
    trend.select_option(label="Age band")
    expect(page.get_by_test_id("trend-table")).to_contain_text("65 and over")
    page.wait_for_function("() => window.equityCharts.trend.data.datasets.some(d => d.label === '65 and over')")
    assert "trend=" in page.url
