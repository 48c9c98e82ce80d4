"""Follow-up pages: the inbox and its one-click actions, manual creation, handover, settings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from engagements.models import FollowUp, ReminderSettings
from stakeholders.models import Relationship
from tests.engagements.followup_factories import FollowUpFactory, PersonFactory, RelationshipFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_only_my_follow_ups_open_first(client, staff_user):
    """A user sees their own follow-ups, open ones first and the soonest due first; never anyone else's."""
    FollowUpFactory(user=staff_user, title="Later", due_on=datetime.date(2026, 9, 1))
    FollowUpFactory(user=staff_user, title="Closed", due_on=datetime.date(2026, 1, 1), status="done")
    FollowUpFactory(user=staff_user, title="Sooner", due_on=datetime.date(2026, 8, 1))
    FollowUpFactory(title="Someone else's")
    client.force_login(staff_user)
    response = client.get(reverse("engagements:followup_list"))
    titles = [f["title"] for f in response.context["page"]]
    assert titles == ["Sooner", "Later", "Closed"]


def test_the_inbox_filters_by_reason(client, staff_user):
    """The reason filter narrows the list; htmx gets just the results."""
    FollowUpFactory(user=staff_user, reason="turnover", title="Turnover one")
    FollowUpFactory(user=staff_user, reason="term_ending", title="Term one")
    client.force_login(staff_user)
    response = client.get(reverse("engagements:followup_list"), {"reason": "term_ending"}, HTTP_HX_REQUEST="true")
    assert [f["title"] for f in response.context["page"]] == ["Term one"]
    assert b"<html" not in response.content


def test_each_open_row_has_one_form_whose_buttons_post_to_their_own_action(client, staff_user):
    """Done, snooze and dismiss share one form (one CSRF token a row); each button posts to its
    own address with htmx (``hx-post``) and without (``formaction``, or the form's action)."""
    followup = FollowUpFactory(user=staff_user)
    client.force_login(staff_user)
    content = client.get(reverse("engagements:followup_list")).content.decode()
    row = content[content.index(f'id="followup-{followup.pk}"') :]
    row = row[: row.index("</tr>")]
    done, snooze, dismiss = (
        reverse(f"engagements:followup_{action}", args=[followup.pk]) for action in ("done", "snooze", "dismiss")
    )
    assert row.count("<form") == 1 and row.count("csrfmiddlewaretoken") == 1
    assert f'action="{done}"' in row and f'hx-post="{done}"' in row
    assert f'formaction="{snooze}" hx-post="{snooze}"' in row
    assert f'formaction="{dismiss}" hx-post="{dismiss}"' in row


@pytest.mark.parametrize("rows", [1, 50])
def test_the_inbox_query_count_does_not_grow(client, staff_user, rows, django_assert_max_num_queries):
    """The inbox page with 1 or 50 follow-ups runs the same bounded number of queries."""
    for _ in range(rows):
        FollowUpFactory(user=staff_user)
    client.force_login(staff_user)
    # The first request after sign-in saves the session and fills the content-type cache.
    client.get(reverse("engagements:followup_list"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("engagements:followup_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows


def test_done_in_one_click_swaps_the_row_and_updates_the_count(client, staff_user):
    """An htmx Done returns the row and the new navigation count out of band."""
    followup = FollowUpFactory(user=staff_user)
    FollowUpFactory(user=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("engagements:followup_done", args=[followup.pk]), HTTP_HX_REQUEST="true")
    assert FollowUp.objects.get(pk=followup.pk).status == "done"
    content = response.content.decode()
    assert f'id="followup-{followup.pk}"' in content
    assert 'hx-swap-oob="true"' in content and ">1</span>" in content


def test_snooze_and_dismiss_in_one_click(client, staff_user, time_machine):
    """Snooze takes the date from the button; dismiss closes; without htmx both redirect to the inbox."""
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))
    snoozed, dismissed = FollowUpFactory(user=staff_user), FollowUpFactory(user=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("engagements:followup_snooze", args=[snoozed.pk]), {"until": "2026-06-08"})
    assert response.status_code == 302
    client.post(reverse("engagements:followup_dismiss", args=[dismissed.pk]), HTTP_HX_REQUEST="true")
    assert FollowUp.objects.get(pk=snoozed.pk).snoozed_until == datetime.date(2026, 6, 8)
    assert FollowUp.objects.get(pk=dismissed.pk).status == "dismissed"


def test_nobody_can_act_on_someone_elses_follow_up(client, staff_user):
    """Another user's follow-up is a 404, and stays open."""
    other = FollowUpFactory()
    client.force_login(staff_user)
    assert client.post(reverse("engagements:followup_done", args=[other.pk])).status_code == 404
    assert FollowUp.objects.get(pk=other.pk).status == "open"


def test_the_navigation_loads_the_open_count(client, staff_user):
    """The menu loads the badge with htmx; the badge is one COUNT of my open follow-ups."""
    FollowUpFactory(user=staff_user)
    FollowUpFactory(user=staff_user, status="done")
    FollowUpFactory()
    client.force_login(staff_user)
    page = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("engagements:followup_count")}"' in page
    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("engagements:followup_count")).content.decode()
    assert 'data-testid="followup-count">1</span>' in content
    followup_queries = [q["sql"] for q in queries.captured_queries if "engagements_followup" in q["sql"]]
    assert len(followup_queries) == 1 and "COUNT(" in followup_queries[0]


def test_a_follow_up_can_be_added_from_a_person(client, staff_user, time_machine):
    """Staff add a follow-up about a person; it lands in their own inbox."""
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))
    person = PersonFactory()
    client.force_login(staff_user)
    url = reverse("engagements:followup_create", args=["stakeholders.person", person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Invite to the housing session", "due_on": "2026-06-10"})
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert (followup.user, followup.subject, followup.source) == (staff_user, person, "user")


def test_a_user_without_a_role_cannot_add_follow_ups_about_people(client):
    """Someone with no role cannot see people, so cannot add follow-ups about them."""
    user = UserFactory()
    client.force_login(user)
    url = reverse("engagements:followup_create", args=["stakeholders.person", PersonFactory().pk])
    assert client.get(url).status_code == 404


def test_handover_and_settings_are_admin_only(client, coordinator_user):
    """Coordinators get 403 on the handover and settings pages."""
    client.force_login(coordinator_user)
    assert client.get(reverse("engagements:handover")).status_code == 403
    assert client.get(reverse("engagements:reminder_settings")).status_code == 403


def test_the_handover_page_moves_everything_in_one_step(client, admin_user):
    """An admin chooses the departed user and a successor; follow-ups and relationships move and history lists it."""
    departed, successor = UserFactory(is_active=False), UserFactory()
    FollowUpFactory(user=departed)
    relationship = RelationshipFactory(owner=departed)
    client.force_login(admin_user)
    assert client.get(reverse("engagements:handover")).status_code == 200
    response = client.post(reverse("engagements:handover"), {"from_user": departed.pk, "to_user": successor.pk})
    assert response.status_code == 302
    assert Relationship.objects.get(pk=relationship.pk).owner == successor
    assert FollowUp.objects.get().user == successor
    page = client.get(reverse("engagements:handover")).content.decode()
    assert page.count('data-testid="handover-row"') == 1


def test_admins_change_lead_times_and_the_scan_time(client, admin_user):
    """Saving the settings stores the lead times and moves the beat entry to the new time in city time."""
    client.force_login(admin_user)
    page = client.get(reverse("engagements:reminder_settings")).content.decode()
    assert 'value="180, 90, 30"' in page
    data = {
        "election_lead_days": "120, 60",
        "term_end_lead_days": 90,
        "commitment_due_days": 7,
        "agreement_expiry_days": 60,
        "no_contact_days": 90,
        "turnover_lookback_days": 30,
        "scan_time": "05:30",
    }
    response = client.post(reverse("engagements:reminder_settings"), data)
    assert response.status_code == 302
    config = ReminderSettings.load()
    assert config.election_lead_days == [120, 60]
    assert config.scan_time == datetime.time(5, 30)


def test_saving_settings_updates_the_periodic_task(admin_user, django_capture_on_commit_callbacks):
    """The periodic task of the scan follows the admin's time, in the city's time zone."""
    from engagements.services.followups import reminder_settings_update

    with django_capture_on_commit_callbacks(execute=True):
        reminder_settings_update(config=ReminderSettings.load(), scan_time=datetime.time(5, 45))
    task = PeriodicTask.objects.get(name="reminders-scan")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("5", "45", "America/Chicago")
    with django_capture_on_commit_callbacks(execute=True):
        reminder_settings_update(config=ReminderSettings.load(), scan_time=datetime.time(6, 15))
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute) == ("6", "15")


def test_the_inbox_query_count_holds_with_tenure_subjects(client, staff_user, django_assert_max_num_queries):
    """Rule follow-ups about tenures link to the holder without a query per row."""
    from django.contrib.contenttypes.models import ContentType

    from stakeholders.models import Tenure
    from tests.engagements.followup_factories import TenureFactory

    tenure_type = ContentType.objects.get_for_model(Tenure)
    for _ in range(20):
        FollowUpFactory(user=staff_user, content_type=tenure_type, object_id=TenureFactory().pk)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("engagements:followup_list")).status_code == 200


def test_a_user_turns_the_digest_off_and_on(client, staff_user):
    """The inbox's digest switch stores the preference for the signed-in user only."""
    from engagements.models import DigestPreference

    client.force_login(staff_user)
    client.post(reverse("engagements:digest_preference"), {})
    assert DigestPreference.objects.get(user=staff_user).email_digest is False
    client.post(reverse("engagements:digest_preference"), {"email_digest": "on"})
    assert DigestPreference.objects.get(user=staff_user).email_digest is True
