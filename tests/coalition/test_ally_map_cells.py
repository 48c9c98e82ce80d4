"""The ally map at city scale: bounded matrix cells, a cell opened as a paged list,
and the network as a paged table with the graph's content."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition import selectors
from coalition.selectors import CELL_LIMIT, OUTSIDE_GOVERNMENT, ally_map
from tests.coalition.conftest import TODAY
from tests.coalition.factories import (
    AllyStanceFactory,
    CoalitionFactory,
    DepartmentFactory,
    MembershipFactory,
    PositionFactory,
    RelationshipFactory,
    TenureFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ally(coalition, last_name, *, influence="medium", stance="ally", department=None, at_risk=False):
    ally = AllyStanceFactory(
        coalition=coalition,
        stance=stance,
        influence=influence,
        person__last_name=last_name,
        person__last_contact_on=None if at_risk else TODAY,
    )
    if department:
        TenureFactory(person=ally.person, position=PositionFactory(department=department))
    return ally


def test_a_cell_shows_its_first_allies_at_risk_first_then_by_influence(today):
    """A cell of five shows three allies: the one at risk, then the most influential; its counts cover all five."""
    coalition = CoalitionFactory()
    works = DepartmentFactory(name="Public Works")
    _ally(coalition, "Low", influence="low", department=works)
    _ally(coalition, "Medium", influence="medium", department=works)
    silent = _ally(coalition, "Silent", influence="low", department=works, at_risk=True)
    high = _ally(coalition, "High", influence="high", department=works)
    another = _ally(coalition, "Another High", influence="high", department=works)

    cell = ally_map(coalition).rows[0].cells[1]  # the "Ally" column

    assert [row.pk for row in cell.allies] == [silent.pk, another.pk, high.pk]
    assert len(cell.allies) == CELL_LIMIT
    assert (cell.count, cell.at_risk_count, cell.more) == (5, 1, True)


def test_show_all_opens_the_cell_as_a_list_with_the_reasons(client, today, coordinator_user):
    """The "Show all" link of a full cell opens the map focused on that department and stance,
    listing every ally of the cell with the reasons of their risks; with htmx only the region."""
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    works = DepartmentFactory(name="Public Works")
    for index in range(CELL_LIMIT + 2):
        _ally(coalition, f"Works{index}", department=works, at_risk=index == 0)
    _ally(coalition, "Elsewhere", stance="champion", department=works)
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_map", args=[coalition.pk])

    page = client.get(url).content.decode()
    links = re.findall(r'href="([^"]*department=[^"]*)"', page)
    assert links == [f"{url}?department={works.pk}&amp;stance=ally"]
    assert "Show all 5 allies" in page

    focused = client.get(url, {"department": works.pk, "stance": "ally"}).content.decode()
    assert "Public Works, stance Ally" in focused
    assert focused.count('data-testid="ally"') == CELL_LIMIT + 2
    assert "Works0" in focused and "Elsewhere" not in focused
    assert "No contact on record." in focused
    assert f'name="department" value="{works.pk}"' in focused  # the at-risk filter keeps the focus

    partial = client.get(
        url, {"department": works.pk, "stance": "ally"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ally-matrix"
    ).content.decode()
    assert partial.count('data-testid="ally"') == CELL_LIMIT + 2
    assert 'id="ally-graph"' not in partial


def test_a_focused_list_is_paged(client, today, coordinator_user, monkeypatch):
    """A department or stance with more allies than a page lists them over pages, at risk first."""
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 2)
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    for name in ["Adams", "Baker", "Cruz"]:
        _ally(coalition, name, stance="neutral")
    _ally(coalition, "Drift", stance="neutral", at_risk=True)
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_map", args=[coalition.pk])

    first = client.get(url, {"stance": "neutral"}).content.decode()
    second = client.get(url, {"stance": "neutral", "page": "2"}).content.decode()

    assert "All departments, stance Neutral" in first and "Page 1 of 2" in first
    assert "Drift" in first and "Adams" in first and "Baker" not in first
    assert "Baker" in second and "Cruz" in second and "Drift" not in second


def test_outside_government_and_unknown_departments(client, today, coordinator_user):
    """``department=0`` lists the allies without a position; a department that does not exist is 404."""
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    _ally(coalition, "Outsider")
    _ally(coalition, "Insider", department=DepartmentFactory(name="Library"))
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_map", args=[coalition.pk])

    outside = client.get(url, {"department": OUTSIDE_GOVERNMENT}).content.decode()
    assert "Outside government, every stance" in outside
    assert "Outsider" in outside and "Insider" not in outside
    assert client.get(url, {"department": "999999"}).status_code == 404
    assert client.get(url, {"department": "x", "stance": "nonsense"}).status_code == 200  # ignored


def _table_rows(html: str) -> list[tuple[str, int]]:
    body = html.split('data-testid="graph-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [(re.search(r"<a [^>]*>([^<]*)</a>", row).group(1), row.count("<li>")) for row in body.split("<tr>")[1:]]


def test_the_network_table_has_the_graph_over_its_pages(client, today, coordinator_user, monkeypatch):
    """Across its pages, the network table lists each node of the graph once with as many
    connections as the node has edges, in a fixed number of queries."""
    monkeypatch.setattr(selectors, "NETWORK_PAGE_SIZE", 3)
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    owner = UserFactory(roles=["Staff"], first_name="Olu", last_name="Banks")
    champion = AllyStanceFactory(coalition=coalition, stance="champion", owner=owner, person__last_name="Champ")
    skeptic = AllyStanceFactory(coalition=coalition, stance="skeptic", person__last_name="Skep")
    member = MembershipFactory(coalition=coalition, organization__name="Riverton Food Bank")
    RelationshipFactory(person=champion.person, other_person=skeptic.person)
    RelationshipFactory(person=skeptic.person, other_person=None, organization=member.organization)
    client.force_login(coordinator_user)
    graph = client.get(reverse("coalition:ally_graph_json", args=[coalition.pk])).json()
    degrees = {node["i"]: 0 for node in graph["n"]}
    for source, target, _kind in graph["e"]:
        degrees[source] += 1
        degrees[target] += 1
    expected = sorted((node["l"], degrees[node["i"]]) for node in graph["n"])
    url = reverse("coalition:ally_network", args=[coalition.pk])

    rows = []
    for number in (1, 2):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        rows += _table_rows(response.content.decode())

    assert len(expected) == 5
    assert sorted(rows) == expected
    assert rows[0][0] == coalition.name  # the coalition first, then staff
    assert rows[1][0] == "Olu Banks"


def test_the_network_table_runs_a_fixed_number_of_queries(client, coordinator_user):
    """The network table's query count does not grow with the network."""
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    AllyStanceFactory(coalition=coalition)
    client.force_login(coordinator_user)
    url = reverse("coalition:ally_network", args=[coalition.pk])
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(30):
        AllyStanceFactory(coalition=coalition, owner=UserFactory(roles=["Staff"]))
        MembershipFactory(coalition=coalition)

    with CaptureQueriesContext(connection) as large:
        response = client.get(url, {"page": "2"})

    assert response.status_code == 200
    assert len(large) == len(small)
