"""Follow-ups: one task for one user, created by a reminder rule or by hand.

Each rule and subject yield at most one follow-up per user per cycle; the
database enforces it with a unique key, so scans can simply insert and ignore
conflicts (see ``engagements.reminders``).
"""

from __future__ import annotations

import datetime
import uuid

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import TimeStampedModel


class FollowUpQuerySet(models.QuerySet):
    def actionable(self, today: datetime.date) -> FollowUpQuerySet:
        """Open follow-ups, and snoozed ones whose snooze has run out by ``today``."""
        return self.filter(Q(status=FollowUp.Status.OPEN) | Q(status=FollowUp.Status.SNOOZED, snoozed_until__lte=today))


@pghistory.track(
    pghistory.UpdateEvent("reassigned", row=pghistory.Old, condition=pghistory.AnyChange("user")),
    pghistory.UpdateEvent("status_changed", condition=pghistory.AnyChange("status")),
    fields=["user", "status", "snoozed_until"],
)
class FollowUp(TimeStampedModel):
    """A task for one user: what to do, why, about which record, and by when."""

    class Reason(models.TextChoices):
        ELECTION_APPROACHING = "election_approaching", _("Election approaching")
        TERM_ENDING = "term_ending", _("Term ending")
        TURNOVER = "turnover", _("Turnover")
        STAFF_TURNOVER = "staff_turnover", _("Staff turnover")
        COMMITMENT_DUE = "commitment_due", _("Commitment due")
        AGREEMENT_EXPIRING = "agreement_expiring", _("Agreement expiring")
        STIPEND_PAYMENT_DUE = "stipend_payment_due", _("Stipend payment due")
        NO_CONTACT = "no_contact", _("No contact")
        TAX_THRESHOLD = "tax_threshold", _("Tax reporting threshold")
        BOARD_VACANCY = "board_vacancy", _("Board vacancy matches a fellow")
        APPLICATION_DEADLINE = "application_deadline", _("Application deadline near")
        FELLOW_TERM_ENDING = "fellow_term_ending", _("Fellow's board term ending")
        MANUAL = "manual", _("Added by hand")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")
        SNOOZED = "snoozed", _("Snoozed")

    class Source(models.TextChoices):
        RULE = "rule", _("Reminder rule")
        USER = "user", _("Added by hand")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups", verbose_name=_("for")
    )
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    source = models.CharField(_("created by"), max_length=10, choices=Source.choices, default=Source.RULE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Which occurrence of the rule this is ("180d:2026-11-03", "tenure:42", "manual:<uuid>").
    cycle = models.CharField(_("cycle"), max_length=80)
    #: The digest email that covers this follow-up, set when the email is composed (each
    #: follow-up is put in at most one email); ``emailed_at`` is set once that email is sent.
    digest_email = models.ForeignKey(
        "DigestEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason", "content_type", "object_id", "cycle"],
                name="followup_one_per_rule_subject_cycle",
            ),
            models.CheckConstraint(
                condition=~Q(status="snoozed") | Q(snoozed_until__isnull=False),
                name="followup_snoozed_has_date",
                violation_error_message=_("Say until when the follow-up is snoozed."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status", "due_on"], name="followup_inbox"),
            # The home page's "open follow-ups, soonest first": walked in order, stops after ten.
            models.Index(
                fields=["user", "due_on", "id"],
                condition=Q(status__in=["open", "snoozed"]),
                name="followup_actionable_due",
            ),
            # The inbox's last rank (done and dismissed), soonest due first, walked in order.
            models.Index(
                fields=["user", "due_on", "id"],
                condition=~Q(status__in=["open", "snoozed"]),
                name="followup_closed_due",
            ),
            models.Index(fields=["content_type", "object_id"], name="followup_subject"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagements:followup_list") + f"#followup-{self.pk}"

    @property
    def subject_url(self) -> str:
        """A link to the record the follow-up is about, when that record has a page."""
        subject = self.subject
        if not hasattr(subject, "get_absolute_url"):
            subject = getattr(subject, "person", None)  # a tenure: the page of the person who holds it
        get_url = getattr(subject, "get_absolute_url", None)
        if get_url is None:
            return ""
        try:
            return get_url()
        except NoReverseMatch:  # the page belongs to an app not installed in this build
            return ""


def default_election_leads() -> list[int]:
    return [180, 90, 30]


class ReminderSettings(TimeStampedModel):
    """Lead times of the reminder rules and when the daily scan runs. One row (pk 1)."""

    election_lead_days = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(730)]),
        verbose_name=_("election lead times (days)"),
        default=default_election_leads,
        size=6,
    )
    term_end_lead_days = models.PositiveSmallIntegerField(
        _("term end lead time (days)"), default=120, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    commitment_due_days = models.PositiveSmallIntegerField(
        _("commitment due lead time (days)"), default=7, validators=[MinValueValidator(0), MaxValueValidator(365)]
    )
    agreement_expiry_days = models.PositiveSmallIntegerField(
        _("agreement expiry lead time (days)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    application_deadline_days = models.PositiveSmallIntegerField(
        _("application deadline lead time (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Fellows who have not applied yet are followed up this many days before a board's deadline."),
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("no contact after (days)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    turnover_lookback_days = models.PositiveSmallIntegerField(
        _("turnover look-back (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The daily scan catches tenure changes this many days old that the prompt task missed."),
    )
    scan_time = models.TimeField(
        _("daily scan time"), default=datetime.time(6, 0), help_text=_("In the city's time zone.")
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="reminder_settings_single_row")]

    def __str__(self) -> str:
        return str(_("Reminder settings"))

    def get_absolute_url(self) -> str:
        return reverse("engagements:reminder_settings")

    @classmethod
    def load(cls) -> ReminderSettings:
        """The one settings row, created with the defaults on first use."""
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class DigestPreference(TimeStampedModel):
    """Whether a user gets the daily email digest, and when they last got one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference")
    email_digest = models.BooleanField(_("send me a daily email digest"), default=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        ordering = ["user"]

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.email_digest else 'off'}"


class DigestEmail(TimeStampedModel):
    """One digest email in the outbox: composed once, sent until it has gone, exactly once.

    The email is rendered when its follow-ups are claimed and stored here, so every attempt
    sends the same message with the same ``Message-ID``. A sender holds a lease on the row
    while it sends; a sender that dies leaves the lease to run out, and the retry task sends
    the row again (see ``engagements.services.followups``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_emails", verbose_name=_("for")
    )
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4, editable=False)
    #: Derived from ``token`` when composed; every attempt sends this same header.
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"))
    #: A sender may send the row until then; after it, another sender may take the row over.
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("digest email")
        verbose_name_plural = _("digest emails")
        indexes = [
            # The retry task's scan: the few rows not sent yet, oldest first.
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="digestemail_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Handover(TimeStampedModel):
    """A record that a departed user's work moved to a successor, and how much of it."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_from", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_to", verbose_name=_("to")
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    #: {step name: number of records moved}
    counts = models.JSONField(_("moved"), default=dict)
    #: {step name: [ids moved]}, so that the history says exactly which records moved.
    moved_ids = models.JSONField(_("moved records"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_user=models.F("to_user")),
                name="handover_to_someone_else",
                violation_error_message=_("Choose a successor other than the departed user."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user}"

    def get_absolute_url(self) -> str:
        return reverse("engagements:handover")

    @property
    def total(self) -> int:
        return sum(self.counts.values())
