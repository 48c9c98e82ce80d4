"""Domain events of the stakeholders app, for the apps above it to hook into.

Each is sent after the write commits (``transaction.on_commit``), so a receiver
never sees a change that was rolled back. Receivers connect in their
``AppConfig.ready``; this app never imports them.
"""

from django.dispatch import Signal

#: A tenure ended (turnover). kwargs: ``tenure`` (with ``actual_end_date`` and ``end_reason`` set).
tenure_ended = Signal()

#: Someone started holding a position. kwargs: ``tenure``, ``previous`` (the tenure it replaced, or None).
tenure_started = Signal()

#: A city user was deactivated (staff turnover). kwargs: ``user``.
user_deactivated = Signal()

#: A stipend payment was marked paid. kwargs: ``payment`` (with ``paid_on`` set); the
#: reminders use it to tell admins when a liaison's year-to-date total crosses the
#: tax-reporting threshold.
stipend_payment_paid = Signal()

#: A person is being erased (issue 16). Unlike the events above, it is sent *inside*
#: the erasure's transaction, so that every app's part of the erasure commits or rolls
#: back together. kwargs: ``person`` (still with their names), ``needles`` (the names,
#: email and phone to scrub from free text), ``dry_run`` (True: change nothing, only
#: count). A receiver returns ``{kind: count}`` of the records it removed or anonymized
#: (or would); the kinds' labels are registered with
#: ``stakeholders.services.privacy.erasure_kind_register``.
person_erasing = Signal()
