"""Engagements, commitments and follow-ups over the API: each role sees what its pages show,
writes go through the quick log's and the pages' services, bad input changes nothing,
and a list page costs the same number of queries whatever its length."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import (
    Attendance,
    AttendanceBreakdown,
    Commitment,
    CommitmentStatusChange,
    Engagement,
    FollowUp,
    InputItem,
)
from engagements.selectors.engagements import commitment_list_for, engagement_list_for
from engagements.selectors.followups import followups_visible_to
from engagements.services import engagements as services
from stakeholders.models import ApiToken, Language, Person
from stakeholders.services.tokens import api_token_create
from tests.engagements.factories import (
    BreakdownOptionFactory,
    CommitmentFactory,
    DepartmentFactory,
    EngagementFactory,
    InputItemFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
)
from tests.engagements.followup_factories import FollowUpFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGAGEMENTS = "/api/v1/engagements/"
COMMITMENTS = "/api/v1/commitments/"
FOLLOW_UPS = "/api/v1/follow-ups/"
ROLES = ["Staff", "Coordinator", "Admin", "Liaison"]


def bearer(user, scope=ApiToken.Scope.READ_WRITE) -> dict:
    return {"authorization": f"Bearer {api_token_create(user=user, name='test', scope=scope)[1]}"}


def all_ids(client, url: str, headers: dict) -> set[int]:
    """The ids of every row of a list endpoint, following its cursor pages."""
    ids: set[int] = set()
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        ids |= {row["id"] for row in response.json()["results"]}
        url = response.json()["next"]
    return ids


def post(client, url: str, body, headers: dict):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers=headers)


def patch(client, url: str, body, headers: dict):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def liaison_world():
    """A liaison (a person too) and engagements that are theirs in each way, or not."""
    liaison = UserFactory(roles=["Liaison"])
    person = PersonFactory(user=liaison, first_name="Lia")
    logged = EngagementFactory(title="Logged by the liaison", created_by=liaison)
    as_person = EngagementFactory(title="Facilitated as a person")
    as_person.facilitator_people.add(person)
    as_user = EngagementFactory(title="Facilitated as a user")
    as_user.facilitator_users.add(liaison)
    others = EngagementFactory(title="Someone else's")
    draft = EngagementFactory(title="The liaison's draft", created_by=liaison, status=Engagement.Status.DRAFT)
    for engagement in (logged, as_person, others, draft):
        CommitmentFactory(engagement=engagement)
    return {"liaison": liaison, "mine": {logged, as_person, as_user}, "others": others, "draft": draft}


# --- who sees what --------------------------------------------------------------------------


def test_a_liaisons_token_sees_exactly_the_engagements_of_their_list_page(client, liaison_world):
    """The liaison's token lists the engagements the liaison's list page lists (logged or
    facilitated by them; no drafts, nobody else's), and each of the others is a 404."""
    liaison = liaison_world["liaison"]
    headers = bearer(liaison, scope=ApiToken.Scope.READ)

    listed = all_ids(client, ENGAGEMENTS, headers)

    assert listed == set(engagement_list_for(liaison).values_list("pk", flat=True))
    assert listed == {engagement.pk for engagement in liaison_world["mine"]}
    for hidden in (liaison_world["others"], liaison_world["draft"]):
        assert client.get(f"{ENGAGEMENTS}{hidden.pk}/", headers=headers).status_code == 404


def test_a_liaisons_token_sees_exactly_the_commitments_of_their_accountability_page(client, liaison_world):
    """Commitments follow their engagements: the liaison's, as on the accountability page."""
    liaison = liaison_world["liaison"]
    headers = bearer(liaison, scope=ApiToken.Scope.READ)

    listed = all_ids(client, COMMITMENTS, headers)

    assert listed == set(commitment_list_for(liaison).values_list("pk", flat=True))
    assert len(listed) == 2
    hidden = liaison_world["others"].commitments.get()
    assert client.get(f"{COMMITMENTS}{hidden.pk}/", headers=headers).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_what_its_pages_show(client, liaison_world, role):
    """For each role the API lists exactly the engagements, commitments and follow-ups of
    that user's pages: follow-ups only the caller's own."""
    user = UserFactory(roles=[role])
    FollowUpFactory(user=user, title="Mine")
    FollowUpFactory(user=UserFactory(roles=[role]), title="A colleague's")
    headers = bearer(user, scope=ApiToken.Scope.READ)

    assert all_ids(client, ENGAGEMENTS, headers) == set(engagement_list_for(user).values_list("pk", flat=True))
    assert all_ids(client, COMMITMENTS, headers) == set(commitment_list_for(user).values_list("pk", flat=True))
    followups = all_ids(client, FOLLOW_UPS, headers)
    assert followups == set(followups_visible_to(user).values_list("pk", flat=True))
    assert followups == set(FollowUp.objects.filter(user=user).values_list("pk", flat=True))


def test_an_engagement_carries_its_attendance_counts_and_input(client, staff_user):
    """An engagement shows how many came, how many are named, the counts by group and what
    residents said, with their themes."""
    engagement = EngagementFactory(attendance_total=40)
    option = BreakdownOptionFactory(label="Spanish")
    AttendanceBreakdown.objects.create(engagement=engagement, option=option, count=12)
    for person in PersonFactory.create_batch(3):
        Attendance.objects.create(engagement=engagement, person=person)
    item = InputItemFactory(engagement=engagement, text="Buses skip the stop", count_raised=7)
    item.themes.add(ThemeFactory(name="Transit"))

    body = client.get(f"{ENGAGEMENTS}{engagement.pk}/", headers=bearer(staff_user)).json()

    assert body["attendance_total"] == 40
    assert body["attendee_count"] == 3
    assert body["breakdowns"] == [
        {"option": option.pk, "category": option.category.name, "label": "Spanish", "count": 12}
    ]
    assert body["input_items"] == [
        {"id": item.pk, "text": "Buses skip the stop", "themes": ["Transit"], "count_raised": 7}
    ]


def test_filtering_by_date_keeps_the_engagements_since_that_day(client, staff_user):
    """``date_from`` (the list page's "From") keeps engagements that started on that day or later."""
    now = timezone.now()
    old = EngagementFactory(starts_at=now - datetime.timedelta(days=40), ends_at=None)
    recent = EngagementFactory(starts_at=now - datetime.timedelta(days=3), ends_at=None)
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    headers = bearer(staff_user)

    ids = all_ids(client, f"{ENGAGEMENTS}?date_from={since}", headers)

    assert recent.pk in ids and old.pk not in ids
    assert client.get(f"{ENGAGEMENTS}?date_from=not-a-day", headers=headers).status_code == 400


# --- logging an engagement ------------------------------------------------------------------


@pytest.fixture
def session_parts():
    """What a session refers to: a neighborhood, a host, a department, a theme, a breakdown
    option, two residents and a commitment owner."""
    return {
        "neighborhood": NeighborhoodFactory(name="Eastside"),
        "host": OrganizationFactory(),
        "department": DepartmentFactory(),
        "theme": ThemeFactory(name="Transit"),
        "option": BreakdownOptionFactory(label="Spanish"),
        "residents": PersonFactory.create_batch(2),
        "owner": UserFactory(roles=["Coordinator"]),
    }


def session_body(parts: dict, **overrides) -> dict:
    """The JSON that logs a session (the README's example has this shape)."""
    body = {
        "kind": "listening_session",
        "title": "Eastside listening session",
        "starts_at": "2026-03-10T18:00:00-05:00",
        "ends_at": "2026-03-10T20:00:00-05:00",
        "neighborhood": parts["neighborhood"].pk,
        "location": "Eastside Library",
        "languages": ["en", "es"],
        "interpretation_languages": ["es"],
        "host_organizations": [parts["host"].pk],
        "departments": [parts["department"].pk],
        "attendance_total": 30,
        "attendees": [person.pk for person in parts["residents"]],
        "breakdowns": [{"option": parts["option"].pk, "count": 12}],
        "input_items": [
            {"text": "Buses skip the stop", "themes": ["Transit"], "count_raised": 5},
            {"text": "Streetlights are out on 5th"},
        ],
        "commitments": [
            {"description": "Ask transit to review the stop", "owner": parts["owner"].pk, "answers": [1]},
        ],
        "summary": "Transit and lighting.",
    }
    body.update(overrides)
    return body


def log_in_the_browsers_way(user, parts: dict) -> Engagement:
    """The same session through the service the quick log calls."""
    return services.engagement_log(
        actor=user,
        details=services.EngagementDetails(
            kind="listening_session",
            title="Eastside listening session",
            starts_at=datetime.datetime.fromisoformat("2026-03-10T18:00:00-05:00"),
            ends_at=datetime.datetime.fromisoformat("2026-03-10T20:00:00-05:00"),
            neighborhood=parts["neighborhood"],
            location="Eastside Library",
            languages=list(Language.objects.filter(code__in=["en", "es"])),
            interpretation_languages=[Language.objects.get(code="es")],
            host_organizations=[parts["host"]],
            departments=[parts["department"]],
            attendance_total=30,
            summary="Transit and lighting.",
        ),
        breakdowns=[services.BreakdownRow(option_id=parts["option"].pk, count=12)],
        input_items=[
            services.InputItemRow(text="Buses skip the stop", theme_ids=[parts["theme"].pk], count_raised=5),
            services.InputItemRow(text="Streetlights are out on 5th"),
        ],
        attendee_ids=[person.pk for person in parts["residents"]],
        commitments=[
            services.CommitmentRow(
                description="Ask transit to review the stop", owner_id=parts["owner"].pk, answers=[1]
            )
        ],
    )


def snapshot(engagement: Engagement) -> dict:
    """Everything the quick log writes for a session, without ids and times of writing
    (``True`` where the one who logged it is named)."""
    engagement.refresh_from_db()
    items = list(engagement.input_items.order_by("position"))
    place = {item.pk: n for n, item in enumerate(items, start=1)}
    return {
        **{name: getattr(engagement, name) for name in ("kind", "title", "starts_at", "ends_at", "status")},
        **{name: getattr(engagement, name) for name in ("neighborhood_id", "location", "summary")},
        "attendance_total": engagement.attendance_total,
        "languages": sorted(engagement.languages.values_list("code", flat=True)),
        "interpretation": sorted(engagement.interpretation_languages.values_list("code", flat=True)),
        "hosts": sorted(engagement.host_organizations.values_list("pk", flat=True)),
        "departments": sorted(engagement.departments.values_list("pk", flat=True)),
        "attendees": sorted(engagement.attendances.values_list("person_id", flat=True)),
        "breakdowns": sorted(engagement.breakdowns.values_list("option_id", "count")),
        "items": [(i.text, sorted(i.themes.values_list("name", flat=True)), i.count_raised) for i in items],
        "commitments": [
            (
                c.description,
                c.owner_id,
                c.status,
                sorted(place[i.pk] for i in c.input_items.all()),
                [
                    (change.from_status, change.to_status, change.changed_by_id == engagement.created_by_id)
                    for change in c.status_changes.all()
                ],
            )
            for c in engagement.commitments.order_by("position")
        ],
    }


def test_logging_through_the_api_writes_what_the_quick_log_writes(client, session_parts):
    """A POST writes the same engagement, breakdowns, input, attendees, commitments with their
    first status-history entry, and last-contact dates as the quick log's service."""
    api_user, browser_user = UserFactory(roles=["Staff"]), UserFactory(roles=["Staff"])

    response = post(client, ENGAGEMENTS, session_body(session_parts), bearer(api_user))
    assert response.status_code == 201, response.json()
    through_api = Engagement.objects.get(pk=response.json()["id"])
    api_contacts = sorted(Person.objects.filter(pk__in=response.json()["attendees"]).values_list("last_contact_on"))
    Person.objects.update(last_contact_on=None)
    through_browser = log_in_the_browsers_way(browser_user, session_parts)

    expected = snapshot(through_browser)
    assert snapshot(through_api) == expected
    assert (through_api.created_by, through_browser.created_by) == (api_user, browser_user)
    assert expected["commitments"][0][4] == [("", "proposed", True)]
    browser_contacts = sorted(Person.objects.filter(pk__in=expected["attendees"]).values_list("last_contact_on"))
    assert api_contacts == browser_contacts == [(datetime.date(2026, 3, 10),)] * 2
    assert response.json()["attendee_count"] == 2 and response.json()["commitments"]


def test_the_same_submission_key_logs_one_engagement(client, session_parts, staff_user):
    """A retry with the same submission key gets the first engagement back (200) and logs nothing more."""
    headers = bearer(staff_user)
    body = session_body(session_parts, submission_key=str(uuid.uuid4()))

    first = post(client, ENGAGEMENTS, body, headers)
    again = post(client, ENGAGEMENTS, body, headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Engagement.objects.count() == 1
    assert Commitment.objects.count() == 1 and InputItem.objects.count() == 2


def test_another_users_submission_key_is_refused(client, session_parts, staff_user):
    """A key someone else already used is a 400 and logs nothing."""
    body = session_body(session_parts, submission_key=str(uuid.uuid4()))
    assert post(client, ENGAGEMENTS, body, bearer(staff_user)).status_code == 201

    response = post(client, ENGAGEMENTS, body, bearer(UserFactory(roles=["Staff"])))

    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert Engagement.objects.count() == 1


BAD_BODIES = {
    "malformed JSON": ('{"title": "Oops", ', "detail"),
    "a list, not an object": ("[1, 2]", "non_field_errors"),
    "wrong type": ({"attendance_total": "many"}, "attendance_total"),
    "wrong type in a row": ({"input_items": [{"text": "x", "count_raised": "lots"}]}, "input_items"),
    "unknown field": ({"colour": "blue"}, "colour"),
    "unknown field in a row": ({"input_items": [{"text": "x", "mood": "sad"}]}, "input_items"),
    "attendee who does not exist": ({"attendees": [10**12]}, "attendees"),
    "theme not offered": ({"input_items": [{"text": "x", "themes": ["Nope"]}]}, "input_items"),
    "end before start": ({"ends_at": "2026-03-10T17:00:00-05:00"}, "ends_at"),
    "breakdown over the total": ({"attendance_total": 5}, "breakdowns"),
    "answer to no item": ({"commitments": [{"description": "x", "answers": [9]}]}, "commitments"),
    "no title": ({"title": ""}, "title"),
    "far future": ({"starts_at": "9999-12-31T23:00:00Z"}, "starts_at"),
    "too large a number": ({"attendance_total": 10**40}, "attendance_total"),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_bad_input_is_a_400_with_field_errors_and_changes_nothing(client, session_parts, staff_user, case):
    """Malformed JSON, wrong types, unknown fields, bad references and broken rules are a 400
    naming the field, and nothing is written."""
    change, field = BAD_BODIES[case]
    body = change if isinstance(change, str) else session_body(session_parts, **change)
    before = Engagement.objects.count(), Attendance.objects.count(), InputItem.objects.count()

    response = post(client, ENGAGEMENTS, body, bearer(staff_user))

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Engagement.objects.count(), Attendance.objects.count(), InputItem.objects.count()) == before


def test_attendees_are_limited_to_the_people_the_caller_may_pick(client, session_parts, staff_user, monkeypatch):
    """Attendees are checked against ``attendees_pickable_by``: a person outside it is a 400."""
    outsider = PersonFactory()
    monkeypatch.setattr("engagements.api.attendees_pickable_by", lambda user: Person.objects.exclude(pk=outsider.pk))
    body = session_body(session_parts, attendees=[session_parts["residents"][0].pk, outsider.pk])

    response = post(client, ENGAGEMENTS, body, bearer(staff_user))

    assert response.status_code == 400
    assert str(outsider.pk) in response.json()["attendees"][0]
    assert not Engagement.objects.exists()


def test_an_oversized_body_is_a_400(client, session_parts, staff_user, settings):
    """A body over the size limit is refused before it is read."""
    settings.API_MAX_BODY_BYTES = 1024
    body = session_body(session_parts, summary="x" * 2000)

    response = post(client, ENGAGEMENTS, body, bearer(staff_user))

    assert response.status_code == 400 and not Engagement.objects.exists()


def test_a_read_only_token_cannot_log(client, session_parts, staff_user):
    """A read-only token gets 403 on a POST."""
    response = post(client, ENGAGEMENTS, session_body(session_parts), bearer(staff_user, ApiToken.Scope.READ))
    assert response.status_code == 403 and not Engagement.objects.exists()


# --- changing an engagement -----------------------------------------------------------------


def test_a_change_writes_only_what_is_sent(client, session_parts, staff_user):
    """PATCH with a title changes the title and keeps the attendees, input and commitments as they were."""
    headers = bearer(staff_user)
    created = post(client, ENGAGEMENTS, session_body(session_parts), headers).json()
    engagement = Engagement.objects.get(pk=created["id"])
    before = snapshot(engagement)

    response = patch(client, f"{ENGAGEMENTS}{engagement.pk}/", {"title": "Eastside, second round"}, headers)

    assert response.status_code == 200, response.json()
    assert snapshot(engagement) == before | {"title": "Eastside, second round"}
    assert response.json()["commitments"] == created["commitments"]
    assert [item["id"] for item in response.json()["input_items"]] == [item["id"] for item in created["input_items"]]


def test_a_change_of_the_input_keeps_what_the_commitments_answer(client, session_parts, staff_user):
    """Sending the input items again (reordered, one added) keeps each commitment answering the
    same item, found by its id."""
    headers = bearer(staff_user)
    created = post(client, ENGAGEMENTS, session_body(session_parts), headers).json()
    first, second = created["input_items"]
    items = [
        {"text": "Sidewalks are broken"},
        {"id": second["id"], "text": second["text"]},
        {"id": first["id"], "text": first["text"], "themes": ["Transit"], "count_raised": 6},
    ]

    response = patch(client, f"{ENGAGEMENTS}{created['id']}/", {"input_items": items}, headers)

    assert response.status_code == 200, response.json()
    commitment = Commitment.objects.get(pk=created["commitments"][0])
    assert list(commitment.input_items.values_list("pk", flat=True)) == [first["id"]]
    assert [item["text"] for item in response.json()["input_items"]] == [row["text"] for row in items]


def test_only_those_who_may_edit_change_an_engagement(client, staff_user, coordinator_user):
    """A colleague's engagement is a 403 for staff (as on the edit page); coordinators change any."""
    engagement = EngagementFactory(created_by=staff_user)
    url = f"{ENGAGEMENTS}{engagement.pk}/"

    refused = patch(client, url, {"title": "Not mine"}, bearer(UserFactory(roles=["Staff"])))
    allowed = patch(client, url, {"title": "Coordinated"}, bearer(coordinator_user))

    assert (refused.status_code, allowed.status_code) == (403, 200)
    engagement.refresh_from_db()
    assert engagement.title == "Coordinated"


def test_a_submission_key_is_not_part_of_a_change(client, staff_user):
    """The key belongs to logging: a change that sends one is a 400."""
    engagement = EngagementFactory(created_by=staff_user)
    body = {"submission_key": str(uuid.uuid4())}
    response = patch(client, f"{ENGAGEMENTS}{engagement.pk}/", body, bearer(staff_user))
    assert response.status_code == 400 and "submission_key" in response.json()


# --- commitments and follow-ups -------------------------------------------------------------


def test_a_coordinator_changes_a_commitments_status_and_it_joins_the_history(client, coordinator_user):
    """POST status records the change with who made it, as the commitment page does."""
    commitment = CommitmentFactory()
    CommitmentStatusChange.objects.create(
        commitment=commitment, to_status="proposed", changed_by=coordinator_user, changed_at=timezone.now()
    )
    url = f"{COMMITMENTS}{commitment.pk}/status/"

    response = post(client, url, {"status": "accepted"}, bearer(coordinator_user))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    history = response.json()["status_history"]
    assert [(h["from_status"], h["to_status"], h["changed_by"]) for h in history] == [
        ("", "proposed", coordinator_user.pk),
        ("proposed", "accepted", coordinator_user.pk),
    ]


def test_declining_without_a_reason_or_as_staff_changes_nothing(client, coordinator_user, staff_user):
    """Declining needs a reason (400 on ``reason``); staff may not change a status (403)."""
    commitment = CommitmentFactory()
    url = f"{COMMITMENTS}{commitment.pk}/status/"

    no_reason = post(client, url, {"status": "declined"}, bearer(coordinator_user))
    as_staff = post(client, url, {"status": "accepted"}, bearer(staff_user))

    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert as_staff.status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == "proposed" and not commitment.status_changes.exists()


def test_follow_ups_are_done_and_snoozed_by_their_user_only(client, staff_user):
    """POST status snoozes, dismisses or marks done the caller's own follow-up, as the inbox
    buttons do; another user's is a 404; a snooze needs a day after today (400 on ``snoozed_until``)."""
    followup = FollowUpFactory(user=staff_user)
    headers = bearer(staff_user)
    url = f"{FOLLOW_UPS}{followup.pk}/status/"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    assert post(client, url, {"status": "done"}, bearer(UserFactory(roles=["Staff"]))).status_code == 404
    no_day = post(client, url, {"status": "snoozed"}, headers)
    past = post(client, url, {"status": "snoozed", "snoozed_until": "2020-01-01"}, headers)
    snoozed = post(client, url, {"status": "snoozed", "snoozed_until": tomorrow}, headers)
    not_a_move = post(client, url, {"status": "open"}, headers)
    done = post(client, url, {"status": "done"}, headers)

    assert no_day.status_code == past.status_code == 400
    assert "snoozed_until" in no_day.json() and "snoozed_until" in past.json()
    assert (snoozed.json()["status"], snoozed.json()["snoozed_until"]) == ("snoozed", tomorrow)
    assert not_a_move.status_code == 400 and "status" in not_a_move.json()
    assert (done.json()["status"], done.json()["snoozed_until"]) == ("done", None)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE and followup.completed_at is not None


def test_dismissing_a_follow_up(client, staff_user):
    """``dismissed`` sets a follow-up aside without doing it."""
    followup = FollowUpFactory(user=staff_user)
    response = post(client, f"{FOLLOW_UPS}{followup.pk}/status/", {"status": "dismissed"}, bearer(staff_user))
    assert response.status_code == 200 and response.json()["status"] == "dismissed"


# --- constant queries -----------------------------------------------------------------------


def _full_engagements(count: int, user) -> None:
    """Engagements with something in every part the API shows."""
    option, theme, person = BreakdownOptionFactory(), ThemeFactory(), PersonFactory()
    spanish = Language.objects.get(code="es")
    for _n in range(count):
        engagement = EngagementFactory(created_by=user)
        engagement.languages.add(spanish)
        engagement.host_organizations.add(OrganizationFactory())
        engagement.facilitator_people.add(person)
        AttendanceBreakdown.objects.create(engagement=engagement, option=option, count=3)
        Attendance.objects.create(engagement=engagement, person=person)
        InputItemFactory(engagement=engagement).themes.add(theme)
        commitment = CommitmentFactory(engagement=engagement)
        CommitmentStatusChange.objects.create(commitment=commitment, to_status="proposed", changed_at=timezone.now())
        FollowUpFactory(user=user)


def _queries(client, url: str, headers: dict, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200 and len(response.json()["results"]) == rows
    return len(queries)


@pytest.mark.parametrize("url", [ENGAGEMENTS, COMMITMENTS, FOLLOW_UPS])
def test_a_list_page_costs_the_same_queries_for_3_rows_as_for_30(client, staff_user, url):
    """The number of queries of a list page does not grow with its rows."""
    headers = bearer(staff_user)
    _full_engagements(3, staff_user)
    client.get(url, headers=headers)  # the token's first use also records when it was last used
    few = _queries(client, url, headers, 3)
    _full_engagements(27, staff_user)
    many = _queries(client, url, headers, 30)
    assert few == many, (few, many)
