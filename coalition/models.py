"""The coalition domain. Imports only ``stakeholders``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stakeholders.models import Department, Organization, Person, TimeStampedModel


class Coalition(TimeStampedModel):
    """Partner organizations working with the city on a shared goal."""

    class Status(models.TextChoices):
        # A coalition ("coalición") is feminine in Spanish; the context lets its statuses agree.
        FORMING = "forming", pgettext_lazy("coalition status", "Forming")
        ACTIVE = "active", pgettext_lazy("coalition status", "Active")
        PAUSED = "paused", pgettext_lazy("coalition status", "Paused")
        CLOSED = "closed", pgettext_lazy("coalition status", "Closed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    mission_what = models.TextField(_("what it aims to achieve"), blank=True)
    mission_why = models.TextField(_("why it matters"), blank=True)
    mission_measure = models.TextField(_("how success is measured"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_coalitions", verbose_name=_("coordinators")
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_all_coalitions", _("Can view every coalition")),
            ("manage_all_coalitions", _("Can manage every coalition")),
            ("coordinate_coalition", _("Can manage the coalitions they coordinate")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalition:detail", args=[self.pk])

    @property
    def active_memberships(self):
        return self.memberships.filter(left_on__isnull=True)


class Membership(TimeStampedModel):
    """An organization or a person taking part in a coalition, in a role."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        STEERING = "steering", _("Steering committee")
        MEMBER = "member", _("Member")
        FUNDER = "funder", _("Funder")
        ALLY = "ally", _("Ally")

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coalition_memberships",
        verbose_name=_("organization"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coalition_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["coalition", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(person__isnull=True))
                | (Q(organization__isnull=True) & Q(person__isnull=False)),
                name="membership_exactly_one_member",
                violation_error_message=_("Choose either an organization or a person, not both."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A member cannot leave before joining."),
            ),
            models.UniqueConstraint(
                fields=["coalition", "organization"],
                condition=Q(left_on__isnull=True, organization__isnull=False),
                name="membership_one_active_per_organization",
                violation_error_message=_("This organization is already a member."),
            ),
            models.UniqueConstraint(
                fields=["coalition", "person"],
                condition=Q(left_on__isnull=True, person__isnull=False),
                name="membership_one_active_per_person",
                violation_error_message=_("This person is already a member."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()})"

    @property
    def member(self):
        return self.organization or self.person

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def get_absolute_url(self) -> str:
        return reverse("coalition:members", args=[self.coalition_id])


class MemberResource(TimeStampedModel):
    """Something a member brings to the coalition."""

    class Kind(models.TextChoices):
        MEETING_SPACE = "meeting_space", _("Meeting space")
        FUNDING = "funding", _("Funding")
        LANGUAGE = "language", _("Translation and interpretation")
        DATA = "data", _("Data")
        VOLUNTEERS = "volunteers", _("Volunteers")
        OUTREACH = "outreach", _("Outreach network")
        EXPERTISE = "expertise", _("Expertise")
        OTHER = "other", _("Other")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.membership.member}"

    def get_absolute_url(self) -> str:
        return reverse("coalition:members", args=[self.membership.coalition_id])


class Goal(TimeStampedModel):
    """A measurable goal: from a baseline to a target by a due date."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("metric"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        ordering = ["coalition", F("due_date").asc(nulls_last=True), "metric"]

    def __str__(self) -> str:
        return self.metric

    def get_absolute_url(self) -> str:
        return reverse("coalition:goal_detail", args=[self.coalition_id, self.pk])

    @property
    def latest_progress(self) -> GoalProgress | None:
        """The most recent value (uses prefetched progress when there is some)."""
        entries = list(self.progress.all())
        return max(entries, key=lambda entry: entry.recorded_on) if entries else None


class GoalProgress(TimeStampedModel):
    """The value of a goal's metric on a date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal", "recorded_on"]
        verbose_name_plural = _("goal progress")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "recorded_on"],
                name="goal_progress_one_per_day",
                violation_error_message=_("This goal already has a value for that date. Change that one instead."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} ({self.recorded_on})"


class WorkingGroup(TimeStampedModel):
    """A cross-departmental group inside a coalition."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="coalition_working_groups", verbose_name=_("departments")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="coalition_working_groups", verbose_name=_("people")
    )

    class Meta:
        ordering = ["coalition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="working_group_name_unique_in_coalition")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalition:working_groups", args=[self.coalition_id])


AGREEMENT_DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "txt", "png", "jpg", "jpeg"]
AGREEMENT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_document_size(document) -> None:
    if document.size > AGREEMENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is larger than %(limit)s MB. Upload a smaller file."),
            code="too_large",
            params={"limit": AGREEMENT_DOCUMENT_MAX_BYTES // (1024 * 1024)},
        )


def agreement_document_path(agreement: Agreement, filename: str) -> str:
    return f"coalitions/{agreement.coalition_id}/agreements/{filename}"


class Agreement(TimeStampedModel):
    """An MOU or a data-sharing agreement between the coalition's parties."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        DATA_SHARING = "data_sharing", _("Data-sharing agreement")

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MOU)
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(
        Organization, blank=True, related_name="coalition_agreements", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    data_categories = models.TextField(_("data categories covered"), blank=True, help_text=_("One category per line."))
    document = models.FileField(
        _("document"),
        upload_to=agreement_document_path,
        blank=True,
        validators=[FileExtensionValidator(AGREEMENT_DOCUMENT_EXTENSIONS), validate_document_size],
        help_text=_("PDF, Word, OpenDocument, text or image, up to 10 MB."),
    )

    class Meta:
        ordering = ["coalition", F("signed_on").desc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(signed_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="agreement_expires_after_signed",
                violation_error_message=_("An agreement cannot expire before it is signed."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coalition:agreements", args=[self.coalition_id])

    @property
    def data_category_list(self) -> list[str]:
        return [line.strip() for line in self.data_categories.splitlines() if line.strip()]


class Stance(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    ALLY = "ally", _("Ally")
    NEUTRAL = "neutral", _("Neutral")
    SKEPTIC = "skeptic", _("Skeptic")
    OPPONENT = "opponent", _("Opponent")


class Influence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class AllyStance(TimeStampedModel):
    """How supportive and influential a person is for one coalition, and who owns the relationship."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="stances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coalition_stances")
    stance = models.CharField(_("stance"), max_length=20, choices=Stance.choices, default=Stance.NEUTRAL)
    influence = models.CharField(_("influence"), max_length=20, choices=Influence.choices, default=Influence.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_stances",
        verbose_name=_("relationship owner"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["coalition", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "person"],
                name="ally_stance_one_per_person",
                violation_error_message=_("This person already has a stance in this coalition. Change that one."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_stance_display()}"

    def get_absolute_url(self) -> str:
        return reverse("coalition:ally_detail", args=[self.coalition_id, self.pk])


class StanceChange(models.Model):
    """One dated change of an ally's stance, influence or owner, written by ``stance_set``."""

    ally_stance = models.ForeignKey(AllyStance, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    from_stance = models.CharField(_("from stance"), max_length=20, choices=Stance.choices, blank=True)
    to_stance = models.CharField(_("to stance"), max_length=20, choices=Stance.choices)
    from_influence = models.CharField(_("from influence"), max_length=20, choices=Influence.choices, blank=True)
    to_influence = models.CharField(_("to influence"), max_length=20, choices=Influence.choices)
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.ally_stance.person}: {self.from_stance or '—'} → {self.to_stance}"


class RiskSettings(models.Model):
    """The continuity risk thresholds of the ally map. One row; admins change it."""

    SINGLETON_PK = 1

    term_end_window_days = models.PositiveIntegerField(
        _("term end window (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Flag an ally whose planned term end falls within this many days."),
    )
    ballot_window_days = models.PositiveIntegerField(
        _("ballot window (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Flag an ally whose seat is on the ballot of an election within this many days."),
    )
    no_contact_days = models.PositiveIntegerField(
        _("no contact (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Flag an ally nobody has been in contact with for more than this many days."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("risk settings")
        verbose_name_plural = _("risk settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="risk_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Continuity risk thresholds"))

    @classmethod
    def load(cls) -> RiskSettings:
        """The one row, created with the defaults the first time it is asked for."""
        settings_row, _created = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return settings_row
