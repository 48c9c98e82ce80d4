"""People search: name, email and organization, tolerating a typo, with pg_trgm and without it."""

import pytest
from django.urls import reverse

from stakeholders.models import Person
from stakeholders.selectors import people as selectors
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


def test_people_list_search_uses_it(client, staff_user, people):
    """The people list's search box finds a person through a typo."""
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_list"), {"q": "okafr"})
    assert response.status_code == 200
    assert "Okafor" in response.content.decode()
    assert "Smith" not in response.content.decode()
