"""People search: name, email and organization, tolerating a typo, with pg_trgm and without it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import Person
from stakeholders.selectors import search as selectors
from tests.stakeholders.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["natural", "portable"])
def search_mode(request, monkeypatch):
    """Each test runs with the database's own mode (trigram when pg_trgm is there) and forced portable."""
    if request.param == "portable":
        monkeypatch.setattr(selectors, "trigram_search_available", lambda: False)
    return request.param


@pytest.fixture
def people():
    okafor = PersonFactory(first_name="Cora", last_name="Okafor", email="cora@example.org")
    smith = PersonFactory(first_name="Sam", last_name="Smith", email="sam.smith@example.org")
    AffiliationFactory(person=smith, organization=OrganizationFactory(name="Riverbend Alliance"))
    return okafor, smith


def _found(query):
    return set(selectors.people_matching(Person.objects.all(), query).values_list("last_name", flat=True))


def test_typo_patterns_cover_one_edit():
    """A 4+ letter term yields patterns for one replaced, one extra and one missing character."""
    patterns = selectors.typo_patterns("okafr")
    assert "%okafr%" in patterns
    assert "%okaf_r%" in patterns  # a missing letter
    assert "%okaf%" in patterns  # an extra letter
    assert "%o_afr%" in patterns  # a replaced letter
    assert selectors.typo_patterns("ok") == ["%ok%"]
    assert "%50\\%\\_%" in selectors.typo_patterns("50%_")  # LIKE wildcards typed by the user are escaped


def test_search_finds_by_name_email_and_organization(search_mode, people):
    """Exact words find a person by last name, by email and by an organization's name."""
    assert _found("okafor") == {"Okafor"}
    assert _found("sam.smith@example") == {"Smith"}
    assert _found("Riverbend") == {"Smith"}
    assert _found("cora okafor") == {"Okafor"}


def test_search_tolerates_a_typo(search_mode, people):
    """A letter missing from a name or an organization still finds the person; unrelated words do not."""
    assert _found("Okafr") == {"Okafor"}
    assert _found("Riverbnd") == {"Smith"}
    assert _found("Zebulon") == set()


def test_search_finds_every_member_of_a_matching_organization_once(search_mode):
    """All members of a matching organization are found; one found by name and organization counts once."""
    alliance = OrganizationFactory(name="Riverbend Alliance")
    for last_name in ("Adeyemi", "Riverbend", "Nakamura"):
        AffiliationFactory(person=PersonFactory(last_name=last_name), organization=alliance)
    PersonFactory(last_name="Smith")
    matches = selectors.people_matching(Person.objects.all(), "riverbend")
    assert sorted(matches.values_list("last_name", flat=True)) == ["Adeyemi", "Nakamura", "Riverbend"]
    assert _found("riverbend adeyemi") == {"Adeyemi"}


def test_trigram_search_tests_each_candidate_once(search_mode, people):
    """With pg_trgm the bitmap scan's recheck is the only test of a candidate person: no filter repeats it.

    Written ``text %> term`` (not ``term <% text``) the OR of the two trigram conditions
    is exactly the scan's index condition, so PostgreSQL drops the duplicate filter.
    """
    if search_mode == "portable" or not selectors.trigram_search_available():
        pytest.skip("the portable search has no trigram index")
    matches = selectors.people_matching(Person.objects.all(), "okafor")
    sql, params = matches.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny
        cursor.execute("EXPLAIN " + sql, params)
        plan = [line for (line,) in cursor.fetchall()]
    person_scan = next(i for i, line in enumerate(plan) if "Bitmap Heap Scan on stakeholders_personsearchentry" in line)
    scan_details = []
    for line in plan[person_scan + 1 :]:
        if "->" in line:
            break
        scan_details.append(line.strip())
    assert any(detail.startswith("Recheck Cond:") for detail in scan_details)
    assert not any(detail.startswith("Filter:") for detail in scan_details)


def test_people_list_search_uses_it(client, staff_user, people):
    """The people list's search box finds a person through a typo."""
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_list"), {"q": "okafr"})
    assert response.status_code == 200
    okafor, _smith = people
    assert [row["id"] for row in response.context["page"].object_list] == [okafor.pk]
    assert "Cora Okafor" in response.content.decode()


@pytest.mark.parametrize("matches", [1, 60])
def test_people_list_search_counts_in_the_page_query(client, staff_user, django_assert_num_queries, matches):
    """A search reads its page's people and the number of matches in one query, then the page's rows.

    As many queries as the plain list (which counts, then reads a page), for 1 match as for 60.
    """
    PersonFactory.create_batch(matches, last_name="Okafor")
    PersonFactory(last_name="Smith")
    client.force_login(staff_user)
    url = reverse("stakeholders:person_list")
    client.get(url, {"q": "okafor"})  # warms the per-process caches (the pg_trgm check)
    plain_list = _queries(client, url, {})  # counts in a query of its own
    with django_assert_num_queries(plain_list):
        response = client.get(url, {"q": "okafor"})
    assert response.context["page"].paginator.count == matches
    assert len(response.context["page"].object_list) == min(matches, 50)


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("number", "shown"),
    [("1", 1), ("2", 2), ("3", 3), ("99", 3), ("0", 3), ("-1", 3), ("x", 1), ("", 1)],
)
def test_search_pages_behave_like_the_plain_list(client, staff_user, number, shown):
    """Pages of search results: a number past the end or below 1 shows the last page, anything else the first."""
    PersonFactory.create_batch(120, last_name="Okafor")
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_list"), {"q": "okafor", "page": number})
    shown_page = response.context["page"]
    assert shown_page.number == shown
    assert shown_page.paginator.count == 120 and shown_page.paginator.num_pages == 3
    assert len(shown_page.object_list) == (20 if shown == 3 else 50)


def test_search_without_matches_shows_an_empty_first_page(client, staff_user, people):
    """No match: page 1 of 1, zero people, the empty-table message."""
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_list"), {"q": "zebulon", "page": "4"})
    assert response.context["page"].number == 1 and response.context["page"].paginator.count == 0
    assert "No people match these filters." in response.content.decode()
