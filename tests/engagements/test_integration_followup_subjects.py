"""Follow-ups added by hand from an engagement, a commitment, a coalition agreement and a person."""

import datetime

import pytest
from django.urls import reverse

from coalition.models import Agreement
from engagements.models import FollowUp
from tests.coalition.factories import CoalitionFactory
from tests.engagements.factories import CommitmentFactory, EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC)


def _add(client, label: str, pk: int):
    url = reverse("engagements:followup_create", args=[label, pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {"title": "Check in next week", "due_on": "2026-06-10"})


@pytest.mark.parametrize("kind", ["engagement", "commitment", "agreement"])
def test_a_follow_up_can_be_added_from_each_kind_of_record(client, coordinator_user, time_machine, kind):
    """From an engagement, a commitment or an agreement of a coalition they coordinate, a coordinator
    adds a follow-up that lands in their own inbox about that record."""
    time_machine.move_to(NOW)
    if kind == "engagement":
        subject, label = EngagementFactory(), "engagements.engagement"
    elif kind == "commitment":
        subject, label = CommitmentFactory(), "engagements.commitment"
    else:
        coalition = CoalitionFactory(coordinators=[coordinator_user])
        subject, label = Agreement.objects.create(coalition=coalition, title="Data-sharing MOU"), "coalition.agreement"
    client.force_login(coordinator_user)

    response = _add(client, label, subject.pk)

    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert (followup.user, followup.subject, followup.reason) == (coordinator_user, subject, "manual")
    assert followup.subject_url


def test_records_the_user_cannot_see_cannot_get_follow_ups(client, liaison_user, coordinator_user):
    """A liaison cannot add one about an engagement they did not run (or its commitment); a
    coordinator cannot add one about an agreement of a coalition they do not coordinate."""
    commitment = CommitmentFactory()
    client.force_login(liaison_user)
    for label, pk in (("engagements.engagement", commitment.engagement_id), ("engagements.commitment", commitment.pk)):
        assert client.get(reverse("engagements:followup_create", args=[label, pk])).status_code == 404
    other = Agreement.objects.create(coalition=CoalitionFactory(), title="Someone else's MOU")
    client.force_login(coordinator_user)
    url = reverse("engagements:followup_create", args=["coalition.agreement", other.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("engagements:followup_create", args=["coalition.coalition", 1])).status_code == 404


def test_the_pages_link_to_adding_a_follow_up(client, coordinator_user):
    """The person page, the engagement page, the commitment page and the agreements page each
    offer "Add a follow-up" pointing at that record."""
    commitment = CommitmentFactory()
    person = PersonFactory()
    coalition = CoalitionFactory(coordinators=[coordinator_user])
    agreement = Agreement.objects.create(coalition=coalition, title="MOU")
    client.force_login(coordinator_user)
    pages = {
        reverse("stakeholders:person_detail", args=[person.pk]): ("stakeholders.person", person.pk),
        reverse("engagements:detail", args=[commitment.engagement_id]): (
            "engagements.engagement",
            commitment.engagement_id,
        ),
        commitment.get_absolute_url(): ("engagements.commitment", commitment.pk),
        reverse("coalition:agreements", args=[coalition.pk]): ("coalition.agreement", agreement.pk),
    }
    for page, args in pages.items():
        content = client.get(page).content.decode()
        assert reverse("engagements:followup_create", args=args) in content, page
        assert "Add a follow-up" in content


def test_a_liaison_sees_no_follow_up_button_on_a_person(client, liaison_user):
    """Liaisons cannot add follow-ups about people, so their own person page does not offer it."""
    person = PersonFactory(user=liaison_user)
    client.force_login(liaison_user)
    response = client.get(reverse("stakeholders:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert 'data-testid="add-followup"' not in response.content.decode()
