"""Receivers of the stakeholders domain events (and of beat start-up).

Imported by ``EngagementsConfig.ready``. The events are sent after the write commits;
``delay_on_commit`` still guards a sender that sends inside a transaction.
"""

from celery.signals import beat_init
from django.dispatch import receiver

from stakeholders import events

from . import tasks


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
