"""Reminder rules 5–7 and the coalition recipients of rules 1–3, at their boundaries."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from coalition.models import Agreement, Coalition, Stance
from engagements.models import Commitment, FollowUp, ReminderSettings
from engagements.services.followups import followups_scan_all
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory
from tests.engagements.factories import CommitmentFactory
from tests.engagements.followup_factories import ElectionFactory, PersonFactory, TenureFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("America/Chicago")
TODAY = datetime.date(2026, 6, 1)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=CITY)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- rule 5: commitment due -------------------------------------------------------------


def test_commitment_due_in_seven_days_reminds_its_owner_and_eight_days_does_not(time_machine):
    """Due in 8 days: nothing. Due in 7 days: one follow-up for the owner, due on the commitment's date."""
    time_machine.move_to(at(TODAY))
    later = CommitmentFactory(due_on=TODAY + days(8))
    soon = CommitmentFactory(due_on=TODAY + days(7))

    followups_scan_all()

    followup = FollowUp.objects.get(reason=FollowUp.Reason.COMMITMENT_DUE)
    assert (followup.user, followup.object_id, followup.due_on) == (soon.owner, soon.pk, soon.due_on)
    assert followup.cycle == f"due:{soon.due_on.isoformat()}"
    assert not FollowUp.objects.filter(user=later.owner).exists()


def test_overdue_commitments_remind_but_done_declined_and_unowned_do_not(time_machine):
    """An overdue open commitment reminds its owner; done, declined or ownerless ones do not."""
    time_machine.move_to(at(TODAY))
    overdue = CommitmentFactory(due_on=TODAY - days(30), status=Commitment.Status.IN_PROGRESS)
    CommitmentFactory(due_on=TODAY, status=Commitment.Status.DONE)
    CommitmentFactory(due_on=TODAY, status=Commitment.Status.DECLINED, declined_reason="Out of budget.")
    CommitmentFactory(due_on=TODAY, owner=None)

    followups_scan_all()

    followup = FollowUp.objects.get(reason=FollowUp.Reason.COMMITMENT_DUE)
    assert followup.user == overdue.owner
    assert "Overdue" in followup.title


def test_commitment_lead_time_follows_the_settings(time_machine):
    """With the lead time set to 3 days, a commitment due in 4 days waits."""
    time_machine.move_to(at(TODAY))
    ReminderSettings.objects.update_or_create(pk=1, defaults={"commitment_due_days": 3})
    CommitmentFactory(due_on=TODAY + days(4))
    assert followups_scan_all().get(FollowUp.Reason.COMMITMENT_DUE) is None
    time_machine.move_to(at(TODAY + days(1)))
    assert followups_scan_all()[FollowUp.Reason.COMMITMENT_DUE] == 1


# --- rule 6: coalition agreement expiring ---------------------------------------------------


def _agreement(coalition: Coalition, expires_on: datetime.date) -> Agreement:
    return Agreement.objects.create(coalition=coalition, title=f"MOU until {expires_on}", expires_on=expires_on)


def test_agreement_expiring_in_60_days_reminds_the_active_coordinators_and_61_does_not():
    """Expiring in 61 days: nothing. In 60 days: each active coordinator once; a deactivated one never."""
    coordinators = [UserFactory(roles=["Coordinator"]), UserFactory(roles=["Coordinator"])]
    departed = UserFactory(roles=["Coordinator"], is_active=False)
    coalition = CoalitionFactory(coordinators=[*coordinators, departed])
    later = _agreement(coalition, TODAY + days(61))
    soon = _agreement(coalition, TODAY + days(60))

    followups_scan_all(today=TODAY)

    rows = FollowUp.objects.filter(reason=FollowUp.Reason.AGREEMENT_EXPIRING)
    assert sorted(f.user_id for f in rows) == sorted(u.pk for u in coordinators)
    expected = (soon.pk, f"expires:{soon.expires_on}", soon.expires_on)
    assert {(f.object_id, f.cycle, f.due_on) for f in rows} == {expected}
    assert not rows.filter(object_id=later.pk).exists()


def test_an_expired_agreement_no_longer_reminds():
    """The day after expiry the rule has nothing left to say."""
    coalition = CoalitionFactory(coordinators=[UserFactory(roles=["Coordinator"])])
    _agreement(coalition, TODAY - days(1))
    assert followups_scan_all(today=TODAY)["total"] == 0


# --- rule 7: champion or ally without contact ---------------------------------------------


def _stance(stance: str, last_contact_on: datetime.date | None, **kwargs):
    return AllyStanceFactory(
        stance=stance, owner=UserFactory(roles=["Coordinator"]), person__last_contact_on=last_contact_on, **kwargs
    )


def test_no_contact_for_90_days_reminds_the_stance_owner_and_89_days_does_not():
    """Last contact 89 days ago: nothing. 90 days ago, or never: the owner of the stance is reminded."""
    recent = _stance(Stance.CHAMPION, TODAY - days(89))
    stale = _stance(Stance.ALLY, TODAY - days(90))
    never = _stance(Stance.CHAMPION, None)

    followups_scan_all(today=TODAY)

    rows = FollowUp.objects.filter(reason=FollowUp.Reason.NO_CONTACT)
    assert {(f.user_id, f.object_id) for f in rows} == {(stale.owner_id, stale.pk), (never.owner_id, never.pk)}
    assert {f.cycle for f in rows} == {f"last-contact:{stale.person.last_contact_on}", "last-contact:never"}
    assert not rows.filter(user=recent.owner).exists()


def test_no_contact_skips_neutral_people_closed_coalitions_and_departed_owners():
    """Only champions and allies of coalitions still going, owned by an active user, count."""
    _stance(Stance.NEUTRAL, None)
    _stance(Stance.OPPONENT, None)
    _stance(Stance.ALLY, None, coalition=CoalitionFactory(status=Coalition.Status.CLOSED))
    AllyStanceFactory(stance=Stance.ALLY, owner=UserFactory(is_active=False), person__last_contact_on=None)
    assert followups_scan_all(today=TODAY)["total"] == 0


def test_a_new_contact_restarts_the_no_contact_clock():
    """After a contact the same stance is reminded again only once 90 days have passed since it."""
    stance = _stance(Stance.ALLY, TODAY - days(100))
    followups_scan_all(today=TODAY)
    stance.person.last_contact_on = TODAY
    stance.person.save(update_fields=["last_contact_on"])
    assert followups_scan_all(today=TODAY + days(89))["total"] == 0
    assert followups_scan_all(today=TODAY + days(90))[FollowUp.Reason.NO_CONTACT] == 1
    assert FollowUp.objects.filter(object_id=stance.pk).count() == 2


# --- the coalition recipients of rules 1-3 -----------------------------------------------


def test_ally_stance_owners_hear_about_term_ends_and_elections():
    """The owner of any stance on an office holder gets the term-end and election follow-ups."""
    tenure = TenureFactory(planned_end_date=TODAY + days(120))
    owner = UserFactory(roles=["Coordinator"])
    AllyStanceFactory(person=tenure.person, stance=Stance.SKEPTIC, owner=owner)
    ElectionFactory(date=TODAY + days(30), positions=[tenure.position])

    followups_scan_all(today=TODAY)

    assert set(FollowUp.objects.filter(user=owner).values_list("reason", flat=True)) == {
        FollowUp.Reason.TERM_ENDING,
        FollowUp.Reason.ELECTION_APPROACHING,
    }


def test_turnover_reaches_stance_owners_and_coordinators_where_the_person_was_a_champion():
    """When a champion leaves office: the stance owner and the coalition's coordinators each get
    one turnover follow-up; coordinators of a coalition where they were only neutral get none."""
    left = TenureFactory(actual_end_date=TODAY, end_reason="resigned", person=PersonFactory())
    owner = UserFactory(roles=["Coordinator"])
    coordinator = UserFactory(roles=["Coordinator"])
    bystander = UserFactory(roles=["Coordinator"])
    AllyStanceFactory(
        person=left.person, stance=Stance.CHAMPION, owner=owner, coalition=CoalitionFactory(coordinators=[coordinator])
    )
    AllyStanceFactory(person=left.person, stance=Stance.NEUTRAL, coalition=CoalitionFactory(coordinators=[bystander]))

    followups_scan_all(today=TODAY)

    rows = FollowUp.objects.filter(reason=FollowUp.Reason.TURNOVER)
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([owner.pk, coordinator.pk])
    assert set(rows.values_list("cycle", flat=True)) == {f"tenure:{left.pk}"}


def test_every_new_rule_run_twice_creates_nothing_the_second_time(time_machine):
    """Rules 5–7 with something to say: the second scan on the same day adds nothing."""
    time_machine.move_to(at(TODAY))
    CommitmentFactory(due_on=TODAY + days(2))
    _agreement(CoalitionFactory(coordinators=[UserFactory()]), TODAY + days(10))
    _stance(Stance.ALLY, None)

    first = followups_scan_all()
    second = followups_scan_all()

    assert first == {
        FollowUp.Reason.COMMITMENT_DUE: 1,
        FollowUp.Reason.AGREEMENT_EXPIRING: 1,
        FollowUp.Reason.NO_CONTACT: 1,
        "total": 3,
    }
    assert second == {"total": 0}


def test_new_rules_run_a_constant_number_of_queries_as_rows_grow(time_machine, django_assert_max_num_queries):
    """Rules 5–7 read in set-based queries: five times the rows, the same query count."""
    from django.contrib.contenttypes.models import ContentType

    from coalition.models import AllyStance
    from stakeholders.models import Tenure

    time_machine.move_to(at(TODAY))
    ReminderSettings.load()
    for model in (Tenure, Commitment, Agreement, AllyStance):
        ContentType.objects.get_for_model(model)
    counts = []
    for size in (1, 5):
        for _ in range(size):
            CommitmentFactory(due_on=TODAY + days(1))
            _agreement(CoalitionFactory(coordinators=[UserFactory()]), TODAY + days(10))
            _stance(Stance.ALLY, None)
        with django_assert_max_num_queries(30) as captured:
            created = followups_scan_all()
        assert created["total"] == 3 * size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
