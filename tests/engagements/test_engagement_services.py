"""Services of the quick log: logging, drafts, the breakdown rule, last contact and the idempotency key."""

import datetime
import threading
import time
import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import Commitment, CommitmentStatusChange, Engagement
from engagements.services import engagements as services
from engagements.services.engagements import (
    BreakdownRow,
    CommitmentRow,
    EngagementDetails,
    InputItemRow,
    engagement_log,
    engagement_publish,
    engagement_unpublish,
    engagement_update,
)
from stakeholders.models import Language, Person
from tests.engagements.factories import (
    BreakdownOptionFactory,
    DepartmentFactory,
    EngagementFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def _details(**overrides):
    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    values = {
        "title": "Eastside listening session",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "neighborhood": NeighborhoodFactory(name="Eastside"),
        "location": "Eastside Library",
        "attendance_total": 30,
        "languages": [Language.objects.get(code="en"), Language.objects.get(code="es")],
        "interpretation_languages": [Language.objects.get(code="es")],
        "host_organizations": [OrganizationFactory()],
        "departments": [DepartmentFactory()],
    }
    values.update(overrides)
    return EngagementDetails(**values)


def test_log_saves_the_whole_session(staff_user):
    """One call stores the engagement with breakdowns, input, named attendees and commitments."""
    theme = ThemeFactory(name="Transit")
    option = BreakdownOptionFactory()
    attendee = PersonFactory()
    owner = UserFactory(roles=["Coordinator"])

    engagement = engagement_log(
        actor=staff_user,
        details=_details(),
        breakdowns=[BreakdownRow(option_id=option.pk, count=12)],
        input_items=[
            InputItemRow(text="Buses skip the stop", theme_ids=[theme.pk], count_raised=5),
            InputItemRow(text="Streetlights out"),
        ],
        attendee_ids=[attendee.pk],
        commitments=[CommitmentRow(description="Ask transit to review stop", owner_id=owner.pk, answers=[1])],
    )

    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.LOGGED
    assert engagement.created_by == staff_user
    assert [b.count for b in engagement.breakdowns.all()] == [12]
    assert [i.text for i in engagement.input_items.all()] == ["Buses skip the stop", "Streetlights out"]
    assert list(engagement.input_items.first().themes.all()) == [theme]
    assert list(engagement.attendees.all()) == [attendee]
    assert {lang.code for lang in engagement.languages.all()} == {"en", "es"}
    commitment = engagement.commitments.get()
    assert commitment.status == Commitment.Status.PROPOSED
    assert [i.text for i in commitment.input_items.all()] == ["Buses skip the stop"]
    assert CommitmentStatusChange.objects.filter(commitment=commitment, to_status="proposed").exists()


def test_breakdown_over_total_is_rejected(staff_user):
    """Counts in one breakdown category may not add up to more than the total who came."""
    first = BreakdownOptionFactory()
    second = BreakdownOptionFactory(category=first.category)
    with pytest.raises(ValidationError) as error:
        engagement_log(
            actor=staff_user,
            details=_details(attendance_total=10),
            breakdowns=[BreakdownRow(option_id=first.pk, count=6), BreakdownRow(option_id=second.pk, count=5)],
        )
    assert "breakdowns" in error.value.message_dict
    assert not Engagement.objects.exists()


def test_breakdowns_of_different_categories_each_may_reach_the_total(staff_user):
    """Each category is checked on its own: language and age may both add up to the total."""
    language = BreakdownOptionFactory()
    age = BreakdownOptionFactory()
    engagement = engagement_log(
        actor=staff_user,
        details=_details(attendance_total=10),
        breakdowns=[BreakdownRow(option_id=language.pk, count=10), BreakdownRow(option_id=age.pk, count=10)],
    )
    assert engagement.breakdowns.count() == 2


def test_logging_requires_a_title_and_start_but_a_draft_does_not(staff_user):
    """A log without title or start fails; the same input saved as a draft is kept."""
    with pytest.raises(ValidationError) as error:
        engagement_log(actor=staff_user, details=EngagementDetails(summary="half typed"))
    assert {"title", "starts_at"} <= set(error.value.message_dict)

    draft = engagement_log(
        actor=staff_user,
        details=EngagementDetails(summary="half typed"),
        input_items=[InputItemRow(text="Parks closed early")],
        draft=True,
    )
    assert draft.status == Engagement.Status.DRAFT
    assert draft.input_items.count() == 1


def test_a_draft_is_resumed_and_logged(staff_user):
    """Resuming a draft keeps its id, updates its rows in place and logs it."""
    draft = engagement_log(
        actor=staff_user,
        details=EngagementDetails(summary="half typed"),
        input_items=[InputItemRow(text="Parks closed early")],
        draft=True,
    )
    item = draft.input_items.get()

    logged = engagement_log(
        actor=staff_user,
        engagement=draft,
        details=_details(summary="complete"),
        input_items=[InputItemRow(text="Parks close too early", id=item.pk), InputItemRow(text="More benches")],
    )

    assert logged.pk == draft.pk
    logged.refresh_from_db()
    assert logged.status == Engagement.Status.LOGGED
    assert [i.text for i in logged.input_items.all()] == ["Parks close too early", "More benches"]
    assert logged.input_items.first().pk == item.pk


def test_a_logged_engagement_cannot_be_resumed_as_a_draft(staff_user):
    """engagement_log refuses an engagement that is already logged."""
    engagement = EngagementFactory()
    with pytest.raises(ValidationError):
        engagement_log(actor=staff_user, engagement=engagement, details=_details(), draft=True)


def test_update_replaces_rows_and_keeps_commitment_status(staff_user):
    """Editing adds, changes and removes rows; a commitment's status is untouched."""
    engagement = engagement_log(
        actor=staff_user,
        details=_details(),
        input_items=[InputItemRow(text="One"), InputItemRow(text="Two")],
        commitments=[CommitmentRow(description="Fix it")],
    )
    commitment = engagement.commitments.get()
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.ACCEPTED)
    one = engagement.input_items.get(text="One")

    engagement_update(
        actor=staff_user,
        engagement=engagement,
        details=_details(title="Renamed"),
        input_items=[InputItemRow(text="One, edited", id=one.pk)],
        commitments=[CommitmentRow(description="Fix it soon", id=commitment.pk, answers=[1])],
    )

    engagement.refresh_from_db()
    assert engagement.title == "Renamed"
    assert [i.text for i in engagement.input_items.all()] == ["One, edited"]
    commitment.refresh_from_db()
    assert commitment.description == "Fix it soon"
    assert commitment.status == Commitment.Status.ACCEPTED
    assert list(commitment.input_items.all()) == [one]


def test_last_contact_moves_forward_for_attendees_and_facilitators(staff_user):
    """Logging sets last contact to the session date for attendees and facilitators, never backwards."""
    attendee = PersonFactory(last_contact_on=None)
    recent = PersonFactory(last_contact_on=timezone.localdate() + datetime.timedelta(days=5))
    liaison = PersonFactory()
    facilitator = UserFactory(roles=["Staff"])
    facilitator_person = PersonFactory(user=facilitator)
    details = _details(facilitator_people=[liaison], facilitator_users=[facilitator])

    engagement = engagement_log(actor=staff_user, details=details, attendee_ids=[attendee.pk, recent.pk])

    day = timezone.localdate(engagement.starts_at)
    for person in (attendee, liaison, facilitator_person):
        person.refresh_from_db()
        assert person.last_contact_on == day
    recent.refresh_from_db()
    assert recent.last_contact_on == timezone.localdate() + datetime.timedelta(days=5)


def test_a_draft_does_not_count_as_contact(staff_user):
    """Only a logged session updates last contact."""
    attendee = PersonFactory(last_contact_on=None)
    engagement_log(actor=staff_user, details=_details(), attendee_ids=[attendee.pk], draft=True)
    attendee.refresh_from_db()
    assert attendee.last_contact_on is None


def test_quick_log_runs_a_bounded_number_of_queries(staff_user):
    """Ten input items, twenty attendees and three commitments take the same handful of queries."""
    themes = [ThemeFactory() for _ in range(3)]
    people = PersonFactory.create_batch(20)
    option = BreakdownOptionFactory()
    details = _details(facilitator_people=[PersonFactory()], facilitator_users=[UserFactory()])

    with CaptureQueriesContext(connection) as queries:
        engagement_log(
            actor=staff_user,
            details=details,
            breakdowns=[BreakdownRow(option_id=option.pk, count=5)],
            input_items=[InputItemRow(text=f"Item {n}", theme_ids=[t.pk for t in themes]) for n in range(10)],
            attendee_ids=[p.pk for p in people],
            commitments=[CommitmentRow(description=f"Do {n}", answers=[n + 1]) for n in range(3)],
        )

    assert len(queries) <= 20, [q["sql"] for q in queries]
    assert Engagement.objects.get().attendances.count() == 20


def test_declined_commitment_without_reason_is_refused_by_the_database():
    """The database itself refuses a declined commitment with no reason."""
    engagement = EngagementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(engagement=engagement, description="x", status=Commitment.Status.DECLINED)


def test_publish_and_unpublish(coordinator_user):
    """Publishing gives an unguessable token; unpublishing keeps it but takes the page down."""
    engagement = EngagementFactory()
    engagement_publish(actor=coordinator_user, engagement=engagement)
    assert engagement.is_published and len(engagement.public_token) >= 32
    token = engagement.public_token
    engagement_unpublish(actor=coordinator_user, engagement=engagement)
    engagement.refresh_from_db()
    assert not engagement.is_published
    assert engagement.public_token == token


def test_a_draft_cannot_be_published(coordinator_user):
    """Only logged engagements go public."""
    draft = EngagementFactory(status=Engagement.Status.DRAFT)
    with pytest.raises(ValidationError):
        engagement_publish(actor=coordinator_user, engagement=draft)


def _check_now():
    """Constraint triggers run at commit; tests never commit, so ask for the check at once."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_database_refuses_breakdowns_over_the_total():
    """Even bypassing the service, a category's counts cannot exceed the total of a logged engagement."""
    engagement = EngagementFactory(attendance_total=5)
    option = BreakdownOptionFactory()
    _check_now()
    with pytest.raises(IntegrityError), transaction.atomic():
        engagement.breakdowns.create(option=option, count=6)


def test_database_refuses_lowering_the_total_below_the_breakdowns():
    """Lowering the total under what a category already counts is refused."""
    engagement = EngagementFactory(attendance_total=10)
    engagement.breakdowns.create(option=BreakdownOptionFactory(), count=8)
    _check_now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(pk=engagement.pk).update(attendance_total=7)


def test_database_lets_a_draft_hold_any_counts():
    """Drafts are half-typed: their counts are checked once they are logged."""
    draft = EngagementFactory(status=Engagement.Status.DRAFT, attendance_total=1)
    _check_now()
    draft.breakdowns.create(option=BreakdownOptionFactory(), count=9)
    assert draft.breakdowns.count() == 1


# --- The idempotency key (issue 18) -------------------------------------------------


def _log_with_key(actor, key, **overrides):
    attendee = overrides.pop("attendee", None) or PersonFactory()
    return engagement_log(
        actor=actor,
        details=_details(),
        input_items=[InputItemRow(text="Buses skip the stop"), InputItemRow(text="Streetlights out")],
        attendee_ids=[attendee.pk],
        commitments=[CommitmentRow(description="Ask transit to review stop", answers=[1])],
        submission_key=key,
        **overrides,
    )


def test_the_same_submission_key_logs_one_engagement(staff_user):
    """A second log with the same key returns the engagement the first created and writes
    nothing: no second engagement, attendees, input items, commitments or last-contact update."""
    key = uuid.uuid4()
    attendee = PersonFactory()
    first = _log_with_key(staff_user, key, attendee=attendee)
    Person.objects.filter(pk=attendee.pk).update(last_contact_on=None)

    again = _log_with_key(staff_user, key, attendee=attendee)

    assert again.pk == first.pk
    assert Engagement.objects.count() == 1
    assert first.attendances.count() == 1
    assert first.input_items.count() == 2
    assert Commitment.objects.count() == 1
    assert CommitmentStatusChange.objects.count() == 1
    attendee.refresh_from_db()
    assert attendee.last_contact_on is None
    first.refresh_from_db()
    assert first.submission_key == key


def test_a_repeated_draft_key_keeps_one_draft_that_is_then_logged(staff_user):
    """Saving a draft twice with one key keeps one draft; resuming and logging it still works."""
    key = uuid.uuid4()
    draft = _log_with_key(staff_user, key, draft=True)
    assert _log_with_key(staff_user, key, draft=True).pk == draft.pk

    logged = engagement_log(actor=staff_user, engagement=draft, details=_details(), submission_key=uuid.uuid4())

    assert logged.pk == draft.pk
    assert Engagement.objects.get().status == Engagement.Status.LOGGED


def test_logs_without_a_key_or_with_different_keys_are_separate(staff_user):
    """No key (the back office, the demo data) or another key: a new engagement each time."""
    _log_with_key(staff_user, None)
    _log_with_key(staff_user, None)
    _log_with_key(staff_user, uuid.uuid4())
    assert Engagement.objects.count() == 3


def test_another_users_key_is_refused(staff_user):
    """A key already used by someone else is refused, without showing their engagement."""
    key = uuid.uuid4()
    _log_with_key(UserFactory(roles=["Staff"]), key)
    with pytest.raises(ValidationError) as error:
        _log_with_key(staff_user, key)
    assert "already used by someone else" in str(error.value)
    assert Engagement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_log_one_engagement():
    """Two concurrent logs with one key, each on its own database connection: the second
    waits on the key's unique index until the first commits, then returns its engagement."""
    actor = UserFactory(roles=["Staff"])
    attendee = PersonFactory()
    key = uuid.uuid4()
    first_inserted, release = threading.Event(), threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []
    replace_attendees = services._replace_attendees

    def hold_first(engagement, person_ids, *, is_new):
        # Runs inside the first request's transaction, after its engagement row is written.
        if threading.current_thread().name == "first":
            first_inserted.set()
            release.wait(10)
        return replace_attendees(engagement, person_ids, is_new=is_new)

    def run(name):
        try:
            results[name] = _log_with_key(actor, key, attendee=attendee).pk
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "_replace_attendees", hold_first):
        first = threading.Thread(target=run, args=("first",), name="first")
        second = threading.Thread(target=run, args=("second",), name="second")
        first.start()
        assert first_inserted.wait(10), errors  # an error in the first request stops it early
        second.start()
        _wait_for_a_lock_wait()
        release.set()
        first.join(10)
        second.join(10)

    assert not errors, errors
    assert results["first"] == results["second"]
    engagement = Engagement.objects.get()
    assert engagement.attendances.count() == 1
    assert engagement.input_items.count() == 2
    assert engagement.commitments.count() == 1


def _wait_for_a_lock_wait(seconds=10):
    """Until another connection waits on a lock (the second request's insert on the key)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second request never waited for the first")
