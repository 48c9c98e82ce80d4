"""Handover of a departed user's commitments and ally stances, with their history."""

import datetime

import pytest

from coalition.models import AllyStance, Stance, StanceChange
from engagements.models import Commitment, FollowUp, Handover
from engagements.services import followups as services
from tests.coalition.factories import AllyStanceFactory
from tests.engagements.factories import CommitmentFactory
from tests.engagements.followup_factories import FollowUpFactory, RelationshipFactory
from tests.stakeholders.board_factories import CohortFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_handover_moves_everything_and_keeps_the_history(admin_user):
    """Open follow-ups, relationships, open commitments, stances and cohort coordination all move to the successor;
    done commitments stay with who delivered them; each stance records the owner change."""
    departed, successor = UserFactory(is_active=False), UserFactory(roles=["Coordinator"])
    followup = FollowUpFactory(user=departed)
    relationship = RelationshipFactory(owner=departed)
    open_commitment = CommitmentFactory(owner=departed, status=Commitment.Status.IN_PROGRESS)
    done_commitment = CommitmentFactory(owner=departed, status=Commitment.Status.DONE)
    stance = AllyStanceFactory(owner=departed, stance=Stance.CHAMPION)
    cohort = CohortFactory(coordinators=[departed])
    shared = CohortFactory(coordinators=[departed, successor])

    record = services.handover_run(from_user=departed, to_user=successor, by=admin_user)

    assert FollowUp.objects.get(pk=followup.pk).user == successor
    assert relationship.__class__.objects.get(pk=relationship.pk).owner == successor
    assert Commitment.objects.get(pk=open_commitment.pk).owner == successor
    assert Commitment.objects.get(pk=done_commitment.pk).owner == departed
    moved_stance = AllyStance.objects.get(pk=stance.pk)
    assert (moved_stance.owner, moved_stance.stance) == (successor, Stance.CHAMPION)
    change = StanceChange.objects.get(ally_stance=stance)
    assert (change.from_owner, change.to_owner, change.changed_by) == (departed, successor, admin_user)
    assert (change.from_stance, change.to_stance) == (Stance.CHAMPION, Stance.CHAMPION)
    assert record.moved_ids == {
        "followups": [followup.pk],
        "relationships": [relationship.pk],
        "commitments": [open_commitment.pk],
        "stances": [stance.pk],
        "cohorts": [cohort.pk, shared.pk],
    }
    counts = {"followups": 1, "relationships": 1, "commitments": 1, "stances": 1, "cohorts": 2}
    assert Handover.objects.get().counts == counts
    # The cohorts' reminders now reach the successor, once each.
    assert list(cohort.coordinators.all()) == [successor]
    assert list(shared.coordinators.all()) == [successor]


def test_a_user_who_only_owns_commitments_or_stances_is_still_handed_over(admin_user):
    """The staff-turnover scan asks admins about a departed user holding only a commitment or a stance."""
    only_commitment, only_stance = UserFactory(is_active=False), UserFactory(is_active=False)
    CommitmentFactory(owner=only_commitment)
    AllyStanceFactory(owner=only_stance)

    services.followups_scan_all(today=datetime.date(2026, 6, 1))

    asked_about = set(
        FollowUp.objects.filter(reason=FollowUp.Reason.STAFF_TURNOVER).values_list("object_id", flat=True)
    )
    assert asked_about == {only_commitment.pk, only_stance.pk}


def test_moved_commitments_and_stances_remind_the_successor_not_the_departed(admin_user):
    """After the handover, the due commitment and the ally without contact remind the successor."""
    departed, successor = UserFactory(is_active=False), UserFactory()
    CommitmentFactory(owner=departed, due_on=datetime.date(2026, 6, 2))
    AllyStanceFactory(owner=departed, stance=Stance.ALLY, person__last_contact_on=None)
    services.handover_run(from_user=departed, to_user=successor, by=admin_user)

    services.followups_scan_all(today=datetime.date(2026, 6, 1))

    reasons = set(FollowUp.objects.filter(user=successor).values_list("reason", flat=True))
    assert reasons == {FollowUp.Reason.COMMITMENT_DUE, FollowUp.Reason.NO_CONTACT}
