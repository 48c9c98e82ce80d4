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
