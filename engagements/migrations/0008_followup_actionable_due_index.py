"""An index for the home page's open follow-ups (issue 9).

Home shows a user's ten open (or woken snoozed) follow-ups, soonest due first. Without
this index PostgreSQL fetches every open and snoozed follow-up of the user and sorts
them (~3 ms for a user with 3,000); with it, it walks the index in order and stops
after ten rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("engagements", "0007_merge_indexes_and_payment_links")]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status__in", ["open", "snoozed"])),
                fields=["user", "due_on", "id"],
                name="followup_actionable_due",
            ),
        ),
    ]
