"""Browser: a coordinator works the ally map."""

import datetime

import pytest
from playwright.sync_api import expect

from coalition import selectors
from tests.browser import log_in
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory, PositionFactory, TenureFactory
from tests.stakeholders.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_coordinator_filters_to_at_risk_allies_and_opens_one_from_the_graph(page, live_server):
    """The coordinator opens the ally map, shows only allies at risk, then opens an ally's record from the graph."""
    # given: one ally safe, one whose term ends soon
    coordinator = UserFactory(roles=["Coordinator"])
    coalition = CoalitionFactory(name="Safe Routes", coordinators=[coordinator])
    today = datetime.date.today()
    safe = AllyStanceFactory(coalition=coalition, stance="champion", person__last_name="Steady")
    TenureFactory(person=safe.person, position=PositionFactory(title="Parks Director"))
    risky = AllyStanceFactory(coalition=coalition, stance="ally", person__last_name="Leaving", owner=coordinator)
    TenureFactory(
        person=risky.person,
        position=PositionFactory(title="Council Member, District 2"),
        planned_end_date=today + datetime.timedelta(days=30),
    )
    csp_errors = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text))

    # when: the coordinator opens the map and filters to allies at risk
    log_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")
    matrix = page.get_by_test_id("ally-matrix")
    expect(matrix.get_by_role("link", name=risky.person.display_name, exact=True)).to_be_visible()
    expect(matrix.get_by_role("link", name=safe.person.display_name, exact=True)).to_be_visible()
    page.get_by_label("Only allies at risk").check()

    # then: only the ally at risk is listed, with the reason
    expect(page.get_by_test_id("ally-matrix").get_by_role("link", name=safe.person.display_name)).to_have_count(0)
    expect(page.get_by_test_id("ally-matrix")).to_contain_text("Term ending")
    assert "at_risk=1" in page.url

    # when: they select the ally's node in the network graph
    expect(page.locator("#ally-graph[data-ready='true']")).to_have_count(1)
    assert page.evaluate("() => window.allyGraph.nodes().length") == 4  # coalition, two allies, the owner
    page.evaluate(f"() => window.allyGraph.getElementById('p{risky.person_id}').emit('tap')")

    # then: the ally's record opens, with the stance history
    page.wait_for_url(f"**/coalitions/{coalition.pk}/allies/{risky.pk}/")
    expect(page.get_by_test_id("ally-name")).to_have_text(risky.person.display_name)
    expect(page.get_by_test_id("stance-history")).to_be_visible()
    assert csp_errors == []


@pytest.mark.django_db(transaction=True)
def test_coordinator_changes_a_stance_from_the_map(page, live_server):
    """The stance editor opens on the map, saves with history, and the matrix moves the ally to the new column."""
    coordinator = UserFactory(roles=["Coordinator"])
    coalition = CoalitionFactory(coordinators=[coordinator])
    ally = AllyStanceFactory(coalition=coalition, stance="skeptic", person__last_name="Turning")
    log_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")

    page.get_by_role("link", name=f"Edit stance {ally.person.display_name}").click()
    editor = page.get_by_test_id("stance-editor")
    editor.get_by_label("Stance").select_option("champion")
    editor.get_by_label("Why it changed").fill("Toured the site")
    editor.get_by_role("button", name="Save stance").click()

    expect(page.get_by_test_id("stance-editor")).to_contain_text("Stance saved.")
    expect(page.get_by_test_id("stance-history")).to_contain_text("Skeptic → Champion")
    champion_column = page.locator("[data-testid=ally-matrix] tbody tr td:nth-child(2)")
    expect(champion_column.get_by_role("link", name=ally.person.display_name, exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_coordinator_opens_a_full_cell_and_filters_it_to_allies_at_risk(page, live_server):
    """A cell with more allies than it shows links to all of them; the list keeps its
    department and stance when the at-risk filter is switched on, and leads back to the map."""
    coordinator = UserFactory(roles=["Coordinator"])
    coalition = CoalitionFactory(coordinators=[coordinator])
    today = datetime.date.today()
    for index in range(5):
        AllyStanceFactory(
            coalition=coalition,
            stance="neutral",
            person__last_name=f"Quiet{index}",
            person__last_contact_on=None if index == 4 else today,
        )
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")

    page.get_by_role("link", name="Show all 5 allies").click()

    expect(page.get_by_test_id("ally-focus")).to_have_text("Outside government, stance Neutral")
    expect(page.get_by_test_id("ally-focus")).to_be_focused()
    expect(page.get_by_test_id("ally-list").get_by_test_id("ally")).to_have_count(5)
    assert "department=0" in page.url and "stance=neutral" in page.url
    page.get_by_label("Only allies at risk").check()
    expect(page.get_by_test_id("ally-list").get_by_test_id("ally")).to_have_count(1)
    expect(page.get_by_label("Only allies at risk")).to_be_focused()
    expect(page.get_by_test_id("ally-list")).to_contain_text("No contact on record.")
    assert "at_risk=1" in page.url and "stance=neutral" in page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.get_by_role("link", name="Back to the whole map").click()
    expect(page.get_by_test_id("ally-matrix")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_map_its_cell_lists_and_the_network_table_pass_axe(page, live_server, monkeypatch):
    """The matrix with full cells, a cell opened as a paged list, and a page of the
    network table have no WCAG 2.2 A/AA violations."""
    from tests.gates.test_accessibility import assert_no_violations

    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "NETWORK_PAGE_SIZE", 2)
    coordinator = UserFactory(roles=["Coordinator"])
    coalition = CoalitionFactory(coordinators=[coordinator])
    for index in range(5):
        AllyStanceFactory(coalition=coalition, person__last_name=f"Many{index}", owner=coordinator)
    log_in(page, live_server, coordinator.username)

    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/")
    page.wait_for_selector("#ally-graph[data-ready=true]")
    assert_no_violations(page, "ally map")
    page.get_by_test_id("cell-all").first.click()
    expect(page.get_by_test_id("ally-focus")).to_be_focused()
    assert_no_violations(page, "a cell of the ally map")
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/?stance=neutral&page=2")
    assert_no_violations(page, "the second page of a stance")
    page.goto(f"{live_server.url}/coalitions/{coalition.pk}/allies/network/?page=2")
    assert_no_violations(page, "the network table")
