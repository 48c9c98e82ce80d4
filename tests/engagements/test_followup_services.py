"""Follow-up services: manual follow-ups, status changes, the digest and handover."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from engagements.models import DigestPreference, FollowUp, Handover
from engagements.models.followups import DigestEmail
from engagements.services import followups as services
from stakeholders.models import Person, Relationship
from tests.engagements.followup_factories import FollowUpFactory, PersonFactory, RelationshipFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 15, 0, tzinfo=datetime.UTC))


def test_a_follow_up_can_be_created_by_hand_about_a_person(staff_user):
    """A manual follow-up belongs to its author, points at the person and can be repeated."""
    person = PersonFactory()
    first = services.followup_create(actor=staff_user, subject=person, title="Call back", due_on=TODAY)
    second = services.followup_create(actor=staff_user, subject=person, title="Call again", due_on=TODAY)
    assert first.subject == person and first.user == staff_user
    assert (first.source, first.reason, first.created_by) == ("user", "manual", staff_user)
    assert second.pk != first.pk


def test_a_manual_follow_up_cannot_be_due_in_the_past(staff_user):
    """A due date before today is refused with a message on the field."""
    with pytest.raises(ValidationError) as error:
        services.followup_create(
            actor=staff_user, subject=PersonFactory(), title="Late", due_on=TODAY - datetime.timedelta(days=1)
        )
    assert "due_on" in error.value.message_dict


def test_done_dismiss_and_snooze_change_the_status():
    """Done and dismiss close a follow-up; snooze hides it until a later day."""
    done, dismissed, snoozed = FollowUpFactory(), FollowUpFactory(), FollowUpFactory()
    services.followup_done(followup=done)
    services.followup_dismiss(followup=dismissed)
    services.followup_snooze(followup=snoozed, until=TODAY + datetime.timedelta(days=7))
    assert FollowUp.objects.get(pk=done.pk).status == "done"
    assert FollowUp.objects.get(pk=dismissed.pk).status == "dismissed"
    assert FollowUp.objects.actionable(TODAY).count() == 0
    assert FollowUp.objects.actionable(TODAY + datetime.timedelta(days=7)).get() == snoozed


def test_snoozing_into_the_past_is_refused():
    """Snooze needs a day after today."""
    with pytest.raises(ValidationError):
        services.followup_snooze(followup=FollowUpFactory(), until=TODAY)


def test_the_digest_is_sent_once_even_when_sent_twice(staff_user):
    """Two sends in a row email each follow-up once, in HTML and plain text."""
    FollowUpFactory(user=staff_user, title="Meet the new director")
    assert services.followups_send_digest(user=staff_user) == 1
    assert services.followups_send_digest(user=staff_user) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Meet the new director" in message.body
    assert "Meet the new director" in message.alternatives[0][0]
    assert FollowUp.objects.get().emailed_at is not None


def test_the_digest_respects_the_opt_out(staff_user):
    """A user who turned the digest off gets no email."""
    services.digest_preference_set(user=staff_user, email_digest=False)
    FollowUpFactory(user=staff_user)
    assert services.followups_send_digests() == 0
    assert mail.outbox == []


def test_a_composed_digest_whose_sender_died_is_sent_once_its_lease_runs_out(staff_user):
    """A digest composed by a sender that died before sending is not composed again; the retry
    sends it after the lease, once, with its own Message-ID."""
    # given a sender that composed a digest and died
    FollowUpFactory(user=staff_user, title="Call the director")
    now = timezone.now()
    email = services.digest_email_compose(user=staff_user, now=now)
    # when the next runs come, during and after the lease
    assert services.followups_send_digest(user=staff_user, now=now) == 0
    assert services.digest_emails_retry(now=now + datetime.timedelta(seconds=299)) == 0
    assert mail.outbox == []
    later = now + datetime.timedelta(seconds=301)
    assert services.followups_send_digests(now=later) == 1
    assert services.followups_send_digests(now=later + datetime.timedelta(hours=1)) == 0
    # then it went out once, as composed
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == email.message_id == f"<digest.{email.token.hex}@localhost>"
    assert "Call the director" in message.body
    email.refresh_from_db()
    assert (email.attempts, email.sent_at is not None) == (2, True)
    assert FollowUp.objects.get().emailed_at == email.sent_at


def test_two_leases_on_one_digest_cannot_both_be_held(staff_user):
    """Of two senders taking over the same expired digest, only the first gets the lease."""
    FollowUpFactory(user=staff_user)
    now = timezone.now()
    email = services.digest_email_compose(user=staff_user, now=now)
    assert services._lease_take(email.pk, now) is None  # the composer still holds it
    later = now + datetime.timedelta(minutes=6)
    assert services._lease_take(email.pk, later) is not None
    assert services._lease_take(email.pk, later) is None
    assert services._lease_take(email.pk, later + datetime.timedelta(minutes=6)) is not None


def test_a_sent_digest_is_never_sent_again(staff_user):
    """Once marked sent, no retry and no later run sends a digest or its follow-ups again."""
    FollowUpFactory(user=staff_user)
    assert services.followups_send_digest(user=staff_user) == 1
    email = DigestEmail.objects.get()
    DigestEmail.objects.filter(pk=email.pk).update(lease_expires_at=None)  # even with no lease
    far = timezone.now() + datetime.timedelta(days=2)
    assert services._lease_take(email.pk, far) is None
    assert services.digest_emails_retry(now=far) == 0
    assert services.followups_send_digests(now=far) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_keeps_the_error_and_is_retried(staff_user, settings):
    """A mail server error leaves the digest unsent with the error noted; the retry sends it."""
    FollowUpFactory(user=staff_user)
    settings.EMAIL_BACKEND = "tests.engagements.slow_email_backend.RefusingEmailBackend"
    now = timezone.now()
    assert services.followups_send_digests(now=now) == 0
    email = DigestEmail.objects.get()
    assert "refused" in email.last_error and email.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.followups_send_digests(now=now + datetime.timedelta(minutes=6)) == 1
    email.refresh_from_db()
    assert (email.last_error, email.attempts, len(mail.outbox)) == ("", 2, 1)


def test_digests_go_only_to_users_with_something_new(staff_user, coordinator_user):
    """Only users with unsent open follow-ups get a digest; their preference row records the time."""
    FollowUpFactory(user=staff_user)
    FollowUpFactory(user=coordinator_user, status="done")
    assert services.followups_send_digests() == 1
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert DigestPreference.objects.get(user=staff_user).last_sent_at is not None


def test_handover_moves_open_follow_ups_and_relationships(admin_user):
    """Handover moves open work, leaves closed work, records counts and ids, and closes the admin's task."""
    departed, successor = UserFactory(is_active=False), UserFactory()
    open_one = FollowUpFactory(user=departed)
    closed = FollowUpFactory(user=departed, status="done")
    relationship = RelationshipFactory(owner=departed)
    services.followups_staff_turnover(user_ids=[departed.pk])
    ask = FollowUp.objects.get(reason="staff_turnover")
    assert ask.user == admin_user

    record = services.handover_run(from_user=departed, to_user=successor, by=admin_user)

    assert FollowUp.objects.get(pk=open_one.pk).user == successor
    assert FollowUp.objects.get(pk=closed.pk).user == departed
    assert Relationship.objects.get(pk=relationship.pk).owner == successor
    assert record.counts == {"followups": 1, "relationships": 1, "commitments": 0, "stances": 0, "cohorts": 0}
    assert record.moved_ids == {
        "followups": [open_one.pk],
        "relationships": [relationship.pk],
        "commitments": [],
        "stances": [],
        "cohorts": [],
    }
    assert FollowUp.objects.get(pk=ask.pk).status == "done"
    assert Handover.objects.count() == 1
    assert FollowUp.pgh_event_model.objects.filter(pgh_obj_id=open_one.pk, pgh_label="reassigned").exists()


def test_a_handed_over_follow_up_goes_into_the_successors_next_digest(admin_user):
    """A follow-up already emailed to the departed user is emailed to the successor too, once."""
    departed, successor = UserFactory(), UserFactory()
    FollowUpFactory(user=departed, title="Renew the lease")
    assert services.followups_send_digest(user=departed) == 1
    services.handover_run(from_user=departed, to_user=successor, by=admin_user)
    assert services.followups_send_digests() == 1
    assert services.followups_send_digests() == 0
    assert [message.to for message in mail.outbox] == [[departed.email], [successor.email]]
    assert "Renew the lease" in mail.outbox[1].body


def test_handover_dismisses_what_the_successor_already_has(admin_user):
    """When both users have the same rule follow-up, the departed user's copy is dismissed, not duplicated."""
    departed, successor = UserFactory(is_active=False), UserFactory()
    person = PersonFactory()
    same = {
        "reason": "turnover",
        "content_type": ContentType.objects.get_for_model(Person),
        "object_id": person.pk,
        "cycle": "tenure:1",
    }
    theirs = FollowUpFactory(user=departed, **same)
    FollowUpFactory(user=successor, **same)
    services.handover_run(from_user=departed, to_user=successor, by=admin_user)
    assert FollowUp.objects.get(pk=theirs.pk).status == "dismissed"
    assert FollowUp.objects.filter(user=successor).count() == 1


def test_handover_to_the_same_or_an_inactive_user_is_refused(admin_user):
    """The successor must be someone else, and active."""
    departed = UserFactory(is_active=False)
    with pytest.raises(ValidationError):
        services.handover_run(from_user=departed, to_user=departed, by=admin_user)
    with pytest.raises(ValidationError):
        services.handover_run(from_user=departed, to_user=UserFactory(is_active=False), by=admin_user)
