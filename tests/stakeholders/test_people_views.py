"""People, organization and neighborhood pages: what each role sees and may change."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Language, Person, PersonDemographics, Relationship
from tests.stakeholders.factories import (
    AffiliationFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, the count, the page (one query with its organizations, languages and
# tags) and the filters' neighborhood, language and tag choices.
LIST_QUERY_BOUND = 7


def _ids(response) -> list[int]:
    """The ids of the rows listed on a people or organization list page."""
    return [row["id"] if isinstance(row, dict) else row.pk for row in response.context["page"]]


def _people_with_everything(count):
    neighborhood = NeighborhoodFactory()
    tag = TagFactory()
    spanish = Language.objects.get(code="es")
    for _ in range(count):
        person = PersonFactory(neighborhood=neighborhood, preferred_language=spanish, tags=[tag], languages=[spanish])
        AffiliationFactory(person=person)


@pytest.mark.parametrize("rows", [1, 50])
def test_people_list_runs_a_fixed_number_of_queries(client, staff_user, django_assert_max_num_queries, rows):
    """The people list costs the same number of queries for 1 row as for 50."""
    _people_with_everything(rows)
    client.force_login(staff_user)
    client.get(reverse("stakeholders:person_list"))  # the first request after signing in may save the session
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(reverse("stakeholders:person_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_people_list_rows_show_current_organizations_languages_and_tags(client, staff_user):
    """A row names the person (by preferred name), links to them, and lists their current organizations
    (newest first, past ones left out), neighborhood, languages and tags."""
    person = PersonFactory(
        first_name="Roberta",
        preferred_name="Bobbie",
        last_name="Quist",
        pronouns="she/her",
        neighborhood=NeighborhoodFactory(name="Harbor View"),
        languages=[Language.objects.get(code="so"), Language.objects.get(code="es")],
        tags=[TagFactory(name="youth"), TagFactory(name="elder")],
    )
    today = timezone.localdate()
    AffiliationFactory(
        person=person, organization=OrganizationFactory(name="Older Union"), start_date=today.replace(year=2019)
    )
    AffiliationFactory(
        person=person, organization=OrganizationFactory(name="Newer Union"), start_date=today.replace(year=2023)
    )
    AffiliationFactory(
        person=person,
        organization=OrganizationFactory(name="Gone Union"),
        start_date=today.replace(year=2010),
        end_date=today.replace(year=2012),
    )
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:person_list")).content.decode()
    row = content[content.index(f'<a href="{person.get_absolute_url()}">Bobbie Quist</a>') :]
    row = row[: row.index("</tr>")]
    assert "(she/her)" in row and "Harbor View" in row and "Somali, Spanish" in row
    assert row.index("Newer Union") < row.index("Older Union") and "Gone Union" not in row
    assert row.index(">elder<") < row.index(">youth<")


@pytest.mark.parametrize("rows", [1, 50])
def test_organization_list_runs_a_fixed_number_of_queries(client, staff_user, django_assert_max_num_queries, rows):
    """The organization list costs the same number of queries for 1 row as for 50."""
    neighborhood, tag = NeighborhoodFactory(), TagFactory()
    for _ in range(rows):
        organization = OrganizationFactory()
        organization.neighborhoods.add(neighborhood)
        organization.tags.add(tag)
        organization.languages.add("es")
    client.force_login(staff_user)
    client.get(reverse("stakeholders:organization_list"))  # the first request after signing in may save the session
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(reverse("stakeholders:organization_list"))
    assert len(response.context["page"].object_list) == rows


def test_people_search_matches_name_email_and_organization(client, staff_user):
    """Search finds people by name, by email and by the organization they belong to."""
    ana = PersonFactory(first_name="Ana", last_name="Quiroga", email="aq@mail.example")
    ben = PersonFactory(first_name="Ben", last_name="Okoro", email="bo@other.example")
    AffiliationFactory(person=ben, organization=OrganizationFactory(name="Eastside Tenants Union"))
    client.force_login(staff_user)

    def found(query):
        response = client.get(reverse("stakeholders:person_list"), {"q": query})
        return {row["id"] for row in response.context["page"].object_list}

    assert found("quiroga") == {ana.pk}
    assert found("other.example") == {ben.pk}
    assert found("tenants union") == {ben.pk}


def test_people_filters_by_neighborhood_language_tag_and_sector(client, staff_user):
    """Each filter narrows the list to the people it names."""
    north = NeighborhoodFactory(name="North Bend")
    youth = TagFactory(name="youth")
    somali = Language.objects.get(code="so")
    in_north = PersonFactory(neighborhood=north)
    speaks = PersonFactory(languages=[somali])
    tagged = PersonFactory(tags=[youth])
    faith = PersonFactory()
    AffiliationFactory(person=faith, organization=OrganizationFactory(kind="faith"))
    client.force_login(staff_user)
    url = reverse("stakeholders:person_list")
    assert _ids(client.get(url, {"neighborhood": north.pk})) == [in_north.pk]
    assert _ids(client.get(url, {"language": "so"})) == [speaks.pk]
    assert _ids(client.get(url, {"tag": youth.pk})) == [tagged.pk]
    assert _ids(client.get(url, {"sector": "faith"})) == [faith.pk]


def test_htmx_search_returns_only_the_results(client, staff_user):
    """An htmx request gets the results fragment, not the whole page."""
    PersonFactory(first_name="Zed")
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_list"), {"q": "Zed"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'id="results"' in content and "<html" not in content and "Zed" in content


def test_csv_export_has_the_filtered_rows_and_neutralises_formulas(client, staff_user):
    """The export holds only the filtered people, and cells starting with = + - @ cannot run as formulas."""
    tag = TagFactory(name="export-me")
    PersonFactory(first_name='=HYPERLINK("http://evil")', last_name="+Plus", notes="x", tags=[tag], phone="-5")
    PersonFactory(first_name="@Handle", last_name="Ok", tags=[tag])
    PersonFactory(first_name="Not", last_name="Exported")
    client.force_login(staff_user)
    response = client.get(reverse("stakeholders:person_export"), {"tag": tag.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["first_name", "last_name"]
    body = rows[1:]
    assert len(body) == 2
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'+Plus" in cells and "'-5" in cells and "'@Handle" in cells
    assert not any(cell[:1] in "=+-@" and cell for cell in cells)


def test_create_form_keeps_what_was_typed_and_names_the_problem(client, staff_user):
    """A duplicate email re-shows the form with every value kept and the error at the email field."""
    PersonFactory(email="taken@example.org")
    client.force_login(staff_user)
    response = client.post(
        reverse("stakeholders:person_create"),
        {"first_name": "Keep", "last_name": "Typed", "email": "TAKEN@example.org", "tags": "alpha, beta"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Keep"' in content and 'value="Typed"' in content and 'value="alpha, beta"' in content
    assert 'id="id_email_error"' in content and "already has this email address" in content
    assert not Person.objects.filter(first_name="Keep").exists()


def test_invalid_email_is_reported_at_the_field(client, staff_user):
    """A malformed email is refused with a message tied to the field."""
    client.force_login(staff_user)
    response = client.post(reverse("stakeholders:person_create"), {"first_name": "X", "email": "not-an-email"})
    assert response.status_code == 200
    assert 'href="#id_email"' in response.content.decode()


def test_staff_create_a_person_and_may_edit_only_their_own(client, staff_user):
    """Staff add people and edit those they added, but not people others added."""
    client.force_login(staff_user)
    response = client.post(
        reverse("stakeholders:person_create"), {"first_name": "Mine", "languages": ["es"], "may_contact": "on"}
    )
    mine = Person.objects.get(first_name="Mine")
    assert response.status_code == 302 and mine.created_by == staff_user and mine.may_contact
    theirs = PersonFactory(created_by=UserFactory(roles=["Staff"]))
    assert client.get(reverse("stakeholders:person_edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("stakeholders:person_edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("stakeholders:person_edit", args=[theirs.pk]), {"first_name": "X"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.first_name != "X"


def test_coordinators_edit_anyone(client, coordinator_user):
    """Coordinators edit people that others created."""
    person = PersonFactory(created_by=UserFactory(), first_name="Old")
    client.force_login(coordinator_user)
    response = client.post(reverse("stakeholders:person_edit", args=[person.pk]), {"first_name": "New"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "New"


def test_liaison_sees_only_the_people_they_work_with(client, liaison_user):
    """A liaison sees themselves, people related to them either way and colleagues in their
    organizations; nobody else, and cannot add or edit anyone."""
    me = PersonFactory(user=liaison_user)
    outgoing, incoming, colleague, stranger = PersonFactory(), PersonFactory(), PersonFactory(), PersonFactory()
    Relationship.objects.create(person=me, other_person=outgoing)
    Relationship.objects.create(person=incoming, other_person=me)
    organization = OrganizationFactory()
    AffiliationFactory(person=me, organization=organization)
    AffiliationFactory(person=colleague, organization=organization)
    AffiliationFactory(person=stranger)
    client.force_login(liaison_user)
    listed = {row["id"] for row in client.get(reverse("stakeholders:person_list")).context["page"].object_list}
    assert listed == {me.pk, outgoing.pk, incoming.pk, colleague.pk}
    assert client.get(reverse("stakeholders:person_detail", args=[colleague.pk])).status_code == 200
    assert client.get(reverse("stakeholders:person_detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("stakeholders:person_edit", args=[outgoing.pk])).status_code == 403
    assert client.get(reverse("stakeholders:person_create")).status_code == 403
    assert client.get(reverse("stakeholders:organization_list")).status_code == 403
    export = client.get(reverse("stakeholders:person_export")).content.decode("utf-8-sig")
    assert stranger.email not in export and colleague.email in export


def test_liaison_without_a_person_record_sees_nobody(client, liaison_user):
    """A liaison whose account is not linked to a person sees an empty list."""
    PersonFactory()
    client.force_login(liaison_user)
    assert client.get(reverse("stakeholders:person_list")).context["page"].paginator.count == 0


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_demographics_and_history_are_hidden_from_non_admins(client, role):
    """Only admins see a person's demographics and history; others cannot open the demographics page."""
    user = UserFactory(roles=[role])
    person = PersonFactory(user=user if role == "Liaison" else None)
    PersonDemographics.objects.create(
        person=person, consent_recorded_at=timezone.now(), gender_identity="Two-spirit-marker"
    )
    client.force_login(user)
    content = client.get(reverse("stakeholders:person_detail", args=[person.pk])).content.decode()
    assert "Two-spirit-marker" not in content and "History" not in content
    assert client.get(reverse("stakeholders:person_demographics", args=[person.pk])).status_code == 403


def test_admin_sees_demographics_history_and_panels(client, admin_user, monkeypatch):
    """Admins see demographics and the history on the record; registered panels are loaded with htmx."""
    from stakeholders import panels

    monkeypatch.setitem(panels._PANELS, "person", [panels.Panel("Positions held", "stakeholders:person_detail")])
    person = PersonFactory()
    PersonDemographics.objects.create(person=person, consent_recorded_at=timezone.now(), gender_identity="Woman")
    client.force_login(admin_user)
    client.post(reverse("stakeholders:person_edit", args=[person.pk]), {"first_name": "Renamed"})
    content = client.get(reverse("stakeholders:person_detail", args=[person.pk])).content.decode()
    assert "Woman" in content
    assert "History" in content and "Renamed" in content and str(admin_user) in content
    assert "Positions held" in content and f'hx-get="/people/{person.pk}/"' in content


def test_admin_records_demographics_only_with_consent(client, admin_user):
    """Answers without the consent box ticked are refused, with every answer kept in the form."""
    person = PersonFactory()
    client.force_login(admin_user)
    url = reverse("stakeholders:person_demographics", args=[person.pk])
    response = client.post(url, {"age_band": "25_34", "gender_identity": "Man"})
    assert response.status_code == 200 and 'value="Man"' in response.content.decode()
    assert not PersonDemographics.objects.filter(person=person).exists()
    client.post(url, {"consent": "on", "age_band": "25_34", "gender_identity": "Man"})
    assert PersonDemographics.objects.get(person=person).gender_identity == "Man"


def test_admin_merges_a_duplicate_from_the_page(client, admin_user, staff_user):
    """Admins merge duplicates on the person page; staff cannot."""
    survivor, duplicate = PersonFactory(), PersonFactory()
    url = reverse("stakeholders:person_merge", args=[survivor.pk])
    client.force_login(staff_user)
    assert client.post(url, {"duplicate": duplicate.pk}).status_code == 403
    client.force_login(admin_user)
    assert client.post(url, {"duplicate": duplicate.pk}).status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_affiliations_are_added_and_ended_from_the_person_page(client, staff_user):
    """Staff add an affiliation to a person they created, then end it."""
    person = PersonFactory(created_by=staff_user)
    organization = OrganizationFactory()
    client.force_login(staff_user)
    client.post(
        reverse("stakeholders:affiliation_add", args=[person.pk]),
        {"organization": organization.pk, "role_title": "Treasurer"},
    )
    affiliation = person.affiliations.get()
    assert affiliation.role_title == "Treasurer"
    client.post(reverse("stakeholders:affiliation_end", args=[person.pk, affiliation.pk]))
    affiliation.refresh_from_db()
    assert affiliation.end_date == timezone.localdate()


def test_quick_add_returns_a_selected_option_for_the_calling_form(client, staff_user):
    """The htmx quick-add creates the person and answers with an <option selected> aimed at the caller's select."""
    client.force_login(staff_user)
    url = reverse("stakeholders:person_quick_add") + "?target=id_attendees"
    assert "quick-first_name" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    response = client.post(
        url, {"quick-first_name": "Quincy", "quick-last_name": "Adams"}, headers={"HX-Request": "true"}
    )
    person = Person.objects.get(first_name="Quincy")
    assert f'<option value="{person.pk}" selected>' in response.content.decode()
    assert response["HX-Retarget"] == "#id_attendees" and response["HX-Reswap"] == "beforeend"
    assert person.created_by == staff_user


def test_quick_add_keeps_input_on_error(client, staff_user):
    """A bad quick-add keeps the typed values and names the problem."""
    client.force_login(staff_user)
    response = client.post(
        reverse("stakeholders:person_quick_add"),
        {"quick-first_name": "", "quick-last_name": "Kept", "quick-email": "bad"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert 'value="Kept"' in content and 'value="bad"' in content and "quick-first_name_error" in content
    assert not Person.objects.filter(last_name="Kept").exists()


def test_person_search_returns_options_for_visible_people(client, liaison_user, staff_user):
    """Search-as-you-type answers with <option>s, only for people the user may see."""
    target = PersonFactory(first_name="Searchable")
    client.force_login(staff_user)
    content = client.get(reverse("stakeholders:person_search"), {"q": "searchab"}).content.decode()
    assert f'<option value="{target.pk}">' in content
    client.force_login(liaison_user)
    content = client.get(reverse("stakeholders:person_search"), {"q": "searchab"}).content.decode()
    assert f'value="{target.pk}"' not in content


def test_organizations_filter_by_sector_partner_and_neighborhood(client, staff_user):
    """Organization filters narrow the list."""
    east = NeighborhoodFactory(name="East Flats")
    faith = OrganizationFactory(kind="faith", is_partner=True)
    faith.neighborhoods.add(east)
    OrganizationFactory(kind="business")
    client.force_login(staff_user)
    url = reverse("stakeholders:organization_list")
    assert _ids(client.get(url, {"kind": "faith"})) == [faith.pk]
    assert _ids(client.get(url, {"is_partner": "true"})) == [faith.pk]
    assert _ids(client.get(url, {"neighborhood": east.pk})) == [faith.pk]


def test_staff_create_organizations_and_edit_only_their_own(client, staff_user):
    """Staff add organizations and edit those they created only."""
    client.force_login(staff_user)
    response = client.post(
        reverse("stakeholders:organization_create"), {"name": "Mine Org", "kind": "grassroots", "tags": "a, b"}
    )
    assert response.status_code == 302
    other = OrganizationFactory(created_by=UserFactory())
    assert client.get(reverse("stakeholders:organization_edit", args=[other.pk])).status_code == 403


def test_organization_form_keeps_input_on_duplicate_name(client, staff_user):
    """A duplicate organization name keeps the typed values and names the problem at the name."""
    OrganizationFactory(name="Unity Church")
    client.force_login(staff_user)
    response = client.post(
        reverse("stakeholders:organization_create"), {"name": "unity church", "kind": "faith", "phone": "555"}
    )
    content = response.content.decode()
    assert 'id="id_name_error"' in content and 'value="555"' in content


def test_neighborhoods_are_managed_by_admins_only(client, admin_user, staff_user):
    """Admins add neighborhoods with their council district; staff cannot reach the pages."""
    client.force_login(staff_user)
    assert client.get(reverse("stakeholders:neighborhood_list")).status_code == 403
    client.force_login(admin_user)
    client.post(reverse("stakeholders:neighborhood_create"), {"name": "Millbrook", "council_district": "4"})
    content = client.get(reverse("stakeholders:neighborhood_list")).content.decode()
    assert "Millbrook" in content


def test_navigation_shows_people_and_organizations_by_permission(client, staff_user, liaison_user):
    """Staff see People and Organizations in the menu; liaisons see People only."""
    client.force_login(staff_user)
    content = client.get(reverse("home")).content.decode()
    assert 'href="/people/"' in content and 'href="/organizations/"' in content
    client.force_login(liaison_user)
    content = client.get(reverse("home")).content.decode()
    assert 'href="/people/"' in content and 'href="/organizations/"' not in content


def test_admin_opens_every_page(client, admin_user):
    """Every people, organization, neighborhood and import page renders for an admin."""
    person = PersonFactory()
    affiliation = AffiliationFactory(person=person)
    neighborhood = NeighborhoodFactory()
    client.force_login(admin_user)
    urls = [
        reverse("stakeholders:person_detail", args=[person.pk]),
        reverse("stakeholders:person_edit", args=[person.pk]),
        reverse("stakeholders:person_demographics", args=[person.pk]),
        reverse("stakeholders:person_merge", args=[person.pk]),
        reverse("stakeholders:affiliation_add", args=[person.pk]),
        reverse("stakeholders:organization_detail", args=[affiliation.organization.pk]),
        reverse("stakeholders:organization_edit", args=[affiliation.organization.pk]),
        reverse("stakeholders:organization_create"),
        reverse("stakeholders:neighborhood_edit", args=[neighborhood.pk]),
        reverse("stakeholders:import_upload", args=["people"]),
        reverse("stakeholders:import_upload", args=["organizations"]),
        reverse("stakeholders:import_template", args=["people"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("stakeholders:organization_detail", args=[affiliation.organization.pk]))
    assert str(person) in detail.content.decode()


def test_adding_a_person_to_an_organization_checks_who_may_edit_it(client, staff_user):
    """Staff add people to organizations they created, and not to others'; an unknown person is refused."""
    mine = OrganizationFactory(created_by=staff_user)
    theirs = OrganizationFactory(created_by=UserFactory())
    person = PersonFactory()
    client.force_login(staff_user)
    url = reverse("stakeholders:organization_member_add", args=[mine.pk])
    response = client.post(url, {"person": 999999, "role_title": "Kept title"})
    assert response.status_code == 200 and 'value="Kept title"' in response.content.decode()
    assert client.post(url, {"person": person.pk, "role_title": "Chair"}).status_code == 302
    assert mine.affiliations.get().person == person
    other_url = reverse("stakeholders:organization_member_add", args=[theirs.pk])
    assert client.post(other_url, {"person": person.pk}).status_code == 403
