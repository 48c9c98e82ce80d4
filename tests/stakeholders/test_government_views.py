"""Government pages: who may see and change what, query counts, forms that keep input."""

import datetime

import pytest
from django.urls import reverse

from stakeholders.models import Department, Position, Tenure
from stakeholders.services import government as services
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.government_factories import (
    DepartmentFactory,
    ElectionFactory,
    OfficialFactory,
    PositionFactory,
    TenureFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["Staff", "Coordinator", "Admin", "Liaison"]


@pytest.fixture
def structure():
    department = DepartmentFactory(name="Public Works")
    DepartmentFactory(name="Streets Division", parent=department)
    director = PositionFactory(title="Director of Public Works", department=department)
    TenureFactory(position=director, person=OfficialFactory(first_name="Dana", last_name="Reyes"))
    PositionFactory(title="Deputy Director", department=department)
    election = ElectionFactory(positions=[director])
    return {"department": department, "director": director, "election": election}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_government_structure(client, structure, role):
    """Staff, coordinators, admins and liaisons all read departments, positions and elections."""
    client.force_login(UserFactory(roles=[role]))
    for url in (
        reverse("stakeholders:department_list"),
        reverse("stakeholders:department_detail", args=[structure["department"].pk]),
        reverse("stakeholders:department_csv", args=[structure["department"].pk]),
        reverse("stakeholders:position_detail", args=[structure["director"].pk]),
        reverse("stakeholders:election_list"),
        reverse("stakeholders:election_detail", args=[structure["election"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_users_without_a_role_read_nothing(client, structure):
    """An account without a role gets 403 on government pages."""
    client.force_login(UserFactory())
    assert client.get(reverse("stakeholders:department_list")).status_code == 403
    assert client.get(reverse("stakeholders:election_detail", args=[structure["election"].pk])).status_code == 403


@pytest.mark.parametrize("role", ["Staff", "Liaison"])
def test_staff_and_liaisons_cannot_change_the_structure(client, structure, role):
    """Staff and liaisons get 403 on every create, edit and change page, GET and POST."""
    client.force_login(UserFactory(roles=[role]))
    department, director = structure["department"], structure["director"]
    for url in (
        reverse("stakeholders:department_create"),
        reverse("stakeholders:department_edit", args=[department.pk]),
        reverse("stakeholders:position_create"),
        reverse("stakeholders:position_edit", args=[director.pk]),
        reverse("stakeholders:position_change", args=[director.pk]),
        reverse("stakeholders:election_create"),
        reverse("stakeholders:election_edit", args=[structure["election"].pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hacked", "title": "Hacked"}).status_code == 403, url
    assert not Department.objects.filter(name="Hacked").exists()
    response = client.get(reverse("stakeholders:department_detail", args=[department.pk]))
    assert "Record a change" not in response.content.decode()


@pytest.mark.parametrize("role", ["Coordinator", "Admin"])
def test_coordinators_and_admins_change_the_structure(client, structure, role):
    """Coordinators and admins create departments and positions and edit them."""
    client.force_login(UserFactory(roles=[role]))
    response = client.post(
        reverse("stakeholders:department_create"),
        {"name": "Water", "abbreviation": "RWU", "parent": structure["department"].pk},
    )
    water = Department.objects.get(name="Water")
    assert response.status_code == 302 and water.parent == structure["department"]
    response = client.post(
        reverse("stakeholders:position_create"),
        {"title": "Water Commissioner", "department": water.pk, "level": "appointed"},
    )
    assert response.status_code == 302
    assert Position.objects.get(title="Water Commissioner").department == water
    response = client.post(
        reverse("stakeholders:department_edit", args=[water.pk]), {"name": "Water Utility", "abbreviation": ""}
    )
    water.refresh_from_db()
    assert (water.name, water.parent) == ("Water Utility", None)


def test_department_page_shows_holders_vacancies_term_ends_and_sub_departments(client, staff_user, time_machine):
    """The department page shows who holds each position, what is vacant, which terms end soon, and its children."""
    time_machine.move_to(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC))
    department = DepartmentFactory(name="Parks")
    DepartmentFactory(name="Urban Forestry", parent=department)
    chief = PositionFactory(title="Parks Chief", department=department)
    TenureFactory(
        position=chief,
        person=OfficialFactory(first_name="Imani", last_name="Cole"),
        planned_end_date=datetime.date(2026, 3, 31),
    )
    PositionFactory(title="Trails Planner", department=department)
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:department_detail", args=[department.pk])).content.decode()
    assert "Imani Cole" in content
    vacancies = content.split('data-testid="vacancies"')[1].split("</ul>")[0]
    assert "Trails Planner" in vacancies and "Parks Chief" not in vacancies
    term_ends = content.split('data-testid="term-ends"')[1].split("</ul>")[0]
    assert "Imani Cole" in term_ends
    assert "Urban Forestry" in content


def test_department_tree_nests_and_filters_by_level(client, staff_user):
    """The list shows children under parents; the level filter keeps departments with positions at that level."""
    city = DepartmentFactory(name="Office of the Mayor")
    DepartmentFactory(name="Budget Office", parent=city)
    council = DepartmentFactory(name="City Council")
    PositionFactory(department=council, level=Position.Level.ELECTED)
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:department_list")).content.decode()
    assert content.index("Office of the Mayor") < content.index("Budget Office")
    assert "tree-depth-1" in content
    content = client.get(reverse("stakeholders:department_list"), {"level": "elected"}).content.decode()
    assert "City Council" in content and "Budget Office" not in content
    content = client.get(reverse("stakeholders:department_list"), {"q": "budget"}).content.decode()
    assert "Budget Office" in content and "City Council" not in content


def test_department_list_counts_positions_and_vacancies(client, staff_user):
    """Each department shows its positions and how many have nobody in them now; a title search lists it once."""
    parks = DepartmentFactory(name="Parks")
    chief = PositionFactory(title="Parks Chief", department=parks)
    _ended_tenure(chief)
    TenureFactory(position=chief)
    board = PositionFactory(title="Parks Board Seat", department=parks, is_multi_seat=True)
    TenureFactory.create_batch(2, position=board)
    _ended_tenure(PositionFactory(title="Trails Planner", department=parks))
    PositionFactory(title="Trails Ranger", department=parks)
    DepartmentFactory(name="Libraries")
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:department_list"))
    counts = {
        department.name: (department.position_count, department.vacancy_count)
        for department, _ in response.context["rows"]
    }
    assert counts == {"Parks": (4, 2), "Libraries": (0, 0)}
    assert "2 vacancies" in response.content.decode()
    response = client.get(reverse("stakeholders:department_list"), {"q": "trails"})
    assert [department.name for department, _ in response.context["rows"]] == ["Parks"]


def _ended_tenure(position):
    TenureFactory(
        position=position,
        start_date=datetime.date(2019, 1, 1),
        actual_end_date=datetime.date(2023, 12, 31),
        end_reason=Tenure.EndReason.RESIGNED,
    )


def test_coordinator_records_a_departure_and_successor(client, coordinator_user, django_capture_on_commit_callbacks):
    """One form ends the director's tenure (with how it ended) and starts the successor."""
    director = PositionFactory(title="Director")
    leaving = TenureFactory(position=director, start_date=datetime.date(2020, 1, 1))
    successor = OfficialFactory(first_name="Rosa", last_name="Okoro")
    client.force_login(coordinator_user)
    page = client.get(reverse("stakeholders:position_change", args=[director.pk]), {"q": "okoro"})
    assert "Rosa Okoro" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stakeholders:position_change", args=[director.pk]),
            {
                "ending": leaving.pk,
                "end_date": "2026-02-27",
                "end_reason": "retired",
                "successor": successor.pk,
                "start_date": "2026-03-02",
            },
        )
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert (leaving.actual_end_date, leaving.end_reason) == (datetime.date(2026, 2, 27), "retired")
    assert Tenure.objects.get(position=director, actual_end_date__isnull=True).person == successor


def test_change_form_keeps_input_and_names_each_problem(client, coordinator_user):
    """Missing dates are reported at their fields and the chosen values stay selected."""
    director = PositionFactory(title="Director")
    leaving = TenureFactory(position=director, start_date=datetime.date(2020, 1, 1))
    successor = OfficialFactory(first_name="Rosa", last_name="Okoro")
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:position_change", args=[director.pk]),
        {"ending": leaving.pk, "end_date": "", "end_reason": "resigned", "successor": successor.pk, "start_date": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#id_end_date"' in content and 'href="#id_start_date"' in content
    assert 'id="id_end_date_error"' in content
    assert f'<option value="{successor.pk}" selected>' in content
    assert '<option value="resigned" selected>' in content
    leaving.refresh_from_db()
    assert leaving.is_current


def test_service_errors_show_at_the_field(client, coordinator_user):
    """A successor starting before the holder's tenure began is refused with the message at the date field."""
    director = PositionFactory()
    TenureFactory(position=director, start_date=datetime.date(2025, 6, 1))
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:position_change", args=[director.pk]),
        {"successor": OfficialFactory().pk, "start_date": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "The end date cannot be before the tenure started" in response.content.decode()
    assert Tenure.objects.filter(position=director).count() == 1


def test_department_form_keeps_typed_values(client, coordinator_user):
    """A duplicate department name re-shows the form with what was typed."""
    DepartmentFactory(name="Libraries")
    client.force_login(coordinator_user)
    response = client.post(reverse("stakeholders:department_create"), {"name": "Libraries", "abbreviation": "RPL"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="RPL"' in content and 'value="Libraries"' in content
    assert "alert-danger" in content


def test_election_form_keeps_typed_values_and_saves_the_ballot(client, coordinator_user):
    """A bad date is reported at its field; a good form saves the positions on the ballot."""
    mayor = PositionFactory(title="Mayor")
    client.force_login(coordinator_user)
    data = {"name": "Municipal General", "jurisdiction": "City of Riverton", "date": "not a date", "kind": "general"}
    response = client.post(reverse("stakeholders:election_create"), {**data, "positions": [mayor.pk]})
    content = response.content.decode()
    assert response.status_code == 200 and 'href="#id_date"' in content and 'value="Municipal General"' in content
    response = client.post(
        reverse("stakeholders:election_create"), {**data, "date": "2027-04-06", "positions": [mayor.pk]}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Mayor" in detail


def test_election_page_shows_incumbents(client, staff_user):
    """Each position on the ballot shows who holds it now."""
    mayor = PositionFactory(title="Mayor")
    TenureFactory(position=mayor, person=OfficialFactory(first_name="Lee", last_name="Park"))
    election = ElectionFactory(positions=[mayor])
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:election_detail", args=[election.pk])).content.decode()
    ballot = content.split('data-testid="ballot"')[1]
    assert "Mayor" in ballot and "Lee Park" in ballot


def test_csv_exports_neutralise_formulas(client, staff_user):
    """Cells that start with = + - @ are prefixed so spreadsheets do not run them."""
    department = DepartmentFactory()
    PositionFactory(department=department, title="=HYPERLINK(evil)")
    ElectionFactory(name="@SUM(1)")
    client.force_login(staff_user)
    positions_csv = client.get(reverse("stakeholders:department_csv", args=[department.pk])).content.decode()
    assert "'=HYPERLINK(evil)" in positions_csv
    elections_csv = client.get(reverse("stakeholders:election_csv")).content.decode()
    assert "'@SUM(1)" in elections_csv


def test_only_admins_read_tenure_history(client, coordinator_user, admin_user):
    """The position page shows who changed its tenures to admins, not to coordinators."""
    position = PositionFactory()
    services.tenure_start(
        position=position, person=OfficialFactory(), start_date=datetime.date(2025, 1, 1), actor=coordinator_user
    )
    client.force_login(coordinator_user)
    assert "history-title" not in client.get(position.get_absolute_url()).content.decode()
    client.force_login(admin_user)
    content = client.get(position.get_absolute_url()).content.decode()
    assert "history-title" in content and str(coordinator_user) in content


def test_positions_panel_lists_current_first(client, staff_user):
    """The person page panel lists the positions held, the current one first."""
    person = OfficialFactory()
    TenureFactory(
        person=person,
        position=PositionFactory(title="Old Post"),
        start_date=datetime.date(2018, 1, 1),
        actual_end_date=datetime.date(2020, 1, 1),
        end_reason="term_ended",
    )
    TenureFactory(person=person, position=PositionFactory(title="New Post"), start_date=datetime.date(2020, 2, 1))
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:person_positions_panel", args=[person.pk])).content.decode()
    assert content.index("New Post") < content.index("Old Post")
    assert "Term ended" in content


def _many_departments(count):
    parent = None
    for index in range(count):
        department = DepartmentFactory(parent=parent if index % 3 else None)
        position = PositionFactory(department=department)
        TenureFactory(position=position)
        parent = department


@pytest.mark.parametrize("rows", [1, 50])
def test_department_list_query_count_is_fixed(client, staff_user, django_assert_max_num_queries, rows):
    """The department tree costs the same number of queries for 1 or 50 departments."""
    _many_departments(rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("stakeholders:department_list"))
    assert response.content.decode().count('class="list-group-item d-flex') == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_department_page_query_count_is_fixed(client, staff_user, django_assert_max_num_queries, rows):
    """A department page costs the same number of queries with 1 or 50 positions."""
    department = DepartmentFactory()
    for _index in range(rows):
        TenureFactory(position=PositionFactory(department=department))
    client.force_login(staff_user)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("stakeholders:department_detail", args=[department.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_election_list_and_detail_query_counts_are_fixed(client, staff_user, django_assert_max_num_queries, rows):
    """The election list and a ballot of 1 or 50 positions cost a fixed number of queries."""
    positions = [TenureFactory().position for _index in range(rows)]
    for _index in range(rows):
        election = ElectionFactory(positions=positions)
    client.force_login(staff_user)
    with django_assert_max_num_queries(9):
        client.get(reverse("stakeholders:election_list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stakeholders:election_detail", args=[election.pk]))
    assert response.content.decode().count("/positions/") >= rows


def test_position_form_shows_the_service_refusal_at_the_field(client, coordinator_user):
    """Making a shared seat single-seat while two people hold it is refused at "Multi-seat", keeping the new title."""
    board = PositionFactory(title="Parks Board Member", is_multi_seat=True)
    TenureFactory(position=board)
    TenureFactory(position=board)
    client.force_login(coordinator_user)
    response = client.post(
        reverse("stakeholders:position_edit", args=[board.pk]),
        {"title": "Parks Board Seat", "department": board.department_id, "level": "board"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#id_is_multi_seat"' in content and "2 people hold this position now" in content
    assert 'value="Parks Board Seat"' in content
    board.refresh_from_db()
    assert board.is_multi_seat and board.title == "Parks Board Member"


def test_department_search_answers_htmx_with_the_results_only(client, staff_user):
    """An htmx search returns just the results region, not the whole page."""
    DepartmentFactory(name="Water Utility")
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:department_list"), {"q": "water"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results">') and "Water Utility" in content
    assert "<html" not in content
