"""Retention (issue 16): admin-set windows per kind of record, applied by a nightly task
that deletes what has outlived them, idempotently, and records what it removed."""

from __future__ import annotations

import datetime
import secrets

import pytest
import time_machine
from django.db import IntegrityError, transaction

from engagements import tasks
from engagements.models import Attendance, AttendanceBreakdown, Commitment, Engagement, FollowUp, PaymentEngagement
from engagements.services import retention as services
from engagements.services.followups import followup_done
from stakeholders.models import ApiToken, RetentionRun, RetentionSettings, SecurityEvent
from stakeholders.models.tokens import token_digest
from tests.engagements.factories import BreakdownOptionFactory, CommitmentFactory, EngagementFactory, PersonFactory
from tests.engagements.followup_factories import FollowUpFactory
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.stipend_factories import PaymentFactory

pytestmark = pytest.mark.django_db

URL = "/engagements/retention/"
NOW = datetime.datetime(2027, 6, 1, 12, 0, tzinfo=datetime.UTC)
EMPTY = {"security_log": 0, "draft_engagements": 0, "closed_followups": 0, "api_tokens": 0}
SETTINGS_POST = {
    "security_log_days": "730",
    "draft_engagement_days": "90",
    "closed_followup_days": "365",
    "api_token_expired_days": "90",
}


def ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def security_event(days_old: float) -> SecurityEvent:
    return SecurityEvent.objects.create(occurred_at=ago(days_old), action=SecurityEvent.Action.LOGIN_SUCCEEDED)


def draft(days_old: float, **kwargs) -> Engagement:
    """A draft last changed ``days_old`` days before NOW."""
    with time_machine.travel(ago(days_old), tick=False):
        return EngagementFactory(status=Engagement.Status.DRAFT, title="", starts_at=None, ends_at=None, **kwargs)


def closed_followup(days_old: float, status=FollowUp.Status.DONE) -> FollowUp:
    with time_machine.travel(ago(days_old), tick=False):
        followup = FollowUpFactory()
        if status == FollowUp.Status.DONE:
            followup_done(followup=followup)  # through the service: pghistory records the change
        else:
            FollowUp.objects.filter(pk=followup.pk).update(status=status, completed_at=ago(days_old))
    return followup


def api_token(*, created_days_ago: float, expires_in: float, revoked_days_ago: float | None = None) -> ApiToken:
    token = secrets.token_urlsafe(16)
    with time_machine.travel(ago(created_days_ago), tick=False):
        return ApiToken.objects.create(
            user=UserFactory(),
            name="311 sync",
            digest=token_digest(token),
            prefix=token[:8],
            expires_at=ago(-expires_in),
            revoked_at=None if revoked_days_ago is None else ago(revoked_days_ago),
        )


def test_one_run_removes_exactly_what_outlived_its_window_and_a_second_removes_nothing():
    """With the default windows (730, 90, 365, 90 days) each kind loses only its older records;
    the run records the counts, and running again right after removes nothing and records zeros."""
    # given: for each kind, records just past their window and just inside it
    old_events = [security_event(731), security_event(2000)]
    kept_event = security_event(729)
    old_draft = draft(91)
    kept_draft = draft(89)
    old_logged = EngagementFactory(starts_at=ago(400), ends_at=ago(400))
    Engagement.objects.filter(pk=old_logged.pk).update(updated_at=ago(400))
    old_done = closed_followup(366)
    old_dismissed = closed_followup(500, status=FollowUp.Status.DISMISSED)
    kept_done = closed_followup(364)
    with time_machine.travel(ago(1000), tick=False):
        old_open = FollowUpFactory()
        old_snoozed = FollowUpFactory(status=FollowUp.Status.SNOOZED, snoozed_until=datetime.date(2020, 1, 1))
    expired_token = api_token(created_days_ago=200, expires_in=-91)
    revoked_token = api_token(created_days_ago=200, expires_in=100, revoked_days_ago=91)
    recently_expired = api_token(created_days_ago=200, expires_in=-89)
    recently_revoked = api_token(created_days_ago=200, expires_in=-10, revoked_days_ago=89)
    live_token = api_token(created_days_ago=200, expires_in=30)

    # when
    run = services.retention_apply(now=NOW)

    # then
    assert run.removed == {"security_log": 2, "draft_engagements": 1, "closed_followups": 2, "api_tokens": 2}
    assert run.windows == {"security_log": 730, "draft_engagements": 90, "closed_followups": 365, "api_tokens": 90}
    assert run.total == 7 and run.ran_at == NOW and run.triggered_by is None
    assert not SecurityEvent.objects.filter(pk__in=[e.pk for e in old_events]).exists()
    assert SecurityEvent.objects.filter(pk=kept_event.pk).exists()
    assert set(Engagement.objects.values_list("pk", flat=True)) == {kept_draft.pk, old_logged.pk}
    assert not Engagement.objects.filter(pk=old_draft.pk).exists()
    assert set(FollowUp.objects.values_list("pk", flat=True)) == {kept_done.pk, old_open.pk, old_snoozed.pk}
    assert not FollowUp.objects.filter(pk__in=[old_done.pk, old_dismissed.pk]).exists()
    assert set(ApiToken.objects.values_list("pk", flat=True)) == {
        recently_expired.pk,
        recently_revoked.pk,
        live_token.pk,
    }
    assert not ApiToken.objects.filter(pk__in=[expired_token.pk, revoked_token.pk]).exists()

    # when: again, a moment later
    second = services.retention_apply(now=NOW + datetime.timedelta(minutes=1))

    # then
    assert second.removed == EMPTY
    assert RetentionRun.objects.count() == 2
    assert (SecurityEvent.objects.count(), Engagement.objects.count(), FollowUp.objects.count()) == (1, 2, 3)
    assert ApiToken.objects.count() == 3


def test_zero_keeps_a_kind_forever():
    """A window of 0 keeps every record of that kind, however old; the other kinds still go."""
    RetentionSettings.objects.create(pk=1, security_log_days=0, draft_engagement_days=0, closed_followup_days=0)
    security_event(3000)
    draft(3000)
    closed_followup(3000)
    api_token(created_days_ago=3000, expires_in=-2900)

    run = services.retention_apply(now=NOW)

    assert run.removed == {**EMPTY, "api_tokens": 1}
    assert run.windows == {"security_log": 0, "draft_engagements": 0, "closed_followups": 0, "api_tokens": 90}
    assert (SecurityEvent.objects.count(), Engagement.objects.count(), FollowUp.objects.count()) == (1, 1, 1)


def test_a_draft_resumed_within_the_window_is_kept():
    """The window counts from the last change: a draft started long ago but edited last week stays."""
    started_long_ago = draft(1000)
    with time_machine.travel(ago(7), tick=False):
        started_long_ago.summary = "Still typing"
        started_long_ago.save(update_fields=["summary", "updated_at"])

    assert services.retention_apply(now=NOW).removed == EMPTY
    assert Engagement.objects.filter(pk=started_long_ago.pk).exists()


def test_a_removed_draft_takes_its_attendees_breakdowns_and_commitments_with_it():
    old = draft(200, attendance_total=5)
    Attendance.objects.create(engagement=old, person=PersonFactory())
    AttendanceBreakdown.objects.create(engagement=old, option=BreakdownOptionFactory(), count=3)
    CommitmentFactory(engagement=old)

    assert services.retention_apply(now=NOW).removed["draft_engagements"] == 1
    assert not Attendance.objects.exists()
    assert not AttendanceBreakdown.objects.exists()
    assert not Commitment.objects.exists()


def test_a_draft_linked_to_a_stipend_payment_is_kept():
    """The payment's record must stay whole, so the link protects its engagement."""
    old = draft(200)
    payment = PaymentFactory()
    PaymentEngagement.objects.create(payment=payment, engagement=old, liaison=payment.agreement.liaison)

    assert services.retention_apply(now=NOW).removed["draft_engagements"] == 0
    assert Engagement.objects.filter(pk=old.pk).exists()


def test_the_history_of_a_removed_follow_up_goes_with_it():
    """No pghistory event outlives the follow-up it is about; other follow-ups keep theirs."""
    old, recent = closed_followup(400), closed_followup(10)
    history = FollowUp.user_status_snoozed_until_events.rel.related_model
    assert history.objects.filter(pgh_obj_id=old.pk).exists()

    services.retention_apply(now=NOW)

    assert not history.objects.filter(pgh_obj_id=old.pk).exists()
    assert history.objects.filter(pgh_obj_id=recent.pk).exists()


def test_the_security_log_stays_append_only_outside_retention():
    """Retention is let past the log's delete guard; nothing else is."""
    event = security_event(1000)
    with pytest.raises(Exception, match="security_event_append_only"), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).delete()

    services.retention_apply(now=NOW)

    assert not SecurityEvent.objects.exists()
    kept = security_event(1)
    with pytest.raises(Exception, match="security_event_append_only"), transaction.atomic():
        SecurityEvent.objects.filter(pk=kept.pk).delete()


def test_large_backlogs_are_deleted_in_batches(monkeypatch, django_assert_max_num_queries):
    """Each DELETE takes at most BATCH_SIZE rows; the loop goes on until a batch is not full."""
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    SecurityEvent.objects.bulk_create(
        [SecurityEvent(occurred_at=ago(800 + n), action=SecurityEvent.Action.LOGGED_OUT) for n in range(5)]
    )
    security_event(1)

    with django_assert_max_num_queries(40):
        run = services.retention_apply(now=NOW)

    assert run.removed["security_log"] == 5
    assert SecurityEvent.objects.count() == 1


def test_the_settings_row_is_not_written_by_reading_it():
    config = RetentionSettings.current()
    assert (config.security_log_days, config.draft_engagement_days) == (730, 90)
    assert (config.closed_followup_days, config.api_token_expired_days) == (365, 90)
    assert not RetentionSettings.objects.exists()


@pytest.mark.parametrize(
    "values",
    [{"pk": 2}, {"security_log_days": 100}, {"draft_engagement_days": 29}, {"api_token_expired_days": 3651}],
)
def test_the_database_refuses_a_second_row_and_windows_out_of_range(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionSettings.objects.create(**{"pk": 1, **values})


# --- the page --------------------------------------------------------------------------


def test_an_admin_sees_the_windows_and_the_last_runs(client, admin_user):
    services.retention_apply(now=NOW, actor=admin_user)
    client.force_login(admin_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["form"]["security_log_days"].value() == 730
    [row] = response.context["runs"]
    assert row.counts == [0, 0, 0, 0]
    html = response.content.decode()
    assert 'data-testid="retention-run"' in html and str(admin_user) in html
    assert 'name="action" value="apply"' in html
    assert RetentionSettings.objects.count() == 0  # opening the page writes nothing


def test_an_admin_saves_new_windows(client, admin_user):
    client.force_login(admin_user)

    response = client.post(URL, {**SETTINGS_POST, "security_log_days": "0", "draft_engagement_days": "30"}, follow=True)

    assert "Retention settings saved." in response.content.decode()
    config = RetentionSettings.current()
    assert (config.pk, config.security_log_days, config.draft_engagement_days) == (1, 0, 30)
    client.post(URL, SETTINGS_POST)
    assert RetentionSettings.objects.count() == 1
    assert RetentionSettings.current().security_log_days == 730


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("security_log_days", "100", "from 365 to 3650"),
        ("security_log_days", "364", "from 365 to 3650"),
        ("draft_engagement_days", "29", "from 30 to 3650"),
        ("closed_followup_days", "3651", "less than or equal to 3650"),
        ("api_token_expired_days", "-1", "greater than or equal to 0"),
        ("api_token_expired_days", "abc", "Enter a whole number"),
        ("closed_followup_days", "", "This field is required"),
        ("draft_engagement_days", "99999999999999999999", "less than or equal to 3650"),
    ],
)
def test_bad_windows_are_refused_on_their_field_and_nothing_is_saved(client, admin_user, field, value, message):
    client.force_login(admin_user)

    response = client.post(URL, {**SETTINGS_POST, field: value})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert message in str(response.context["form"].errors[field])
    assert b"data-error-summary" in response.content
    assert not RetentionSettings.objects.exists()


def test_apply_now_runs_the_clean_up_and_says_what_went(client, admin_user):
    security_event(1000)
    client.force_login(admin_user)

    response = client.post(URL, {"action": "apply"}, follow=True)

    assert "Clean-up done: 1 record removed." in response.content.decode()
    run = RetentionRun.objects.get()
    assert run.triggered_by == admin_user and run.removed["security_log"] == 1
    assert not SecurityEvent.objects.filter(occurred_at__lt=ago(999)).exists()

    response = client.post(URL, {"action": "apply"}, follow=True)
    assert "nothing was old enough to remove" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"action": "apply"})["Location"].startswith("/accounts/login/")
    assert not RetentionRun.objects.exists()


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_may_set_or_apply_retention(client, role):
    security_event(1000)
    client.force_login(UserFactory(roles=[role]))

    assert client.get(URL).status_code == 403
    assert client.post(URL, SETTINGS_POST).status_code == 403
    assert client.post(URL, {"action": "apply"}).status_code == 403
    assert not RetentionSettings.objects.exists()
    assert not RetentionRun.objects.exists()
    assert SecurityEvent.objects.filter(occurred_at__lt=ago(999)).exists()


def test_the_navigation_offers_the_page_to_admins_only(client, admin_user, staff_user):
    client.force_login(admin_user)
    assert URL in client.get("/").content.decode()
    client.force_login(staff_user)
    assert URL not in client.get("/").content.decode()


# --- the task -------------------------------------------------------------------------


def test_the_nightly_task_runs_the_service():
    """The task takes no arguments, applies the saved windows and returns what went."""
    security_event(800)
    RetentionSettings.objects.create(pk=1, api_token_expired_days=30)

    with time_machine.travel(NOW, tick=False):
        removed = tasks.retention_apply.apply().get()

    assert removed == {**EMPTY, "security_log": 1}
    run = RetentionRun.objects.get()
    assert run.triggered_by is None and run.windows["api_tokens"] == 30


def test_the_task_is_on_the_beat_schedule():
    from coalition.celery import app

    entry = app.conf.beat_schedule["retention-apply"]
    assert entry["task"] == tasks.retention_apply.name == "engagements.tasks.retention_apply"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
