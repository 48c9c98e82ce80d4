"""Indexes for the follow-up inbox and home's commitments (issue 9).

The inbox reads each rank (open and woken snoozed, snoozed, closed) in due order and
stops after a page: ``followup_actionable_due`` and ``followup_inbox`` serve the first
two, ``followup_closed_due`` the last. Home's "your commitments due this month" walks
``commitment_owner_open_due`` for the user instead of every commitment due by then.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("engagements", "0008_followup_actionable_due_index")]

    operations = [
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("status__in", ["done", "declined"]), _negated=True),
                fields=["owner", "due_on", "id"],
                name="commitment_owner_open_due",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "snoozed"]), _negated=True),
                fields=["user", "due_on", "id"],
                name="followup_closed_due",
            ),
        ),
    ]
