"""Join the engagements and follow-ups migration lines (built in parallel)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0003_breakdown_within_total_triggers"),
        ("engagements", "0002_followup_roles"),
    ]
    operations = []
