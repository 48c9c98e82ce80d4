"""Emails are written in their recipient's language, whatever language the sender reads."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from engagements import reminders
from engagements.models import FollowUp
from engagements.services.followups import followups_send_digest
from stakeholders.models import User
from stakeholders.services.accounts import user_create
from tests.engagements.followup_factories import FollowUpFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_invitation_is_in_the_new_users_language(mailoutbox, django_capture_on_commit_callbacks):
    """A user created with Spanish gets the one-time link email in Spanish, one with none in English."""
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        user_create(username="ana", email="ana@example.org", language="es")
        user_create(username="bob", email="bob@example.org")
    spanish, english = mailoutbox
    assert "contraseña" in spanish.body and "Choose your password" not in spanish.body
    assert "Choose your password" in english.body


def test_the_digest_is_in_the_readers_language(mailoutbox):
    """The daily digest for a Spanish-reading user is in Spanish, subject and body."""
    user = UserFactory(roles=["Staff"], language="es", email="rosa@example.org")
    FollowUpFactory(user=user, due_on=timezone.localdate(), reason=FollowUp.Reason.COMMITMENT_DUE)
    with translation.override("en"):  # the worker's own language does not matter
        assert followups_send_digest(user=user) == 1
    (message,) = mailoutbox
    assert message.subject == "Coalition: 1 seguimiento nuevo"
    assert "Hola" in message.body and "Vence:" in message.body
    html = message.alternatives[0][0]
    assert 'lang="es"' in html


def test_a_password_reset_email_follows_the_accounts_language(client, mailoutbox):
    """Whoever asks from an English browser, a Spanish-reading user gets the reset email in Spanish."""
    UserFactory(roles=["Staff"], language="es", email="maria@example.org")
    client.post(reverse("password_reset"), {"email": "maria@example.org"}, headers={"accept-language": "en"})
    (message,) = mailoutbox
    assert "contraseña" in message.body


def test_reminder_titles_are_written_in_each_recipients_language():
    """One rule row gives a Spanish title to a Spanish reader and an English one to a colleague."""
    spanish_reader = UserFactory(roles=["Admin"], language="es")
    english_reader = UserFactory(roles=["Admin"])
    title = reminders.Title(
        "%(name)s has left: hand over their follow-ups and relationships to a successor.", {"name": "Pat Doe"}
    )
    due = timezone.localdate() + datetime.timedelta(days=7)
    rows = [
        FollowUp(
            user=user,
            reason=FollowUp.Reason.STAFF_TURNOVER,
            content_type=ContentType.objects.get_for_model(User),
            object_id=english_reader.pk,
            cycle="handover:0",
            title=title,
            due_on=due,
        )
        for user in (spanish_reader, english_reader)
    ]
    with translation.override("en"):
        reminders.insert_followups(rows)
    titles = dict(FollowUp.objects.values_list("user_id", "title"))
    assert titles[english_reader.pk].startswith("Pat Doe has left")
    assert titles[spanish_reader.pk].startswith("Pat Doe") and "has left" not in titles[spanish_reader.pk]
