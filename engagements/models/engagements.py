"""Engagements: what happened (the session, who came, what was heard) and what was promised.

Commitments keep their own history of status changes (``CommitmentStatusChange``)
rather than a pghistory trigger table, because each change carries who made it and,
for a decline, why; the public "You said, we did" page and the commitment page show it.
"""

from __future__ import annotations

import secrets

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.models import Coalition
from stakeholders.models import (
    Department,
    Language,
    Neighborhood,
    Organization,
    Person,
    PersonDemographics,
    TimeStampedModel,
)

# A category's counts may not add up to more than the engagement's total (logged engagements
# only; drafts may be half-typed). A check constraint cannot sum rows, so constraint triggers
# check it at commit, after the quick log has written the total and the rows in either order.
_BREAKDOWN_WITHIN_TOTAL = """
    IF EXISTS (
        SELECT 1
        FROM engagements_engagement e
        JOIN engagements_attendancebreakdown b ON b.engagement_id = e.id
        JOIN engagements_breakdownoption o ON o.id = b.option_id
        WHERE e.id = {engagement_id} AND e.status = 'logged'
        GROUP BY e.id, e.attendance_total, o.category_id
        HAVING SUM(b.count) > e.attendance_total
    ) THEN
        RAISE EXCEPTION 'breakdown counts of engagement % exceed its attendance total', {engagement_id}
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
"""


def new_public_token() -> str:
    """An unguessable token for a URL (about 190 bits)."""
    return secrets.token_urlsafe(24)


class Theme(TimeStampedModel):
    """A theme that input items are tagged with; admins keep the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BreakdownCategory(TimeStampedModel):
    """A way attendance is counted in parts: language, neighborhood, age band, or one an admin adds."""

    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Language")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        AGE_BAND = "age_band", _("Age band")
        OTHER = "other", _("Other demographic")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("breakdown categories")

    def __str__(self) -> str:
        return self.name


class BreakdownOption(TimeStampedModel):
    """One value of a breakdown category ("Spanish", "Eastside", "18–24")."""

    category = models.ForeignKey(BreakdownCategory, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=100)
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    neighborhood = models.ForeignKey(Neighborhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The self-identified age bands (PersonDemographics.AgeBand values) this option covers,
    # so that named attendees count under the same options as the anonymous counts.
    age_bands = ArrayField(
        models.CharField(max_length=20, choices=PersonDemographics.AgeBand.choices),
        verbose_name=_("age bands covered"),
        default=list,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["category__position", "category__name", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["category", "label"], name="breakdown_option_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.label}"


class Engagement(TimeStampedModel):
    """A listening session, hearing, meeting or other event where the city met the community."""

    class Kind(models.TextChoices):
        LISTENING_SESSION = "listening_session", _("Listening session")
        PUBLIC_HEARING = "public_hearing", _("Public hearing")
        COMMUNITY_MEETING = "community_meeting", _("Community meeting")
        COMMUNITY_LED = "community_led", _("Community-led event")
        ONE_ON_ONE = "one_on_one", _("One-on-one")
        WORKSHOP = "workshop", _("Workshop")
        BOARD_MEETING = "board_meeting", _("Board or commission meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LOGGED = "logged", _("Logged")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.LISTENING_SESSION)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("start"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    neighborhood = models.ForeignKey(
        Neighborhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        verbose_name=_("neighborhood"),
    )
    location = models.CharField(_("location"), max_length=250, blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="engagements", verbose_name=_("languages used")
    )
    interpretation_languages = models.ManyToManyField(
        Language, blank=True, related_name="interpreted_engagements", verbose_name=_("interpretation provided")
    )
    accessibility = models.TextField(_("accessibility accommodations"), blank=True)
    host_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="hosted_engagements", verbose_name=_("host organizations")
    )
    facilitator_people = models.ManyToManyField(
        Person, blank=True, related_name="facilitated_engagements", verbose_name=_("facilitating liaisons")
    )
    facilitator_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_engagements",
        verbose_name=_("facilitating staff"),
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="engagements", verbose_name=_("departments")
    )
    coalition = models.ForeignKey(
        Coalition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        verbose_name=_("coalition"),
    )
    summary = models.TextField(_("summary"), blank=True)
    # The public "You said, we did" page shows this instead of the summary to readers
    # who chose Spanish; without it they see the summary, marked as English.
    summary_es = models.TextField(_("summary in Spanish"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LOGGED)
    attendance_total = models.PositiveIntegerField(_("how many came"), default=0)
    attendees = models.ManyToManyField(
        Person, through="Attendance", blank=True, related_name="attended_engagements", verbose_name=_("attendees")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logged_engagements",
        verbose_name=_("logged by"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_token = models.CharField(_("public token"), max_length=64, unique=True, null=True, blank=True)
    # The idempotency key of the quick-log form fill that created this engagement: a
    # double tap, or a resubmission after a lost network or an expired session, sends
    # the same key again and gets this engagement back instead of a second one.
    submission_key = models.UUIDField(_("submission key"), unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = [F("starts_at").desc(nulls_last=True), "-pk"]
        permissions = [
            ("view_all_engagements", _("Can see every logged engagement")),
            ("publish_engagement", _("Can publish an engagement on a public page")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(starts_at__isnull=False) & ~Q(title="")),
                name="engagement_logged_has_title_and_start",
                violation_error_message=_("A logged engagement needs a title and a start."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="engagement_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | (Q(public_token__isnull=False) & Q(status="logged")),
                name="engagement_published_has_token",
                violation_error_message=_("Only a logged engagement with a public link can be published."),
            ),
        ]
        indexes = [models.Index(fields=["status", "created_by"], name="engagement_status_creator")]
        triggers = [
            pgtrigger.Trigger(
                name="engagement_breakdowns_within_total",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                timing=pgtrigger.Deferred,
                condition=pgtrigger.AnyChange("attendance_total", "status"),
                func=_BREAKDOWN_WITHIN_TOTAL.format(engagement_id="NEW.id"),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Untitled draft"))

    def get_absolute_url(self) -> str:
        if self.status == self.Status.DRAFT:
            return reverse("engagements:resume", args=[self.pk])
        return reverse("engagements:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("engagements:public", args=[self.public_token])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AttendanceBreakdown(models.Model):
    """How many of the attendees fall under one option of a category (e.g. 12 spoke Spanish)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="breakdowns")
    option = models.ForeignKey(BreakdownOption, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["option__category__position", "option__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "option"], name="breakdown_unique_option"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="breakdown_within_total",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                timing=pgtrigger.Deferred,
                func=_BREAKDOWN_WITHIN_TOTAL.format(engagement_id="NEW.engagement_id"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.count}"


class Attendance(models.Model):
    """A named attendee of an engagement."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "person"], name="attendance_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.engagement}"


class InputItem(TimeStampedModel):
    """Something we heard: the text, its themes and how many raised it."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="input_items")
    text = models.TextField(_("what we heard"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="input_items", verbose_name=_("themes"))
    count_raised = models.PositiveIntegerField(_("how many raised it"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["engagement", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count_raised__gte=1),
                name="input_item_raised_at_least_once",
                violation_error_message=_("At least one person raised it."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Commitment(TimeStampedModel):
    """An action the city or coalition takes in response to what it heard."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", pgettext_lazy("commitment status", "Done")
        DECLINED = "declined", _("Declined")

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="commitments")
    description = models.TextField(_("what we will do"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_commitments",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("department"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    declined_reason = models.TextField(_("why it was declined"), blank=True)
    input_items = models.ManyToManyField(
        InputItem, blank=True, related_name="commitments", verbose_name=_("input it answers")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = [F("due_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""),
                name="commitment_declined_has_reason",
                violation_error_message=_("Say why the commitment was declined."),
            ),
        ]
        indexes = [
            # Home's "your commitments due this month": an owner's open ones, soonest first.
            models.Index(
                fields=["owner", "due_on", "id"],
                condition=~Q(status__in=["done", "declined"]),
                name="commitment_owner_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("engagements:commitment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.DONE, self.Status.DECLINED)


class CommitmentStatusChange(models.Model):
    """One change of a commitment's status: from what, to what, by whom, when and (if declined) why."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Commitment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Commitment.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class LoopBack(TimeStampedModel):
    """When and how the community was told what happened with a commitment."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        FLYER = "flyer", _("Flyer")
        SOCIAL_MEDIA = "social_media", _("Social media")
        PHONE = "phone", _("Phone")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="loop_backs")
    date = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.date}"


class CalendarFeed(TimeStampedModel):
    """A user's secret iCal feed address. Revoking replaces the token, so the old address stops working."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_public_token)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("engagements:ical_feed", args=[self.token])
