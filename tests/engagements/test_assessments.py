"""Equity impact assessments: writing one per commitment, review by someone else,
publishing, edits sending it back to draft, the pages per role, the accountability
filter and the public "You said, we did" page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import EquityAssessment
from engagements.services import assessments as services
from engagements.services.assessments import assessment_create, assessment_set_status, assessment_update
from engagements.services.engagements import engagement_publish
from stakeholders.selectors.government import record_history
from tests.coalition.factories import CoalitionFactory, GoalFactory
from tests.engagements.factories import CommitmentFactory, EngagementFactory, InputItemFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = EquityAssessment.Status
TEXT = {
    "populations_affected": "Renters in Eastside",
    "burdens": "Two months of detours",
    "benefits": "Safer crossings",
    "mitigation": "Night work near the school",
}


def write(author, commitment=None, **fields) -> EquityAssessment:
    return assessment_create(actor=author, commitment=commitment or CommitmentFactory(), **{**TEXT, **fields})


def published(author, reviewer, commitment=None) -> EquityAssessment:
    assessment = write(author, commitment)
    assessment_set_status(actor=reviewer, assessment=assessment, status=Status.REVIEWED)
    return assessment_set_status(actor=reviewer, assessment=assessment, status=Status.PUBLISHED)


def steps(assessment) -> list[tuple[str, str]]:
    return list(assessment.status_changes.values_list("from_status", "to_status"))


# --- Services --------------------------------------------------------------------------


def test_an_assessment_starts_as_a_draft_citing_its_engagements_input(coordinator_user):
    """A new assessment is a draft by its author, cites input of its commitment's engagement
    and starts its steps ("" → draft) and its edit history."""
    commitment = CommitmentFactory()
    item = InputItemFactory(engagement=commitment.engagement)
    goal = GoalFactory(coalition=CoalitionFactory(coordinators=[coordinator_user]))

    assessment = write(coordinator_user, commitment, input_items=[item], goal=goal, decision="  Road diet  ")

    assert assessment.status == Status.DRAFT and assessment.created_by == coordinator_user
    assert assessment.decision == "Road diet"
    assert list(assessment.input_items.all()) == [item]
    assert assessment.goal == goal and commitment.equity_assessment == assessment
    assert steps(assessment) == [("", "draft")]
    [event] = record_history(EquityAssessment, [assessment.pk])
    assert event["label"] == "insert" and event["who"] == coordinator_user


def test_a_commitment_has_one_assessment(coordinator_user, admin_user):
    """A second assessment of the same commitment is refused with a message, not a crash."""
    first = write(coordinator_user)
    with pytest.raises(ValidationError) as error:
        write(admin_user, first.commitment)
    assert "already has an equity impact assessment" in str(error.value.message_dict["commitment"])
    assert EquityAssessment.objects.count() == 1


def test_two_saves_at_once_still_give_one_assessment(coordinator_user, admin_user):
    """When another save wins between the check and the insert, the database's one-to-one
    refuses the second and the author gets the same message."""
    first = write(coordinator_user)
    race = mock.patch.object(services, "_has_assessment", side_effect=[False, True])
    with race, pytest.raises(ValidationError) as error:
        write(admin_user, first.commitment)
    assert "commitment" in error.value.message_dict


def test_input_heard_elsewhere_and_hidden_goals_are_refused(coordinator_user):
    """Only input of the commitment's own engagement, and goals of coalitions the author sees."""
    with pytest.raises(ValidationError) as error:
        write(coordinator_user, input_items=[InputItemFactory()])
    assert "input_items" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        write(coordinator_user, goal=GoalFactory())  # a coalition this coordinator does not coordinate
    assert "goal" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        write(coordinator_user, populations_affected="   ")
    assert "populations_affected" in error.value.message_dict
    assert not EquityAssessment.objects.exists()


def test_review_then_publish_records_each_step(coordinator_user, admin_user):
    """Someone else reviews (reviewer and time kept), then publishing dates it."""
    assessment = write(coordinator_user)
    assessment_set_status(actor=admin_user, assessment=assessment, status=Status.REVIEWED, note="Checked")
    assessment.refresh_from_db()
    assert assessment.reviewer == admin_user and assessment.reviewed_at is not None
    assessment_set_status(actor=admin_user, assessment=assessment, status=Status.PUBLISHED)
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED and assessment.published_at is not None
    assert steps(assessment) == [("", "draft"), ("draft", "reviewed"), ("reviewed", "published")]
    assert assessment.status_changes.get(to_status="reviewed").note == "Checked"


def test_the_author_cannot_review_their_own_assessment(coordinator_user):
    """Self-review is refused with a message saying who may review."""
    assessment = write(coordinator_user)
    with pytest.raises(ValidationError) as error:
        assessment_set_status(actor=coordinator_user, assessment=assessment, status=Status.REVIEWED)
    assert "someone else must review it" in str(error.value.message_dict["status"])
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.PUBLISHED),
        (Status.DRAFT, Status.DRAFT),
        (Status.PUBLISHED, Status.REVIEWED),
        (Status.PUBLISHED, Status.PUBLISHED),
        (Status.DRAFT, "archived"),
    ],
)
def test_impossible_steps_are_refused(coordinator_user, admin_user, start, target):
    """Publishing skips no review, a published one is not re-reviewed in place, and unknown
    statuses are refused; nothing changes."""
    assessment = published(coordinator_user, admin_user) if start == Status.PUBLISHED else write(coordinator_user)
    before = steps(assessment)
    with pytest.raises(ValidationError) as error:
        assessment_set_status(actor=admin_user, assessment=assessment, status=target)
    assert "status" in error.value.message_dict
    assert steps(assessment) == before


def test_taking_a_published_assessment_down_needs_a_note(coordinator_user, admin_user):
    """Unpublishing returns it to draft, with the reason recorded; the reviewer is cleared."""
    assessment = published(coordinator_user, admin_user)
    with pytest.raises(ValidationError) as error:
        assessment_set_status(actor=admin_user, assessment=assessment, status=Status.DRAFT)
    assert "note" in error.value.message_dict
    assessment_set_status(actor=admin_user, assessment=assessment, status=Status.DRAFT, note="Numbers changed")
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and assessment.reviewer is None and assessment.published_at is None
    assert steps(assessment)[-1] == ("published", "draft")


def test_a_reviewed_assessment_can_be_sent_back_to_draft(coordinator_user, admin_user):
    assessment = write(coordinator_user)
    assessment_set_status(actor=admin_user, assessment=assessment, status=Status.REVIEWED)
    assessment_set_status(actor=admin_user, assessment=assessment, status=Status.DRAFT)
    assert steps(assessment)[-1] == ("reviewed", "draft")


def test_only_those_who_publish_move_an_assessment(coordinator_user, staff_user):
    """Staff read assessments but do not review them."""
    assessment = write(coordinator_user)
    with pytest.raises(PermissionDenied):
        assessment_set_status(actor=staff_user, assessment=assessment, status=Status.REVIEWED)


def test_editing_a_published_assessment_returns_it_to_draft(coordinator_user, admin_user):
    """Published text is always reviewed text: an edit sends it back to draft ("edited after
    review"), and the edit is in its history with who made it."""
    assessment = published(coordinator_user, admin_user)
    item = InputItemFactory(engagement=assessment.commitment.engagement)

    assessment_update(actor=coordinator_user, assessment=assessment, **{**TEXT, "burdens": "Three months"})
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and assessment.burdens == "Three months"
    assert assessment.reviewer is None and assessment.published_at is None
    change = assessment.status_changes.last()
    assert (change.from_status, change.to_status, change.note) == ("published", "draft", "Edited after review.")
    edit = ("burdens", "Two months of detours", "Three months")
    history = record_history(EquityAssessment, [assessment.pk])
    assert [entry["who"] for entry in history if edit in entry["changes"]] == [coordinator_user]

    # In draft, an edit (here: citing input) changes no status.
    assessment_update(actor=coordinator_user, assessment=assessment, **TEXT, input_items=[item])
    assert list(assessment.input_items.all()) == [item]
    assert assessment.status_changes.count() == len(steps(assessment)) == 4


def test_saving_an_unchanged_assessment_keeps_its_review(coordinator_user, admin_user):
    """Nothing changed, nothing to review again."""
    assessment = published(coordinator_user, admin_user)
    assessment_update(actor=coordinator_user, assessment=assessment, **TEXT)
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED


# --- Pages per role --------------------------------------------------------------------

ROLES = ("anonymous", "staff", "coordinator", "admin", "liaison")


@pytest.fixture
def users(staff_user, coordinator_user, admin_user, liaison_user):
    return {
        "anonymous": None,
        "staff": staff_user,
        "coordinator": coordinator_user,
        "admin": admin_user,
        "liaison": liaison_user,
    }


@pytest.mark.parametrize(
    ("url_name", "method", "expected"),
    [
        ("assessment_list", "get", (302, 200, 200, 200, 403)),
        ("assessment_detail", "get", (302, 200, 200, 200, 403)),
        ("assessment_create", "get", (302, 403, 200, 200, 403)),
        ("assessment_edit", "get", (302, 403, 200, 200, 403)),
        ("assessment_status", "get", (302, 403, 405, 405, 403)),
        ("assessment_status", "post", (302, 403, 422, 422, 403)),
    ],
)
def test_each_role_gets_what_it_may(client, users, url_name, method, expected):
    """Staff read; coordinators and admins write, review and publish; liaisons see none."""
    author = UserFactory(roles=["Coordinator"])
    assessment = write(author)
    pk = CommitmentFactory().pk if url_name == "assessment_create" else assessment.pk
    url = reverse(f"equity:{url_name}", args=[] if url_name == "assessment_list" else [pk])
    got = []
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        got.append(getattr(client, method)(url).status_code)
    assert tuple(got) == expected


def test_a_coordinator_writes_an_assessment_from_the_form(client, coordinator_user):
    """The form offers the engagement's input as checkboxes; saving redirects to the new draft."""
    commitment = CommitmentFactory()
    item = InputItemFactory(engagement=commitment.engagement, text="Kids cross at Elm")
    InputItemFactory(text="Heard somewhere else")
    client.force_login(coordinator_user)
    url = reverse("equity:assessment_create", args=[commitment.pk])
    form = client.get(url).content.decode()
    assert "Kids cross at Elm" in form and "Heard somewhere else" not in form
    response = client.post(url, {**TEXT, "input_items": [str(item.pk)]})
    assessment = EquityAssessment.objects.get()
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    assert list(assessment.input_items.all()) == [item]


def test_a_form_without_populations_answers_422_with_the_error_on_the_field(client, coordinator_user):
    client.force_login(coordinator_user)
    response = client.post(reverse("equity:assessment_create", args=[CommitmentFactory().pk]), {"burdens": "x"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "data-error-summary" in body and 'id="error_1_id_populations_affected"' in body
    assert not EquityAssessment.objects.exists()


def test_writing_a_second_assessment_opens_the_first(client, coordinator_user):
    """The create address of an assessed commitment leads to its assessment."""
    assessment = write(UserFactory(roles=["Coordinator"]))
    client.force_login(coordinator_user)
    response = client.post(reverse("equity:assessment_create", args=[assessment.commitment.pk]), TEXT)
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    assert EquityAssessment.objects.count() == 1


def test_no_assessment_for_a_commitment_the_user_cannot_see(client, coordinator_user):
    """Commitments follow their engagement's visibility: one on someone's draft is a 404."""
    draft = EngagementFactory(status="draft")
    client.force_login(coordinator_user)
    url = reverse("equity:assessment_create", args=[CommitmentFactory(engagement=draft).pk])
    assert client.get(url).status_code == 404


def test_admin_reviews_and_publishes_from_the_page(client, coordinator_user, admin_user):
    """The step form moves it; a refused step (self-review) is shown on the form with 422."""
    assessment = write(coordinator_user)
    url = reverse("equity:assessment_status", args=[assessment.pk])
    client.force_login(coordinator_user)
    refused = client.post(url, {"status": "reviewed"})
    assert refused.status_code == 422 and "someone else must review it" in refused.content.decode()
    client.force_login(admin_user)
    assert client.post(url, {"status": "reviewed"}).status_code == 302
    assert client.post(url, {"status": "published"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Reviewed → Published" in page and str(admin_user) in page


def test_editing_from_the_page_warns_that_it_returns_to_draft(client, coordinator_user, admin_user):
    assessment = published(coordinator_user, admin_user)
    client.force_login(coordinator_user)
    url = reverse("equity:assessment_edit", args=[assessment.pk])
    assert "Saving a change returns it to draft" in client.get(url).content.decode()
    response = client.post(url, {**TEXT, "mitigation": "Detour signs in three languages"}, follow=True)
    assert "back to draft" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_the_commitment_page_says_whether_there_is_an_assessment(client, coordinator_user, staff_user):
    """No assessment yet (with a link to write one for those who may), or its status and a link."""
    commitment = CommitmentFactory()
    url = reverse("engagements:commitment_detail", args=[commitment.pk])
    client.force_login(coordinator_user)
    body = client.get(url).content.decode()
    assert "No assessment yet" in body and reverse("equity:assessment_create", args=[commitment.pk]) in body
    client.force_login(staff_user)
    assert reverse("equity:assessment_create", args=[commitment.pk]) not in client.get(url).content.decode()
    assessment = write(coordinator_user, commitment)
    body = client.get(url).content.decode()
    assert "Draft" in body and assessment.get_absolute_url() in body


def test_the_commitment_page_asks_one_query_about_the_assessment(client, coordinator_user, liaison_user):
    """Those who read assessments pay one query for the line about it; liaisons none."""
    commitment = CommitmentFactory()
    commitment.engagement.facilitator_users.add(liaison_user)
    write(UserFactory(roles=["Coordinator"]), commitment)
    url = reverse("engagements:commitment_detail", args=[commitment.pk])
    for user, expected in ((coordinator_user, 1), (liaison_user, 0)):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        asked = [query for query in queries.captured_queries if '"engagements_equityassessment"' in query["sql"]]
        assert len(asked) == expected, asked


# --- The accountability page ------------------------------------------------------------


def test_accountability_filters_decisions_without_an_assessment(client, coordinator_user):
    """The filter keeps commitments with no assessment; the column shows each one's status."""
    assessed = write(UserFactory(roles=["Coordinator"]), CommitmentFactory(description="Assessed promise"))
    CommitmentFactory(description="Unassessed promise")
    client.force_login(coordinator_user)
    url = reverse("engagements:commitments")
    body = client.get(url).content.decode()
    assert "Assessed promise" in body and assessed.get_absolute_url() in body
    body = client.get(url, {"without_assessment": "on"}).content.decode()
    assert "Unassessed promise" in body and "Assessed promise" not in body


def test_liaisons_see_no_assessment_column_or_filter(client, liaison_user):
    commitment = CommitmentFactory(description="Promise of the liaison")
    commitment.engagement.facilitator_users.add(liaison_user)
    write(UserFactory(roles=["Coordinator"]), commitment)
    client.force_login(liaison_user)
    url = reverse("engagements:commitments")
    body = client.get(url).content.decode()
    assert "Promise of the liaison" in body and "Equity assessment" not in body and "without_assessment" not in body
    assert "Promise of the liaison" in client.get(url, {"without_assessment": "on"}).content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_accountability_query_count_holds_with_assessments(
    client, coordinator_user, django_assert_max_num_queries, rows
):
    """Assessment statuses come in the page's one row query."""
    author = UserFactory(roles=["Coordinator"])
    for commitment in CommitmentFactory.create_batch(rows):
        write(author, commitment)
    client.force_login(coordinator_user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("engagements:commitments"), {"without_assessment": ""})
    assert response.context["page"].paginator.count == rows


# --- The assessment list ----------------------------------------------------------------


def test_the_list_filters_by_status(client, coordinator_user, admin_user):
    draft = write(coordinator_user, decision="Draft decision")
    public = published(coordinator_user, admin_user)
    EquityAssessment.objects.filter(pk=public.pk).update(decision="Public decision")
    client.force_login(admin_user)
    url = reverse("equity:assessment_list")
    body = client.get(url, {"status": "published"}).content.decode()
    assert "Public decision" in body and "Draft decision" not in body
    assert draft.get_absolute_url() in client.get(url).content.decode()


def test_a_liaison_has_no_assessments_to_read(liaison_user, coordinator_user):
    from engagements.selectors.assessments import assessment_list_for

    commitment = CommitmentFactory()
    commitment.engagement.facilitator_users.add(liaison_user)
    write(coordinator_user, commitment)
    assert not assessment_list_for(liaison_user).exists()


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow(client, staff_user, django_assert_max_num_queries, rows):
    """The list page takes the same number of queries for 3 or 30 assessments."""
    author = UserFactory(roles=["Coordinator"])
    for commitment in CommitmentFactory.create_batch(rows):
        write(author, commitment)
    client.force_login(staff_user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("equity:assessment_list"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("items", [1, 10])
def test_detail_query_count_does_not_grow(client, coordinator_user, admin_user, django_assert_max_num_queries, items):
    """Cited input, steps and history do not cost a query each."""
    commitment = CommitmentFactory()
    inputs = InputItemFactory.create_batch(items, engagement=commitment.engagement)
    assessment = write(coordinator_user, commitment, input_items=inputs)
    for _step in range(items):
        assessment_set_status(actor=admin_user, assessment=assessment, status=Status.REVIEWED)
        assessment_set_status(actor=admin_user, assessment=assessment, status=Status.DRAFT)
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200


# --- The public page --------------------------------------------------------------------


def test_the_public_page_shows_a_published_assessment_without_names(client, coordinator_user):
    """Published: who it affects, burdens, benefits, mitigation and the date; never the
    author's or the reviewer's name."""
    author = UserFactory(first_name="Augustina", last_name="Authorby", roles=["Coordinator"])
    reviewer = UserFactory(first_name="Reginald", last_name="Reviewsworth", roles=["Admin"])
    commitment = CommitmentFactory(description="Calm traffic on Elm")
    published(author, reviewer, commitment)
    engagement_publish(actor=coordinator_user, engagement=commitment.engagement)

    body = client.get(commitment.engagement.get_public_url()).content.decode()

    assert "How we weighed equity" in body
    for text in TEXT.values():
        assert text in body
    for name in ("Augustina", "Authorby", "Reginald", "Reviewsworth"):
        assert name not in body


@pytest.mark.parametrize("reviewed", [False, True])
def test_the_public_page_hides_drafts_and_reviewed_assessments(client, coordinator_user, admin_user, reviewed):
    commitment = CommitmentFactory()
    assessment = write(coordinator_user, commitment)
    if reviewed:
        assessment_set_status(actor=admin_user, assessment=assessment, status=Status.REVIEWED)
    engagement_publish(actor=coordinator_user, engagement=commitment.engagement)
    body = client.get(commitment.engagement.get_public_url()).content.decode()
    assert "How we weighed equity" not in body and TEXT["populations_affected"] not in body


@pytest.mark.parametrize("commitments", [1, 8])
def test_public_page_query_count_does_not_grow(
    client, coordinator_user, admin_user, django_assert_max_num_queries, commitments
):
    engagement = EngagementFactory()
    for commitment in CommitmentFactory.create_batch(commitments, engagement=engagement):
        published(coordinator_user, admin_user, commitment)
    engagement_publish(actor=coordinator_user, engagement=engagement)
    with django_assert_max_num_queries(8):
        body = client.get(engagement.get_public_url()).content.decode()
    assert body.count("How we weighed equity") == commitments
