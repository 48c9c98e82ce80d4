"""Every chart and graph has a table with the same data, checked on the demo city:
the goal progress charts (Chart.js) against the tables under them, and the ally
network graphs (cytoscape.js) against every page of the network table linked under
them, read from the drawn chart objects in the browser."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import Count

from coalition import selectors
from coalition.models import Coalition, Goal
from stakeholders.demo import DEMO_PASSWORD
from tests.browser import log_in
from tests.gates.demo_city import seed_demo_city

GOAL_CHART = """() => ({
  labels: window.goalChart.data.labels.map(String),
  values: window.goalChart.data.datasets[0].data.map(Number),
  target: Number(window.goalChart.data.datasets[1].data[0]),
  baseline: Number(window.goalChart.data.datasets[2].data[0]),
})"""
GOAL_TABLE = """() => Array.from(document.querySelectorAll('[data-testid=goal-progress-table] tbody tr'))
  .map(tr => [tr.cells[0].textContent.trim(), tr.cells[1].textContent.trim()])"""


def next_page(page):
    return page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next", exact=True)


GRAPH = """() => window.allyGraph.nodes().map(n => [n.data('label'), n.degree(false)])"""
GRAPH_TABLE = """() => Array.from(document.querySelectorAll('[data-testid=graph-table] tbody tr'))
  .map(tr => [tr.cells[0].textContent.trim(), tr.cells[3].querySelectorAll('li').length])"""


@pytest.mark.django_db(transaction=True)
def test_every_chart_and_graph_of_the_demo_city_has_a_table_with_the_same_data(page, live_server):
    """Each goal chart plots exactly the baseline, dated values and target of its
    table; each ally graph has exactly the table's nodes, each with as many
    connections as the table lists."""
    seed_demo_city()
    goals = list(Goal.objects.select_related("coalition").order_by("pk"))
    coalitions = list(Coalition.objects.order_by("pk"))
    assert goals and coalitions, "the demo city has no goals or coalitions to check"
    log_in(page, live_server, "admin", DEMO_PASSWORD)

    for goal in goals:
        page.goto(f"{live_server.url}/coalitions/{goal.coalition_id}/goals/{goal.pk}/")
        page.wait_for_function("() => !!window.goalChart")
        chart = page.evaluate(GOAL_CHART)
        rows = page.evaluate(GOAL_TABLE)
        (_, baseline), *dated, (_, target) = rows
        assert Decimal(baseline) == Decimal(str(chart["baseline"])), goal
        assert Decimal(target) == Decimal(str(chart["target"])), goal
        assert [date for date, _ in dated] == chart["labels"], goal
        assert [Decimal(value) for _, value in dated] == [Decimal(str(v)) for v in chart["values"]], goal
        assert dated, f"{goal} has no progress to chart"

    for coalition in coalitions:
        page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")
        page.wait_for_selector("#ally-graph[data-ready=true]")
        graph = sorted(map(tuple, page.evaluate(GRAPH)))
        # The table is its own paged page, linked under the graph: read every page of it.
        page.get_by_test_id("network-table-link").click()
        page.wait_for_url(re.compile(rf"/coalitions/{coalition.pk}/allies/network/"))  # not the map still
        rows = page.evaluate(GRAPH_TABLE)
        while next_page(page).count():
            next_page(page).click()
            page.wait_for_load_state()
            rows += page.evaluate(GRAPH_TABLE)
        table = sorted(map(tuple, rows))
        assert len(graph) > 1, f"{coalition}'s graph shows no allies"
        assert graph == table, f"{coalition}: graph nodes and connections differ from the table"


@pytest.mark.django_db(transaction=True)
def test_the_network_table_pages_add_up_to_the_graph(page, live_server, monkeypatch):
    """With a page of the network table smaller than the network, its pages together
    still have exactly the graph's nodes and connections, each node once."""
    monkeypatch.setattr(selectors, "NETWORK_PAGE_SIZE", 4)
    seed_demo_city()
    coalition = Coalition.objects.annotate(size=Count("stances")).order_by("-size", "pk").first()
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")
    page.wait_for_selector("#ally-graph[data-ready=true]")
    graph = sorted(map(tuple, page.evaluate(GRAPH)))

    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/network/")
    rows, pages = page.evaluate(GRAPH_TABLE), 1
    while next_page(page).count():
        next_page(page).click()
        page.wait_for_load_state()
        rows += page.evaluate(GRAPH_TABLE)
        pages += 1

    assert pages > 2, "the network fits on one page: the test proves nothing about paging"
    assert sorted(map(tuple, rows)) == graph
