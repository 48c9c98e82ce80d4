"""Government services: departments, positions, turnover of tenures, elections."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stakeholders import events
from stakeholders.models import Position, Tenure
from stakeholders.services import government as services
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.government_factories import (
    OfficialFactory,
    PositionFactory,
    TenureFactory,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2025, 1, 6)
MAR = datetime.date(2025, 3, 3)


@pytest.fixture
def received():
    """Collect the stakeholders events sent during a test."""
    log = []

    def on_started(sender, tenure, previous, **kwargs):
        log.append(("started", tenure.pk, previous.pk if previous else None))

    def on_ended(sender, tenure, **kwargs):
        log.append(("ended", tenure.pk, tenure.end_reason))

    events.tenure_started.connect(on_started)
    events.tenure_ended.connect(on_ended)
    yield log
    events.tenure_started.disconnect(on_started)
    events.tenure_ended.disconnect(on_ended)


def test_starting_a_single_seat_position_ends_the_previous_holder(django_capture_on_commit_callbacks, received):
    """A successor on a single-seat position ends the current holder's tenure as "replaced" on the start date."""
    position = PositionFactory(is_multi_seat=False)
    first = services.tenure_start(position=position, person=OfficialFactory(), start_date=JAN)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.tenure_start(position=position, person=OfficialFactory(), start_date=MAR)
        assert received == []  # nothing is announced before the commit
    first.refresh_from_db()
    assert first.actual_end_date == MAR
    assert first.end_reason == Tenure.EndReason.REPLACED
    assert second.is_current
    # Other apps (the reminders) also hook these events; what matters is what was announced, and when.
    assert received == [("ended", first.pk, "replaced"), ("started", second.pk, first.pk)]


def test_the_previous_holder_can_leave_earlier_and_for_a_stated_reason():
    """Recording a vacancy between holders keeps the real leaving date and reason."""
    position = PositionFactory()
    first = services.tenure_start(position=position, person=OfficialFactory(), start_date=JAN)
    services.tenure_start(
        position=position,
        person=OfficialFactory(),
        start_date=MAR,
        replaced_end_date=datetime.date(2025, 2, 14),
        replaced_end_reason=Tenure.EndReason.RESIGNED,
    )
    first.refresh_from_db()
    assert (first.actual_end_date, first.end_reason) == (datetime.date(2025, 2, 14), "resigned")


def test_turnover_is_all_or_nothing():
    """When the successor cannot start, the previous holder's tenure is not ended either."""
    position = PositionFactory()
    holder = OfficialFactory()
    first = services.tenure_start(position=position, person=holder, start_date=MAR)
    with pytest.raises(ValidationError) as error:
        # the predecessor would have to leave before they started
        services.tenure_start(position=position, person=OfficialFactory(), start_date=JAN)
    assert "actual_end_date" in error.value.message_dict
    first.refresh_from_db()
    assert first.is_current


def test_multi_seat_positions_keep_every_holder(django_capture_on_commit_callbacks, received):
    """A new council member does not end the other members' tenures."""
    council = PositionFactory(is_multi_seat=True, level=Position.Level.ELECTED)
    first = services.tenure_start(position=council, person=OfficialFactory(), start_date=JAN)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.tenure_start(position=council, person=OfficialFactory(), start_date=MAR)
    first.refresh_from_db()
    assert first.is_current and second.is_current
    assert received == [("started", second.pk, None)]


def test_multi_seat_successor_replaces_only_the_named_seat():
    """On a multi-seat position, ``replaces`` ends just that holder's tenure."""
    council = PositionFactory(is_multi_seat=True)
    leaving = services.tenure_start(position=council, person=OfficialFactory(), start_date=JAN)
    staying = services.tenure_start(position=council, person=OfficialFactory(), start_date=JAN)
    services.tenure_start(position=council, person=OfficialFactory(), start_date=MAR, replaces=leaving)
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert not leaving.is_current and staying.is_current


def test_tenure_end_records_how_it_ended_and_announces_after_commit(django_capture_on_commit_callbacks, received):
    """Ending a tenure stores the end date and reason; the event waits for the commit."""
    tenure = TenureFactory(start_date=JAN)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.tenure_end(tenure=tenure, end_date=MAR, end_reason=Tenure.EndReason.RETIRED)
    assert received == []
    for callback in callbacks:
        callback()
    tenure.refresh_from_db()
    assert (tenure.actual_end_date, tenure.end_reason) == (MAR, "retired")
    assert received == [("ended", tenure.pk, "retired")]


def test_a_rolled_back_turnover_announces_nothing(django_capture_on_commit_callbacks, received):
    """If the surrounding transaction rolls back, no receiver hears of the turnover."""
    tenure = TenureFactory(start_date=JAN)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.tenure_end(tenure=tenure, end_date=MAR, end_reason=Tenure.EndReason.RESIGNED)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert received == []
    tenure.refresh_from_db()
    assert tenure.is_current


def test_tenure_end_refuses_bad_input():
    """A tenure cannot end before it started, twice, or without a known reason."""
    tenure = TenureFactory(start_date=MAR)
    with pytest.raises(ValidationError) as error:
        services.tenure_end(tenure=tenure, end_date=JAN, end_reason="resigned")
    assert "actual_end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.tenure_end(tenure=tenure, end_date=MAR, end_reason="vanished")
    assert "end_reason" in error.value.message_dict
    services.tenure_end(tenure=tenure, end_date=MAR, end_reason="resigned")
    with pytest.raises(ValidationError):
        services.tenure_end(tenure=tenure, end_date=MAR, end_reason="resigned")


def test_database_refuses_two_current_holders_of_a_single_seat_position():
    """Even bypassing the services, PostgreSQL allows one current holder of a single seat."""
    position = PositionFactory(is_multi_seat=False)
    TenureFactory(position=position)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(position=position, person=OfficialFactory(), start_date=JAN, holds_single_seat=True)
    # an ended tenure next to the current one is fine
    Tenure.objects.create(
        position=position,
        person=OfficialFactory(),
        start_date=JAN,
        actual_end_date=MAR,
        end_reason="term_ended",
        holds_single_seat=True,
    )


def test_the_same_person_cannot_hold_a_seat_twice_at_once():
    """Starting someone who already holds the multi-seat position is refused at the field."""
    council = PositionFactory(is_multi_seat=True)
    member = OfficialFactory()
    services.tenure_start(position=council, person=member, start_date=JAN)
    with pytest.raises(ValidationError) as error:
        services.tenure_start(position=council, person=member, start_date=MAR)
    assert "person" in error.value.message_dict


def test_making_a_shared_position_single_seat_needs_one_holder():
    """A position held by several people cannot become single-seat; with one holder it can."""
    board = PositionFactory(is_multi_seat=True)
    first = services.tenure_start(position=board, person=OfficialFactory(), start_date=JAN)
    second = services.tenure_start(position=board, person=OfficialFactory(), start_date=JAN)
    fields = {"title": board.title, "department": board.department, "level": board.level}
    with pytest.raises(ValidationError) as error:
        services.position_update(position=board, is_multi_seat=False, **fields)
    assert "is_multi_seat" in error.value.message_dict
    services.tenure_end(tenure=second, end_date=MAR, end_reason="resigned")
    services.position_update(position=board, is_multi_seat=False, **fields)
    first.refresh_from_db()
    assert first.holds_single_seat
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenure.objects.create(position=board, person=OfficialFactory(), start_date=MAR, holds_single_seat=True)


def test_a_department_cannot_be_moved_under_its_own_subdepartment():
    """Nesting stays a tree."""
    parent = services.department_create(name="Public Works")
    child = services.department_create(name="Streets", parent=parent)
    with pytest.raises(ValidationError) as error:
        services.department_update(department=parent, name="Public Works", parent=child)
    assert "parent" in error.value.message_dict


def test_department_names_are_unique_within_their_parent():
    """Two top-level departments cannot share a name."""
    services.department_create(name="Parks")
    with pytest.raises(ValidationError):
        services.department_create(name="Parks")


def test_election_keeps_the_positions_on_its_ballot():
    """An election lists the positions that are up for a vote, and they can change."""
    mayor, council = PositionFactory(), PositionFactory(is_multi_seat=True)
    election = services.election_create(
        name="General", jurisdiction="City of Riverton", date=datetime.date(2027, 4, 6), positions=[mayor]
    )
    assert list(election.positions.all()) == [mayor]
    services.election_update(
        election=election,
        name="General",
        jurisdiction="City of Riverton",
        date=datetime.date(2027, 4, 6),
        kind="general",
        positions=[mayor, council],
    )
    assert set(election.positions.all()) == {mayor, council}


def test_tenure_history_records_who_changed_it():
    """Every change to a tenure is kept with the user who made it."""
    actor = UserFactory()
    tenure = services.tenure_start(position=PositionFactory(), person=OfficialFactory(), start_date=JAN, actor=actor)
    services.tenure_end(tenure=tenure, end_date=MAR, end_reason="resigned", actor=actor)
    events_ = list(tenure.events.order_by("pgh_id"))
    assert [event.pgh_label for event in events_] == ["insert", "update"]
    assert events_[1].end_reason == "resigned"
    assert events_[1].pgh_context.metadata["user"] == actor.pk


def test_demo_government_is_idempotent_and_sized_like_riverton():
    """The demo seed builds about 15 departments, 120 positions, 2 elections and 300 relationships, once."""
    from stakeholders import demo, demo_government
    from stakeholders.models import Department, Election, Relationship

    demo.seed_users()
    created = demo_government.seed()
    assert created["departments"] == Department.objects.count() >= 15
    assert 110 <= created["positions"] <= 130
    assert created["relationships"] == Relationship.objects.count() == 300
    assert Tenure.objects.filter(actual_end_date__isnull=False).exists()
    soon = datetime.date.today() + datetime.timedelta(days=180)
    assert Tenure.objects.filter(actual_end_date__isnull=True, planned_end_date__lte=soon).exists()
    assert Election.objects.filter(date__lte=soon).count() >= 1 and Election.objects.count() == 2
    assert all(election.positions.exists() for election in Election.objects.all())
    again = demo_government.seed()
    assert set(again.values()) == {0}


def test_tenure_update_corrects_dates_but_keeps_the_rules():
    """Dates of a tenure can be corrected; a planned end before the start is refused at its field."""
    tenure = TenureFactory(start_date=JAN)
    services.tenure_update(tenure=tenure, start_date=MAR, planned_end_date=datetime.date(2027, 1, 1), is_acting=True)
    tenure.refresh_from_db()
    assert (tenure.start_date, tenure.is_acting) == (MAR, True)
    with pytest.raises(ValidationError) as error:
        services.tenure_update(tenure=tenure, start_date=MAR, planned_end_date=JAN, is_acting=False)
    assert "planned_end_date" in error.value.message_dict
