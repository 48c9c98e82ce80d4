"""Commitments: status changes with their history, declining with a reason, loop-backs, the accountability page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from engagements.models import Commitment, LoopBack
from engagements.services.engagements import commitment_create, commitment_set_status, loop_back_record
from stakeholders.models import Language
from tests.engagements.factories import CommitmentFactory, EngagementFactory, InputItemFactory

pytestmark = pytest.mark.django_db


def test_commitment_create_answers_input_of_its_engagement(coordinator_user):
    """A new commitment is proposed, answers its engagement's input and starts its history."""
    engagement = EngagementFactory()
    item = InputItemFactory(engagement=engagement)
    commitment = commitment_create(
        actor=coordinator_user, engagement=engagement, description="Repair lights", input_items=[item]
    )
    assert commitment.status == Commitment.Status.PROPOSED
    assert list(commitment.input_items.all()) == [item]
    assert [c.to_status for c in commitment.status_changes.all()] == ["proposed"]


def test_commitment_cannot_answer_input_from_another_engagement(coordinator_user):
    """Input heard elsewhere cannot be answered by this commitment."""
    with pytest.raises(ValidationError):
        commitment_create(
            actor=coordinator_user, engagement=EngagementFactory(), description="x", input_items=[InputItemFactory()]
        )


def test_status_changes_are_recorded_in_order(coordinator_user):
    """Each change keeps who made it, from what and to what."""
    commitment = CommitmentFactory()
    for status in ("accepted", "in_progress", "done"):
        commitment_set_status(actor=coordinator_user, commitment=commitment, status=status)
    changes = list(commitment.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert changes == [
        ("proposed", "accepted", coordinator_user.pk),
        ("accepted", "in_progress", coordinator_user.pk),
        ("in_progress", "done", coordinator_user.pk),
    ]
    commitment.refresh_from_db()
    assert commitment.status == "done"


def test_declining_needs_a_reason(coordinator_user):
    """Declining without a reason is refused; with one it is kept on the commitment."""
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as error:
        commitment_set_status(actor=coordinator_user, commitment=commitment, status="declined", reason="  ")
    assert "reason" in error.value.message_dict
    commitment_set_status(actor=coordinator_user, commitment=commitment, status="declined", reason="No budget")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.declined_reason) == ("declined", "No budget")


def test_reopening_a_declined_commitment_clears_the_reason(coordinator_user):
    """A reason belongs to the decline only."""
    commitment = CommitmentFactory(status="declined", declined_reason="No budget")
    commitment_set_status(actor=coordinator_user, commitment=commitment, status="accepted")
    commitment.refresh_from_db()
    assert commitment.declined_reason == ""


def test_loop_back_is_recorded_with_languages(coordinator_user):
    """A loop-back keeps when, how, in which languages and a note."""
    commitment = CommitmentFactory()
    loop_back = loop_back_record(
        actor=coordinator_user,
        commitment=commitment,
        date=timezone.localdate(),
        method=LoopBack.Method.FLYER,
        languages=[Language.objects.get(code="es")],
        note="Flyers at the library",
    )
    assert [lang.code for lang in loop_back.languages.all()] == ["es"]
    assert commitment.loop_backs.count() == 1


def test_loop_back_in_the_future_is_refused(coordinator_user):
    """A loop-back is recorded after it happens."""
    with pytest.raises(ValidationError):
        loop_back_record(
            actor=coordinator_user,
            commitment=CommitmentFactory(),
            date=timezone.localdate() + datetime.timedelta(days=3),
            method=LoopBack.Method.EMAIL,
        )


def test_coordinator_changes_status_on_the_page(client, coordinator_user):
    """The status form moves the commitment; declining without a reason shows the error by the field."""
    commitment = CommitmentFactory()
    client.force_login(coordinator_user)
    url = reverse("engagements:commitment_status", args=[commitment.pk])
    response = client.post(url, {"status": "declined", "reason": ""})
    assert response.status_code == 422
    assert "Say why the commitment is declined" in response.content.decode()
    assert client.post(url, {"status": "accepted"}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "accepted"


def test_staff_may_see_but_not_change_commitments(client, staff_user):
    """Managing commitments is for coordinators."""
    commitment = CommitmentFactory()
    client.force_login(staff_user)
    assert client.get(reverse("engagements:commitment_detail", args=[commitment.pk])).status_code == 200
    url = reverse("engagements:commitment_status", args=[commitment.pk])
    assert client.post(url, {"status": "accepted"}).status_code == 403
    loop = reverse("engagements:commitment_loop_back", args=[commitment.pk])
    assert client.post(loop, {"date": timezone.localdate().isoformat(), "method": "email"}).status_code == 403


def test_coordinator_records_a_loop_back_on_the_page(client, coordinator_user):
    """The loop-back form records a loop-back."""
    commitment = CommitmentFactory()
    client.force_login(coordinator_user)
    url = reverse("engagements:commitment_loop_back", args=[commitment.pk])
    response = client.post(url, {"date": timezone.localdate().isoformat(), "method": "meeting", "languages": ["en"]})
    assert response.status_code == 302
    assert commitment.loop_backs.get().method == "meeting"


def test_accountability_filters_overdue_and_not_looped_back(client, coordinator_user):
    """Overdue shows open commitments past due; not looped back hides those with a loop-back."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = CommitmentFactory(description="Late one", due_on=yesterday)
    CommitmentFactory(description="Done late", due_on=yesterday, status="done")
    told = CommitmentFactory(description="Told one")
    LoopBack.objects.create(commitment=told, date=timezone.localdate(), method="email")
    client.force_login(coordinator_user)

    url = reverse("engagements:commitments")
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert overdue.description in body and "Done late" not in body and "Told one" not in body
    body = client.get(url, {"not_looped_back": "on"}).content.decode()
    assert "Late one" in body and "Told one" not in body


@pytest.mark.parametrize("rows", [1, 50])
def test_accountability_query_count_does_not_grow(client, coordinator_user, django_assert_max_num_queries, rows):
    """The accountability page takes the same number of queries with 1 or 50 commitments."""
    CommitmentFactory.create_batch(rows)
    client.force_login(coordinator_user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("engagements:commitments"))
    assert response.context["page"].paginator.count == rows


def test_liaison_sees_only_commitments_of_sessions_they_facilitated(client, liaison_user):
    """Commitments follow the visibility of their engagement."""
    hidden = CommitmentFactory(description="Hidden promise")
    client.force_login(liaison_user)
    assert "Hidden promise" not in client.get(reverse("engagements:commitments")).content.decode()
    assert client.get(reverse("engagements:commitment_detail", args=[hidden.pk])).status_code == 404


def test_coordinator_adds_a_commitment_from_the_engagement_page(client, coordinator_user):
    """A coordinator adds a commitment answering input heard at the engagement."""
    engagement = EngagementFactory()
    item = InputItemFactory(engagement=engagement)
    client.force_login(coordinator_user)
    url = reverse("engagements:commitment_create", args=[engagement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": "Fix the crossing", "input_items": [str(item.pk)]})
    commitment = engagement.commitments.get()
    assert response.url == commitment.get_absolute_url()
    assert list(commitment.input_items.all()) == [item]


def test_staff_may_not_add_commitments_from_the_engagement_page(client, staff_user):
    """Adding commitments outside the quick log is for coordinators."""
    client.force_login(staff_user)
    url = reverse("engagements:commitment_create", args=[EngagementFactory(created_by=staff_user).pk])
    assert client.get(url).status_code == 403
