"""The digest outbox: each digest email is a row, composed once and sent until it has gone
(issue 16, reliability). Follow-ups point at the email that covers them."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0015_engagement_reach"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("token", models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="token")),
                ("message_id", models.CharField(max_length=200, unique=True, verbose_name="Message-ID")),
                ("to", models.EmailField(max_length=254, verbose_name="to")),
                ("subject", models.CharField(max_length=300, verbose_name="subject")),
                ("body", models.TextField(verbose_name="plain text")),
                ("html", models.TextField(verbose_name="HTML")),
                ("lease_expires_at", models.DateTimeField(blank=True, null=True, verbose_name="lease expires")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="digest_emails",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="for",
                    ),
                ),
            ],
            options={
                "verbose_name": "digest email",
                "verbose_name_plural": "digest emails",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="followup",
            name="digest_email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="followups",
                to="engagements.digestemail",
            ),
        ),
        migrations.AddIndex(
            model_name="digestemail",
            index=models.Index(condition=models.Q(("sent_at__isnull", True)), fields=["id"], name="digestemail_unsent"),
        ),
    ]
