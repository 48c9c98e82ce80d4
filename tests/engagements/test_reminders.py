"""The reminder rules: boundaries, idempotence, concurrency and bounded queries."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from coalition.models import Agreement, AllyStance
from engagements.models import Commitment, FollowUp, ReminderSettings
from engagements.services.followups import followups_scan_all
from stakeholders.models import Tenure
from tests.engagements.followup_factories import (
    ElectionFactory,
    PersonFactory,
    RelationshipFactory,
    TenureFactory,
)
from tests.stakeholders.factories import UserFactory

CITY = ZoneInfo("America/Chicago")
ELECTION_DAY = datetime.date(2026, 11, 3)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=CITY)


@pytest.fixture
def ballot(db):
    """A council member on the ballot, known by two staff members (one in each direction)."""
    holder = TenureFactory()
    ElectionFactory(date=ELECTION_DAY, positions=[holder.position])
    outgoing = RelationshipFactory(person=holder.person)
    incoming = RelationshipFactory(other_person=holder.person)
    return holder, outgoing.owner, incoming.owner


def test_election_rule_starts_exactly_at_the_longest_lead_time(ballot, time_machine):
    """Nothing 181 days before election day; 180 days before, each owner gets one follow-up."""
    holder, owner_a, owner_b = ballot
    time_machine.move_to(at(ELECTION_DAY - datetime.timedelta(days=181)))
    assert followups_scan_all()["total"] == 0

    time_machine.move_to(at(ELECTION_DAY - datetime.timedelta(days=180)))
    followups_scan_all()

    rows = FollowUp.objects.filter(reason=FollowUp.Reason.ELECTION_APPROACHING)
    assert {f.user for f in rows} == {owner_a, owner_b}
    assert {f.cycle for f in rows} == {"180d:2026-11-03"}
    assert {f.object_id for f in rows} == {holder.pk}
    assert {f.due_on for f in rows} == {ELECTION_DAY - datetime.timedelta(days=90)}


def test_election_rule_adds_one_follow_up_per_lead_time_crossed(ballot, time_machine):
    """91 days out adds nothing new; 90 days out adds the 90-day cycle; after election day nothing."""
    _holder, owner_a, _owner_b = ballot
    for days_before in (180, 91):
        time_machine.move_to(at(ELECTION_DAY - datetime.timedelta(days=days_before)))
        followups_scan_all()
    assert FollowUp.objects.filter(user=owner_a).count() == 1

    time_machine.move_to(at(ELECTION_DAY - datetime.timedelta(days=90)))
    followups_scan_all()
    assert set(FollowUp.objects.filter(user=owner_a).values_list("cycle", flat=True)) == {
        "180d:2026-11-03",
        "90d:2026-11-03",
    }

    time_machine.move_to(at(ELECTION_DAY + datetime.timedelta(days=1)))
    assert followups_scan_all()["total"] == 0


def test_election_rule_skips_former_holders_and_ended_relationships(db, time_machine):
    """Only the current holder counts, and only relationships that have not ended."""
    today = ELECTION_DAY - datetime.timedelta(days=30)
    former = TenureFactory(actual_end_date=datetime.date(2025, 1, 1), end_reason=Tenure.EndReason.RESIGNED)
    ElectionFactory(date=ELECTION_DAY, positions=[former.position])
    RelationshipFactory(person=former.person)
    current = TenureFactory()
    ElectionFactory(date=ELECTION_DAY, positions=[current.position])
    RelationshipFactory(person=current.person, end_date=today - datetime.timedelta(days=1), start_date=None)

    assert followups_scan_all(today=today)["total"] == 0


def test_term_ending_rule_starts_120_days_before_the_planned_end(db):
    """A tenure ending in 121 days yields nothing; in 120 days, one follow-up per owner, due on the end date."""
    planned_end = datetime.date(2026, 12, 31)
    tenure = TenureFactory(planned_end_date=planned_end)
    relationship = RelationshipFactory(other_person=tenure.person)

    assert followups_scan_all(today=planned_end - datetime.timedelta(days=121))["total"] == 0
    counts = followups_scan_all(today=planned_end - datetime.timedelta(days=120))

    assert counts == {FollowUp.Reason.TERM_ENDING: 1, "total": 1}
    followup = FollowUp.objects.get()
    assert (followup.user, followup.due_on, followup.cycle) == (relationship.owner, planned_end, "term-end:2026-12-31")


def test_term_ending_respects_the_admin_lead_time(db):
    """With the lead time set to 30 days, 31 days before the end is too early."""
    ReminderSettings.objects.update_or_create(pk=1, defaults={"term_end_lead_days": 30})
    planned_end = datetime.date(2026, 12, 31)
    tenure = TenureFactory(planned_end_date=planned_end)
    RelationshipFactory(person=tenure.person)

    assert followups_scan_all(today=planned_end - datetime.timedelta(days=31))["total"] == 0
    assert followups_scan_all(today=planned_end - datetime.timedelta(days=30))["total"] == 1


def test_turnover_scan_covers_the_look_back_window(db):
    """A tenure that ended 30 days ago is caught by the scan; 31 days ago it is not."""
    today = datetime.date(2026, 6, 1)
    caught = TenureFactory(actual_end_date=today - datetime.timedelta(days=30), end_reason="resigned")
    missed = TenureFactory(actual_end_date=today - datetime.timedelta(days=31), end_reason="resigned")
    RelationshipFactory(person=caught.person)
    RelationshipFactory(person=missed.person)
    successor = TenureFactory(position=caught.position, start_date=today, person=PersonFactory(first_name="Nia"))

    followups_scan_all(today=today)

    followup = FollowUp.objects.get()
    assert followup.cycle == f"tenure:{caught.pk}"
    assert successor.person.first_name in followup.title


def test_running_the_scan_twice_creates_nothing_the_second_time(ballot, time_machine):
    """A second scan on the same day finds every row already there."""
    time_machine.move_to(at(ELECTION_DAY - datetime.timedelta(days=30)))
    first = followups_scan_all()
    second = followups_scan_all()
    assert first["total"] == 2
    assert second == {"total": 0}
    assert FollowUp.objects.count() == 2


def test_staff_turnover_scan_asks_admins_once(db, admin_user):
    """An inactive user who still owns relationships yields one follow-up per admin, once."""
    departed = UserFactory(is_active=False)
    RelationshipFactory(owner=departed)
    followups_scan_all(today=datetime.date(2026, 6, 1))
    followups_scan_all(today=datetime.date(2026, 6, 2))
    followup = FollowUp.objects.get(reason=FollowUp.Reason.STAFF_TURNOVER)
    assert (followup.user, followup.object_id, followup.cycle) == (admin_user, departed.pk, "handover:0")


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_create_no_duplicates():
    """Two scans in parallel threads (two database connections) insert each follow-up once."""
    today = ELECTION_DAY - datetime.timedelta(days=30)
    holders = [TenureFactory() for _ in range(5)]
    ElectionFactory(date=ELECTION_DAY, positions=[t.position for t in holders])
    for tenure in holders:
        RelationshipFactory(person=tenure.person)
        RelationshipFactory(other_person=tenure.person)
    barrier = threading.Barrier(2)
    errors = []

    def scan():
        try:
            barrier.wait(timeout=10)
            followups_scan_all(today=today)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert FollowUp.objects.count() == 10


def test_scan_query_count_is_bounded_and_constant_as_the_city_grows(db, django_assert_max_num_queries):
    """The full scan runs the same small number of queries on a city four times larger."""
    today = datetime.date(2026, 6, 1)
    ReminderSettings.load()  # created on first use; not part of what is measured
    for model in (Tenure, Commitment, Agreement, AllyStance):  # cached per process after the first lookup
        ContentType.objects.get_for_model(model)
    counts = []
    for size, seed in ((1, 1), (4, 2)):
        call_command(
            "generate_city",
            tenures=200 * size,
            relationships=80 * size,
            elections=2,
            seed=seed,
            today=today.isoformat(),
        )
        with django_assert_max_num_queries(30) as captured:
            created = followups_scan_all(today=today)
        assert created["total"] > 0
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_turnover_can_notify_extra_recipients(db, monkeypatch):
    """A source added to TURNOVER_EXTRA_RECIPIENT_SOURCES (coalition coordinators, after merge) is heard by rule 3."""
    from engagements import reminders

    today = datetime.date(2026, 6, 1)
    left = TenureFactory(actual_end_date=today, end_reason="resigned")
    coordinator = UserFactory()

    def coordinators(person_ids, day):
        return [(left.person_id, coordinator.pk)]

    monkeypatch.setattr(reminders, "TURNOVER_EXTRA_RECIPIENT_SOURCES", [coordinators])
    followups_scan_all(today=today)
    assert FollowUp.objects.get().user == coordinator
