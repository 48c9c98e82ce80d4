"""Calendar output: an .ics per engagement and a personal feed behind a revocable secret address."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from engagements.models import CalendarFeed
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def test_engagement_ics_parses(client, staff_user):
    """The .ics of one engagement is valid iCalendar with its title, start and end."""
    engagement = EngagementFactory(title="Budget workshop", location="City Hall")
    client.force_login(staff_user)
    response = client.get(reverse("engagements:ics", args=[engagement.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Budget workshop"
    assert events[0].decoded("DTSTART") == engagement.starts_at.replace(microsecond=0)
    assert events[0].decoded("DTEND") == engagement.ends_at.replace(microsecond=0)
    assert "City Hall" in str(events[0]["LOCATION"])


def test_personal_feed_lists_own_engagements_without_login(client, staff_user):
    """The feed address works without a session and lists the user's own engagements only."""
    EngagementFactory(title="Mine", created_by=staff_user)
    EngagementFactory(title="Not mine")
    client.force_login(staff_user)
    client.get(reverse("engagements:calendar_feed"))
    feed = CalendarFeed.objects.get(user=staff_user)
    client.logout()

    response = client.get(reverse("engagements:ical_feed", args=[feed.token]))
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Mine"]


def test_revoked_feed_address_stops_working(client, staff_user):
    """Replacing the address makes the old one answer 404 and the new one work."""
    client.force_login(staff_user)
    client.get(reverse("engagements:calendar_feed"))
    old_token = CalendarFeed.objects.get(user=staff_user).token

    client.post(reverse("engagements:calendar_feed_revoke"))

    new_token = CalendarFeed.objects.get(user=staff_user).token
    assert new_token != old_token
    assert client.get(reverse("engagements:ical_feed", args=[old_token])).status_code == 404
    assert client.get(reverse("engagements:ical_feed", args=[new_token])).status_code == 200


def test_feed_of_a_deactivated_user_is_gone(client, staff_user):
    """A deactivated user's feed no longer answers."""
    feed = CalendarFeed.objects.create(user=staff_user)
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert client.get(reverse("engagements:ical_feed", args=[feed.token])).status_code == 404
