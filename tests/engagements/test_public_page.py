"""The public "You said, we did" page: no sign-in, no personal data, gone when unpublished."""

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import LoopBack
from engagements.services.engagements import engagement_publish, engagement_unpublish
from tests.engagements.factories import (
    CommitmentFactory,
    EngagementFactory,
    InputItemFactory,
    PersonFactory,
    ThemeFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(coordinator_user):
    engagement = EngagementFactory(title="Riverside listening session", summary="We heard about flooding.")
    attendee = PersonFactory(first_name="Zenobia", last_name="Attendeeson", email="zenobia@private.example")
    liaison = PersonFactory(first_name="Lorcan", last_name="Liaisonby", email="lorcan@private.example")
    engagement.attendances.create(person=attendee)
    engagement.facilitator_people.add(liaison)
    item = InputItemFactory(engagement=engagement, text="Storm drains overflow", count_raised=3)
    item.themes.add(ThemeFactory(name="Flooding"))
    # A made-up owner name: a random short one (say "Li") can occur in the page's own words.
    owner = UserFactory(
        first_name="Ottoline", last_name="Ownerhausen", email="ottoline@private.example", roles=["Coordinator"]
    )
    commitment = CommitmentFactory(
        engagement=engagement, description="Clean the storm drains", status="in_progress", owner=owner
    )
    LoopBack.objects.create(commitment=commitment, date=timezone.localdate(), method="flyer", note="Flyers posted")
    engagement_publish(actor=coordinator_user, engagement=engagement)
    return engagement


def test_public_page_shows_what_was_heard_and_done(client, published):
    """Without signing in: summary, themes, commitments with status and loop-backs."""
    body = client.get(published.get_public_url()).content.decode()
    for text in ("Riverside listening session", "We heard about flooding.", "Flooding", "Clean the storm drains"):
        assert text in body
    assert "In progress" in body
    assert "Flyers posted" in body


def test_public_page_shows_no_personal_data(client, published):
    """No attendee or facilitator names, no emails, no commitment owner."""
    body = client.get(published.get_public_url()).content.decode()
    secrets = ("Zenobia", "Attendeeson", "zenobia@private.example", "Lorcan", "lorcan@private.example")
    owner = ("Ottoline", "Ownerhausen", "ottoline@private.example")
    for secret in secrets + owner:
        assert secret not in body
    assert "Storm drains overflow" not in body  # free text can hold names; only its themes are shown


def test_unpublished_page_is_gone(client, coordinator_user, published):
    """Unpublishing makes the address answer 404."""
    url = published.get_public_url()
    engagement_unpublish(actor=coordinator_user, engagement=published)
    assert client.get(url).status_code == 404


def test_unknown_token_is_not_found(client):
    """A guessed address finds nothing."""
    assert client.get(reverse("engagements:public", args=["not-a-real-token"])).status_code == 404
