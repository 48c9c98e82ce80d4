"""Receivers of the stakeholders domain events (and of beat start-up).

Imported by ``EngagementsConfig.ready``. The events are sent after the write commits;
``delay_on_commit`` still guards a sender that sends inside a transaction.
"""

from celery.signals import beat_init
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from stakeholders import events
from stakeholders.services.privacy import erasure_kind_register

from . import tasks

erasure_kind_register("attendances", _("Named attendances, now anonymous counts"))
erasure_kind_register("facilitations", _("Facilitator links"))
erasure_kind_register("followups", _("Follow-ups about them, retitled"))
erasure_kind_register("engagement_texts_redacted", _("Follow-ups, summaries and digests that named them, redacted"))


@receiver(events.tenure_ended, dispatch_uid="engagements.followups.tenure_ended")
def on_tenure_ended(sender, tenure, **kwargs):
    tasks.followups_turnover.delay_on_commit(tenure.pk)


@receiver(events.tenure_started, dispatch_uid="engagements.followups.tenure_started")
def on_tenure_started(sender, tenure, previous=None, **kwargs):
    # A new (or acting) holder: the person who left is the holder of ``previous``.
    if previous is not None:
        tasks.followups_turnover.delay_on_commit(previous.pk)


@receiver(events.user_deactivated, dispatch_uid="engagements.followups.user_deactivated")
def on_user_deactivated(sender, user, **kwargs):
    tasks.followups_staff_turnover.delay_on_commit(user.pk)


@receiver(events.stipend_payment_paid, dispatch_uid="engagements.followups.stipend_payment_paid")
def on_stipend_payment_paid(sender, payment, **kwargs):
    # Sent after the payment commits; a few queries, so it runs right here rather than on a worker.
    from .services.stipends import followups_tax_threshold

    followups_tax_threshold(payment_id=payment.pk)


@beat_init.connect(dispatch_uid="engagements.followups.beat_init")
def on_beat_init(sender=None, **kwargs):
    # Beat has just written the code's default time over the scan entry; put the admin's back.
    from .services.followups import reminder_schedule_apply

    reminder_schedule_apply()


@receiver(events.person_erasing, dispatch_uid="engagements.person_erasing")
def on_person_erasing(sender, person, needles, dry_run, **kwargs):
    """An erased person's attendance becomes part of the anonymous count, and follow-ups forget them.

    Runs inside the erasure's transaction. The engagement's ``attendance_total`` is not
    touched, so every total stays the same; only the name behind one of the heads goes.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Q

    from coalition.models import AllyStance
    from stakeholders.models import LiaisonProfile, Relationship, StipendAgreement, StipendPayment, Tenure
    from stakeholders.services.privacy import redact_text

    from .models import Attendance, DigestEmail, Engagement, FollowUp
    from .services.equity import equity_reach_refresh

    subjects = [
        (person._meta.model, [person.pk]),
        (Tenure, Tenure.objects.filter(person=person).values_list("pk", flat=True)),
        (LiaisonProfile, LiaisonProfile.objects.filter(person=person).values_list("pk", flat=True)),
        (StipendAgreement, StipendAgreement.objects.filter(liaison__person=person).values_list("pk", flat=True)),
        (StipendPayment, StipendPayment.objects.filter(agreement__liaison__person=person).values_list("pk", flat=True)),
        (
            Relationship,
            Relationship.objects.filter(Q(person=person) | Q(other_person=person)).values_list("pk", flat=True),
        ),
        (AllyStance, AllyStance.objects.filter(person=person).values_list("pk", flat=True)),
    ]
    about_them = Q(pk__in=[])
    for model, ids in subjects:
        about_them |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
    followups = FollowUp.objects.filter(about_them)
    attendances = Attendance.objects.filter(person=person)
    facilitations = Engagement.facilitator_people.through.objects.filter(person_id=person.pk)
    counts = {
        "attendances": attendances.count(),
        "facilitations": facilitations.count(),
        "followups": followups.count(),
    }
    if not dry_run:
        followups.update(title="Follow up about an erased person", notes="")
        attendances.delete()
        facilitations.delete()
        transaction.on_commit(equity_reach_refresh)
    counts["engagement_texts_redacted"] = (
        redact_text(FollowUp.objects.exclude(about_them), ["title", "notes"], needles, dry_run=dry_run)
        + redact_text(Engagement.objects.all(), ["summary", "summary_es"], needles, dry_run=dry_run)
        + redact_text(DigestEmail.objects.all(), ["subject", "body", "html"], needles, dry_run=dry_run)
    )
    return counts
