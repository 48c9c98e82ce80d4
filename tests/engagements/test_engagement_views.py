"""The quick log and engagement pages over HTTP: submission, errors, drafts, permissions, lists."""

import csv
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Attendance, AttendanceBreakdown, Engagement, LoopBack
from stakeholders.models import Language, Person
from tests.engagements.factories import (
    BreakdownOptionFactory,
    CommitmentFactory,
    DepartmentFactory,
    EngagementFactory,
    InputItemFactory,
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db
LOG_URL = reverse("engagements:log")


def _management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def _post_data(**overrides):
    today = timezone.localdate()
    data = {
        "kind": "listening_session",
        "title": "Northside listening session",
        "date": today.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
        "location": "Northside Library",
        "attendance_total": "20",
        "summary": "Talked about the bus line.",
        "action": "log",
        **_management("input", 0),
        **_management("commitment", 0),
        **_management("breakdown", 0),
    }
    data.update(overrides)
    return data


def _with_rows(data, prefix, rows):
    data.update(_management(prefix, len(rows)))
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_staff_logs_a_whole_session_in_one_submit(client, staff_user):
    """One POST stores input items, a named attendee and a commitment, then shows the engagement."""
    client.force_login(staff_user)
    theme = ThemeFactory(name="Transit")
    person = PersonFactory()
    data = _post_data(attendees=[str(person.pk)])
    _with_rows(
        data,
        "input",
        [
            {"text": "Bus 7 is late", "themes": str(theme.pk), "count_raised": "4"},
            {"text": "More lights", "count_raised": "1"},
        ],
    )
    _with_rows(
        data, "commitment", [{"description": "Ask transit about bus 7", "owner": str(staff_user.pk), "answers": "1"}]
    )

    response = client.post(LOG_URL, data)

    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("engagements:detail", args=[engagement.pk])
    assert engagement.input_items.count() == 2
    assert list(engagement.attendees.all()) == [person]
    assert engagement.commitments.get().input_items.get().text == "Bus 7 is late"
    person.refresh_from_db()
    assert person.last_contact_on == timezone.localdate()


def test_invalid_input_keeps_everything_and_says_what_is_wrong_where(client, staff_user):
    """A breakdown over the total and a row error re-render with all typed text and errors beside fields."""
    client.force_login(staff_user)
    option = BreakdownOptionFactory(label="Spanish speakers")
    data = _post_data(title="", attendance_total="5", summary="Keep this summary")
    _with_rows(data, "input", [{"text": "Keep this input", "count_raised": "0"}])
    _with_rows(data, "breakdown", [{"option": str(option.pk), "count": "9"}])

    response = client.post(LOG_URL, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Keep this summary" in body
    assert "Keep this input" in body
    assert "Ensure this value is greater than or equal to 1." in body  # row error next to its field
    assert not Engagement.objects.exists()

    # fix the row: now the service's rules speak (title missing, breakdown over total)
    data["input-0-count_raised"] = "1"
    body = client.post(LOG_URL, data).content.decode()
    assert "Give the session a title" in body
    assert "more than the 5 who came" in body
    assert "Keep this summary" in body


def test_draft_is_saved_listed_and_resumed(client, staff_user):
    """Save as draft keeps a half-finished log; it is listed and finishing it logs it."""
    client.force_login(staff_user)
    data = _post_data(title="", date="", start_time="", end_time="", action="draft")
    _with_rows(data, "input", [{"text": "Half remembered", "count_raised": "1"}])

    response = client.post(LOG_URL, data)

    assert response.status_code == 302
    draft = Engagement.objects.get()
    assert draft.is_draft
    assert "Half remembered" not in client.get(reverse("engagements:drafts")).content.decode()
    assert reverse("engagements:resume", args=[draft.pk]) in client.get(reverse("engagements:drafts")).content.decode()
    page = client.get(reverse("engagements:resume", args=[draft.pk])).content.decode()
    assert "Half remembered" in page

    item = draft.input_items.get()
    finished = _post_data(title="Finished session")
    _with_rows(finished, "input", [{"id": str(item.pk), "text": "Fully remembered", "count_raised": "1"}])
    response = client.post(reverse("engagements:resume", args=[draft.pk]), finished)

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Engagement.Status.LOGGED
    assert draft.input_items.get().text == "Fully remembered"


def test_someone_elses_draft_is_not_found(client, staff_user):
    """Drafts belong to whoever started them."""
    draft = EngagementFactory(status=Engagement.Status.DRAFT)
    client.force_login(staff_user)
    assert client.get(reverse("engagements:resume", args=[draft.pk])).status_code == 404


def test_quick_log_submit_runs_a_bounded_number_of_queries(client, staff_user, django_assert_max_num_queries):
    """Ten input items, twenty attendees and three commitments: one bounded submit."""
    client.force_login(staff_user)
    themes = [ThemeFactory() for _ in range(3)]
    people = PersonFactory.create_batch(20)
    data = _post_data(attendees=[str(p.pk) for p in people], host_organizations=[str(OrganizationFactory().pk)])
    _with_rows(
        data,
        "input",
        [{"text": f"Item {n}", "themes": [str(t.pk) for t in themes], "count_raised": "1"} for n in range(10)],
    )
    _with_rows(
        data,
        "commitment",
        [{"description": f"Do {n}", "owner": str(staff_user.pk), "answers": str(n + 1)} for n in range(3)],
    )

    with django_assert_max_num_queries(30):
        response = client.post(LOG_URL, data)

    assert response.status_code == 302
    assert Engagement.objects.get().attendances.count() == 20


def test_empty_row_comes_from_the_server_numbered_after_the_others(client, staff_user):
    """The htmx row endpoint returns row N and bumps the form count out of band."""
    client.force_login(staff_user)
    response = client.get(reverse("engagements:quick_log_row", args=["input"]), {"input-TOTAL_FORMS": "2"})
    body = response.content.decode()
    assert 'name="input-2-text"' in body
    assert 'id="id_input-TOTAL_FORMS" value="3" hx-swap-oob="true"' in body


def test_attendee_search_and_quick_add(client, staff_user):
    """Search finds people by name; adding on the spot creates the person and returns a chip."""
    client.force_login(staff_user)
    PersonFactory(first_name="Marisol", last_name="Quintero")
    found = client.get(reverse("engagements:attendee_search"), {"attendee_q": "maris"}).content.decode()
    assert "Marisol Quintero" in found

    response = client.post(
        reverse("engagements:attendee_quick_add"),
        {"qa-name": "Tomás Ruiz", "qa-email": "tomas@example.org", "qa-phone": "", "qa-language": "es"},
    )
    person = Person.objects.get(email="tomas@example.org")
    assert (person.first_name, person.last_name, person.preferred_language_id) == ("Tomás", "Ruiz", "es")
    assert f'name="attendees" value="{person.pk}"' in response.content.decode()

    bad = client.post(reverse("engagements:attendee_quick_add"), {"qa-name": "", "qa-email": "not-an-email"})
    assert bad.headers["HX-Retarget"] == "#quick-add"
    assert "Enter a valid email address." in bad.content.decode()


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison", "Admin"])
def test_each_role_may_open_the_quick_log(client, role):
    """Everyone who logs sessions may open the quick log."""
    client.force_login(UserFactory(roles=[role]))
    assert client.get(LOG_URL).status_code == 200


def test_a_user_without_a_role_may_not_log(client):
    """No role, no quick log."""
    client.force_login(UserFactory())
    assert client.get(LOG_URL).status_code == 403


def test_staff_see_all_but_edit_only_their_own(client, staff_user):
    """Staff see every engagement and may edit only the ones they logged."""
    mine = EngagementFactory(created_by=staff_user)
    theirs = EngagementFactory()
    client.force_login(staff_user)
    assert client.get(reverse("engagements:detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("engagements:edit", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("engagements:edit", args=[mine.pk])).status_code == 200


def test_coordinators_edit_all_and_publish(client, coordinator_user):
    """Coordinators edit anyone's engagement and publish it."""
    engagement = EngagementFactory()
    client.force_login(coordinator_user)
    assert client.get(reverse("engagements:edit", args=[engagement.pk])).status_code == 200
    client.post(reverse("engagements:publish", args=[engagement.pk]))
    engagement.refresh_from_db()
    assert engagement.is_published


def test_staff_may_not_publish(client, staff_user):
    """Publishing is for coordinators and admins."""
    engagement = EngagementFactory(created_by=staff_user)
    client.force_login(staff_user)
    assert client.post(reverse("engagements:publish", args=[engagement.pk])).status_code == 403


def test_liaisons_see_only_what_they_facilitated(client, liaison_user):
    """A liaison sees the sessions they facilitated, not the others."""
    person = PersonFactory(user=liaison_user)
    facilitated = EngagementFactory(title="Facilitated one")
    facilitated.facilitator_people.add(person)
    other = EngagementFactory(title="Somebody else's")
    client.force_login(liaison_user)

    listing = client.get(reverse("engagements:list")).content.decode()
    assert "Facilitated one" in listing
    assert "Somebody else&#x27;s" not in listing and "Somebody else's" not in listing
    assert client.get(reverse("engagements:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("engagements:detail", args=[facilitated.pk])).status_code == 200


def _many_engagements(count):
    org = OrganizationFactory()
    for engagement in EngagementFactory.create_batch(count):
        engagement.host_organizations.add(org)
        InputItemFactory(engagement=engagement)
        CommitmentFactory(engagement=engagement)


@pytest.mark.parametrize("rows", [1, 50])
def test_engagement_list_query_count_does_not_grow(client, staff_user, django_assert_max_num_queries, rows):
    """The list takes the same number of queries with 1 row as with 50."""
    _many_engagements(rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("engagements:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_list_filters_by_kind(client, staff_user):
    """Filtering by kind leaves only engagements of that kind."""
    EngagementFactory(title="A hearing", kind=Engagement.Kind.PUBLIC_HEARING)
    EngagementFactory(title="A workshop", kind=Engagement.Kind.WORKSHOP)
    client.force_login(staff_user)
    body = client.get(reverse("engagements:list"), {"kind": "workshop"}).content.decode()
    assert "A workshop" in body and "A hearing" not in body


def test_csv_export_neutralises_formulas(client, staff_user):
    """Cells that a spreadsheet would run as a formula are exported as text."""
    EngagementFactory(title='=HYPERLINK("http://evil")', summary="@SUM(A1)")
    client.force_login(staff_user)
    response = client.get(reverse("engagements:list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert rows[1][-1] == "'@SUM(A1)"


def test_calendar_shows_the_month(client, staff_user):
    """The month calendar lists the engagements of that month."""
    engagement = EngagementFactory(title="Calendar session")
    client.force_login(staff_user)
    month = timezone.localtime(engagement.starts_at).strftime("%Y-%m")
    assert "Calendar session" in client.get(reverse("engagements:calendar"), {"month": month}).content.decode()


def test_person_panel_lists_attended_engagements_and_last_contact(client, staff_user):
    """A person's panel lists the engagements they attended with their last contact date."""
    person = PersonFactory(last_contact_on=timezone.localdate())
    engagement = EngagementFactory(title="Attended session")
    engagement.attendances.create(person=person)
    client.force_login(staff_user)
    body = client.get(reverse("engagements:person_panel", args=[person.pk])).content.decode()
    assert "Attended session" in body
    assert "Last contact" in body


def test_organization_panel_needs_a_role(client):
    """Users who see no engagements get no panel."""
    client.force_login(UserFactory())
    assert client.get(reverse("engagements:organization_panel", args=[OrganizationFactory().pk])).status_code == 403


def test_editing_shows_the_rows_and_saves_changes(client, coordinator_user):
    """The edit page is the quick log filled in; saving updates rows in place and keeps commitment status."""
    engagement = EngagementFactory(title="Before")
    item = InputItemFactory(engagement=engagement, text="Original input")
    commitment = CommitmentFactory(engagement=engagement, description="Original promise", status="accepted")
    commitment.input_items.add(item)
    client.force_login(coordinator_user)
    url = reverse("engagements:edit", args=[engagement.pk])

    page = client.get(url).content.decode()
    assert "Original input" in page and "Original promise" in page

    data = _post_data(title="After")
    _with_rows(data, "input", [{"id": str(item.pk), "text": "Edited input", "count_raised": "2"}])
    _with_rows(data, "commitment", [{"id": str(commitment.pk), "description": "Edited promise", "answers": "1"}])
    response = client.post(url, data)

    assert response.status_code == 302
    engagement.refresh_from_db()
    commitment.refresh_from_db()
    assert engagement.title == "After"
    assert engagement.input_items.get().text == "Edited input"
    assert (commitment.description, commitment.status) == ("Edited promise", "accepted")


def test_facilitator_choices_offer_liaisons_not_everyone(client, staff_user):
    """The liaison picker lists people with the Liaison role, not every resident."""
    liaison = PersonFactory(first_name="Lupita", user=UserFactory(roles=["Liaison"]))
    resident = PersonFactory(first_name="Residentia")
    client.force_login(staff_user)
    field = client.get(LOG_URL).context["form"].fields["facilitator_people"]
    assert liaison in field.queryset
    assert resident not in field.queryset


def test_person_panel_hides_engagements_the_viewer_may_not_see(client, liaison_user):
    """A liaison's view of someone's panel lists only engagements the liaison may see."""
    person = PersonFactory()
    EngagementFactory(title="Not facilitated").attendances.create(person=person)
    client.force_login(liaison_user)
    body = client.get(reverse("engagements:person_panel", args=[person.pk])).content.decode()
    assert "Not facilitated" not in body


def test_navigation_offers_logging_engagements_and_commitments(client, staff_user):
    """Staff find the quick log, the list and the commitments in the menu."""
    client.force_login(staff_user)
    content = client.get(reverse("home")).content.decode()
    for url in (LOG_URL, reverse("engagements:list"), reverse("engagements:commitments")):
        assert f'href="{url}"' in content


def test_commitment_answers_follow_the_numbers_shown_after_a_row_is_removed(client, staff_user):
    """With item 1 removed from the page, "answers 2" still means the item labelled 2."""
    client.force_login(staff_user)
    data = _post_data()
    _with_rows(data, "input", [{"text": "removed"}, {"text": "Item two", "count_raised": "1"}])
    del data["input-0-text"]
    _with_rows(data, "commitment", [{"description": "Answer two", "answers": "2"}])

    assert client.post(LOG_URL, data).status_code == 302
    assert Engagement.objects.get().commitments.get().input_items.get().text == "Item two"


def test_commitment_answering_a_missing_item_is_shown_on_its_row(client, staff_user):
    """Naming an item number that is not on the page is an error beside the commitment."""
    client.force_login(staff_user)
    data = _post_data()
    _with_rows(data, "input", [{"text": "Only item", "count_raised": "1"}])
    _with_rows(data, "commitment", [{"description": "Answer five", "answers": "5"}])
    body = client.post(LOG_URL, data).content.decode()
    assert "There is no input item 5 above." in body
    assert not Engagement.objects.exists()


def test_csv_link_keeps_the_filters(client, staff_user):
    """The download link exports what the filters show."""
    client.force_login(staff_user)
    body = client.get(reverse("engagements:list"), {"kind": "workshop", "page": "1"}, headers={"HX-Request": "true"})
    assert "?kind=workshop&amp;format=csv" in body.content.decode()


def _full_engagement(rows):
    """A logged engagement with ``rows`` of everything its page lists."""
    engagement = EngagementFactory(title="Bus line session")
    engagement.languages.set(Language.objects.filter(code__in=["en", "es"]))
    engagement.interpretation_languages.set(Language.objects.filter(code="es"))
    engagement.departments.add(DepartmentFactory(name="Transit"))
    for n in range(rows):
        engagement.host_organizations.add(OrganizationFactory(name=f"Host {n}"))
        engagement.facilitator_people.add(PersonFactory())
        Attendance.objects.create(engagement=engagement, person=PersonFactory())
        AttendanceBreakdown.objects.create(engagement=engagement, option=BreakdownOptionFactory(), count=1)
        item = InputItemFactory(engagement=engagement, text=f"Heard {n}")
        item.themes.add(ThemeFactory(name=f"Theme {n}"))
        commitment = CommitmentFactory(engagement=engagement, description=f"Promise {n}")
        LoopBack.objects.create(commitment=commitment, date=timezone.localdate(), method=LoopBack.Method.FLYER)
    return engagement


@pytest.mark.parametrize("rows", [1, 10])
def test_engagement_page_shows_everything_in_a_constant_number_of_queries(
    client, staff_user, django_assert_max_num_queries, rows
):
    """The engagement page lists names, themes and loop-back counts without a query per row."""
    engagement = _full_engagement(rows)
    client.force_login(staff_user)
    client.get(reverse("engagements:detail", args=[engagement.pk]))  # the session is saved once after sign-in
    with django_assert_max_num_queries(9):
        response = client.get(reverse("engagements:detail", args=[engagement.pk]))
    body = response.content.decode()
    assert "English, Spanish" in body and "Transit" in body and "Host 0" in body
    assert '<span class="badge text-bg-info">Theme 0</span>' in body
    assert "Promise 0" in body and "<td>1</td></tr>" in body  # one loop-back


# --- The idempotency key and the page's script (issue 18) ----------------------------


def _key_on(page: str) -> str:
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert match, "the quick log carries a hidden submission_key"
    return match.group(1)


def test_each_quick_log_fill_gets_its_own_key(client, staff_user):
    """The page carries a hidden idempotency key, new at each visit, and what the script needs."""
    client.force_login(staff_user)
    first, second = client.get(LOG_URL).content.decode(), client.get(LOG_URL).content.decode()
    assert uuid.UUID(_key_on(first)) != uuid.UUID(_key_on(second))
    assert f'data-user="{staff_user.pk}"' in first
    assert f'data-service-worker="{reverse("service_worker")}"' in first
    assert f'href="{reverse("login")}?next=/engagements/log/"' in first  # the "Sign in again" link


def test_a_repeated_post_redirects_to_the_engagement_already_logged(client, staff_user):
    """The same form sent twice (a double tap, a retry) logs one engagement with one set of rows,
    and the repeat lands on it."""
    client.force_login(staff_user)
    key = _key_on(client.get(LOG_URL).content.decode())
    person = PersonFactory()
    data = _post_data(attendees=[str(person.pk)], submission_key=key)
    _with_rows(data, "input", [{"text": "Bus 7 is late", "count_raised": "4"}])
    _with_rows(data, "commitment", [{"description": "Ask transit about bus 7", "answers": "1"}])

    first = client.post(LOG_URL, data)
    again = client.post(LOG_URL, data)

    engagement = Engagement.objects.get()
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == reverse("engagements:detail", args=[engagement.pk])
    assert engagement.submission_key == uuid.UUID(key)
    assert engagement.input_items.count() == 1
    assert engagement.attendances.count() == 1
    assert engagement.commitments.count() == 1


def test_the_script_is_told_where_to_go_in_json(client, staff_user):
    """A submission from the page's script (X-Quick-Log: fetch) gets the next address in JSON,
    not a redirect: to the script a redirect means the sign-in has ended."""
    client.force_login(staff_user)
    data = _post_data(submission_key=str(uuid.uuid4()))

    response = client.post(LOG_URL, data, headers={"X-Quick-Log": "fetch"})
    again = client.post(LOG_URL, data, headers={"X-Quick-Log": "fetch"})

    engagement = Engagement.objects.get()
    assert response.json() == again.json() == {"location": reverse("engagements:detail", args=[engagement.pk])}
    draft = client.post(
        LOG_URL, _post_data(action="draft", submission_key=str(uuid.uuid4())), headers={"X-Quick-Log": "fetch"}
    )
    assert draft.json() == {"location": reverse("engagements:drafts")}


def test_a_signed_out_submission_is_sent_to_sign_in_and_saves_nothing(client, staff_user):
    """After the sign-in ends, a submission is redirected to the sign-in page (which the script
    reports) and nothing is logged."""
    response = client.post(LOG_URL, _post_data(submission_key=str(uuid.uuid4())), headers={"X-Quick-Log": "fetch"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Engagement.objects.exists()


def test_drafts_keep_working_with_a_key(client, staff_user):
    """Save as draft twice with one key keeps one draft, which is then finished as before."""
    client.force_login(staff_user)
    data = _post_data(title="", action="draft", submission_key=str(uuid.uuid4()))
    client.post(LOG_URL, data)
    response = client.post(LOG_URL, data)

    draft = Engagement.objects.get()
    assert response.url == reverse("engagements:drafts")
    resume = reverse("engagements:resume", args=[draft.pk])
    resumed_key = _key_on(client.get(resume).content.decode())
    response = client.post(resume, _post_data(title="Finished", submission_key=resumed_key))
    draft.refresh_from_db()
    assert response.url == reverse("engagements:detail", args=[draft.pk])
    assert draft.status == Engagement.Status.LOGGED


def test_a_missing_or_malformed_key_still_logs(client, staff_user):
    """The key is a safeguard, not a requirement: without one (or with garbage) the log is saved."""
    client.force_login(staff_user)
    assert client.post(LOG_URL, _post_data()).status_code == 302
    assert client.post(LOG_URL, _post_data(submission_key="not-a-key")).status_code == 302
    assert Engagement.objects.filter(submission_key=None).count() == 2


def test_someone_elses_key_is_refused_on_the_page(client, staff_user):
    """A key another user's log already holds re-renders the form with a message and logs nothing."""
    key = uuid.uuid4()
    EngagementFactory(title="Not yours", submission_key=key, created_by=UserFactory(roles=["Staff"]))
    client.force_login(staff_user)

    response = client.post(LOG_URL, _post_data(submission_key=str(key)))

    body = response.content.decode()
    assert response.status_code == 200
    assert "This form was already used by someone else." in body
    assert "Not yours" not in body
    assert Engagement.objects.count() == 1


def test_the_key_stays_out_of_exports_and_the_public_page(client, coordinator_user):
    """The idempotency key is bookkeeping: neither the CSV nor the public page shows it."""
    key = uuid.uuid4()
    engagement = EngagementFactory(title="Keyed session", submission_key=key)
    client.force_login(coordinator_user)
    client.post(reverse("engagements:publish", args=[engagement.pk]))
    engagement.refresh_from_db()

    exported = client.get(reverse("engagements:list"), {"format": "csv"}).content.decode()
    public = client.get(engagement.get_public_url()).content.decode()
    detail = client.get(reverse("engagements:detail", args=[engagement.pk])).content.decode()

    assert "Keyed session" in exported and "Keyed session" in public
    for body in (exported, public, detail):
        assert str(key) not in body and key.hex not in body
