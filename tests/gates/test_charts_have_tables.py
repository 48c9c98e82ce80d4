"""Every chart and graph has a table with the same data, checked on the demo city:
the goal progress charts (Chart.js) and the ally network graphs (cytoscape.js)
against the tables under them, read from the drawn chart objects in the browser."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
        table = sorted(map(tuple, page.evaluate(GRAPH_TABLE)))
        assert len(graph) > 1, f"{coalition}'s graph shows no allies"
        assert graph == table, f"{coalition}: graph nodes and connections differ from the table"
