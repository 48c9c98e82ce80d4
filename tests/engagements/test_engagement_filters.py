"""The engagement list's filters: local days, languages, departments and facilitators."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from engagements.selectors.engagements import engagements_visible_to
from stakeholders.models import Language
from tests.engagements.factories import DepartmentFactory, EngagementFactory, PersonFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _listed(client, params) -> set[str]:
    response = client.get(reverse("engagements:list"), params)
    assert response.status_code == 200
    return {row["title"] for row in response.context["page"].object_list}


@pytest.fixture
def around_midnight():
    """One session late on 31 January and one at midnight on 1 February, Chicago time (the city's zone)."""
    EngagementFactory(title="Late", starts_at=datetime.datetime(2026, 1, 31, 23, 30, tzinfo=CHICAGO))
    EngagementFactory(title="Midnight", starts_at=datetime.datetime(2026, 2, 1, 0, 0, tzinfo=CHICAGO))


def test_date_filters_keep_whole_local_days(client, staff_user, around_midnight, settings):
    """ "From" starts at the local midnight of its day and "To" takes in the whole of its day."""
    assert settings.TIME_ZONE == "America/Chicago"
    client.force_login(staff_user)
    assert _listed(client, {"date_from": "2026-02-01"}) == {"Midnight"}
    assert _listed(client, {"date_to": "2026-01-31"}) == {"Late"}
    assert _listed(client, {"date_from": "2026-01-31", "date_to": "2026-01-31"}) == {"Late"}
    assert _listed(client, {"date_from": "2026-02-01", "date_to": "2026-02-01"}) == {"Midnight"}


def test_date_filters_accept_the_first_and_last_days_of_the_calendar(client, staff_user, around_midnight):
    """The widest dates a date field accepts filter nothing out and raise nothing."""
    client.force_login(staff_user)
    assert _listed(client, {"date_from": "0001-01-01", "date_to": "9999-12-31"}) == {"Late", "Midnight"}


def test_language_filter_finds_sessions_held_in_or_interpreted_into_it(client, staff_user):
    spanish = Language.objects.get(code="es")
    EngagementFactory(title="Held in Spanish").languages.add(spanish)
    EngagementFactory(title="Interpreted into Spanish").interpretation_languages.add(spanish)
    EngagementFactory(title="English only").languages.add(Language.objects.get(code="en"))
    client.force_login(staff_user)
    assert _listed(client, {"language": "es"}) == {"Held in Spanish", "Interpreted into Spanish"}


def test_department_filter(client, staff_user):
    parks = DepartmentFactory(name="Parks")
    EngagementFactory(title="With parks").departments.add(parks, DepartmentFactory(name="Transit"))
    EngagementFactory(title="Without")
    client.force_login(staff_user)
    assert _listed(client, {"department": parks.pk}) == {"With parks"}


def test_facilitator_filter_finds_sessions_led_as_staff_or_as_a_liaison(client, staff_user):
    facilitator = UserFactory(roles=["Liaison"])
    EngagementFactory(title="As staff").facilitator_users.add(facilitator)
    EngagementFactory(title="As a liaison").facilitator_people.add(PersonFactory(user=facilitator))
    EngagementFactory(title="Someone else's").facilitator_users.add(UserFactory(roles=["Staff"]))
    client.force_login(staff_user)
    assert _listed(client, {"facilitator": facilitator.pk}) == {"As staff", "As a liaison"}


def test_a_liaison_sees_what_they_logged_or_facilitated_in_either_way(liaison_user):
    """A liaison's engagements: logged by them, facilitated as a user, or as their person record."""
    EngagementFactory(title="Logged", created_by=liaison_user)
    EngagementFactory(title="As a user").facilitator_users.add(liaison_user)
    EngagementFactory(title="As a person").facilitator_people.add(PersonFactory(user=liaison_user))
    EngagementFactory(title="Not theirs").facilitator_people.add(PersonFactory(user=UserFactory(roles=["Liaison"])))
    both = EngagementFactory(title="Both ways")
    both.facilitator_users.add(liaison_user)
    both.facilitator_people.add(liaison_user.person)
    EngagementFactory(title="Their draft", created_by=liaison_user, status="draft")
    visible = engagements_visible_to(liaison_user)
    assert sorted(visible.values_list("title", flat=True)) == ["As a person", "As a user", "Both ways", "Logged"]
    assert "Their draft" in engagements_visible_to(liaison_user, include_drafts=True).values_list("title", flat=True)
