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


def test_spanish_readers_see_the_spanish_summary(client, published, coordinator_user):
    """With a Spanish version saved, a reader who chose Spanish sees it (lang="es") instead of the summary."""
    from engagements.services.engagements import engagement_public_summary_set

    engagement_public_summary_set(
        actor=coordinator_user, engagement=published, summary_es="Escuchamos sobre las inundaciones."
    )
    spanish = client.get(published.get_public_url(), headers={"accept-language": "es"}).content.decode()
    english = client.get(published.get_public_url(), headers={"accept-language": "en"}).content.decode()
    assert '<p lang="es" data-testid="public-summary">Escuchamos sobre las inundaciones.</p>' in spanish
    assert "We heard about flooding." not in spanish
    assert "Ustedes dijeron, nosotros cumplimos" in spanish and "En curso" in spanish
    assert "We heard about flooding." in english and "Escuchamos" not in english


def test_without_a_spanish_summary_the_english_one_is_marked_as_english(client, published):
    """A Spanish reader gets the English summary inside lang="en", with a note saying so, and
    everything staff typed (title, themes, commitments) marked English too."""
    body = client.get(published.get_public_url(), headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in body
    assert '<p lang="en" data-testid="public-summary">We heard about flooding.</p>' in body
    assert "Este resumen solo está disponible en inglés." in body
    assert '<h1 class="h3" lang="en">Riverside listening session</h1>' in body
    assert '<span lang="en">Flooding</span>' in body
    assert 'lang="en">Clean the storm drains</h3>' in body


def test_a_coordinator_saves_the_spanish_summary_from_the_engagement_page(client, published, coordinator_user):
    """The form on the engagement's page saves the Spanish summary; too long a text is refused on the form."""
    client.force_login(coordinator_user)
    url = reverse("engagements:public_summary", args=[published.pk])
    response = client.post(url, {"summary_es": "  Escuchamos sobre las inundaciones.  "})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.summary_es == "Escuchamos sobre las inundaciones."
    refused = client.post(url, {"summary_es": "x" * 5001})
    assert refused.status_code == 200
    assert 'id="error_1_id_summary_es"' in refused.content.decode()
    published.refresh_from_db()
    assert published.summary_es == "Escuchamos sobre las inundaciones."


def test_staff_cannot_write_the_spanish_summary(client, published, staff_user):
    """Only those who publish (coordinators, admins) write the public page's Spanish summary."""
    client.force_login(staff_user)
    response = client.post(reverse("engagements:public_summary", args=[published.pk]), {"summary_es": "Hola"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.summary_es == ""
