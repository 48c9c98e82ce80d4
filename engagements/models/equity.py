"""Equity: the census baseline that reach is compared with, the dashboard's settings,
and equity impact assessments of the decisions (commitments) that community input informs.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalition.models import Goal
from stakeholders.models import Neighborhood, TimeStampedModel

from .engagements import BreakdownOption, Commitment, InputItem


class EquitySettings(TimeStampedModel):
    """How small a group the dashboard hides, and below what ratio a group counts as under-heard. One row (pk 1)."""

    minimum_cell = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Counts below this are shown as “fewer than” this number, so that small groups cannot be re-identified."
        ),
    )
    under_heard_ratio = models.DecimalField(
        _("under-heard below ratio"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "A group whose share heard divided by its share of residents is below this is flagged as under-heard."
        ),
    )

    class Meta:
        verbose_name = _("equity settings")
        verbose_name_plural = _("equity settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="equity_settings_single_row"),
            models.CheckConstraint(condition=Q(minimum_cell__gte=1), name="equity_settings_minimum_cell_positive"),
            models.CheckConstraint(
                condition=Q(under_heard_ratio__gt=0) & Q(under_heard_ratio__lte=1),
                name="equity_settings_ratio_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Equity settings"))

    @classmethod
    def current(cls) -> EquitySettings:
        """The settings row, or the defaults when no admin has saved any yet (nothing is written)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class CensusBaseline(TimeStampedModel):
    """One imported census table (e.g. an ACS 5-year table): who lives where. The newest import is the one in use."""

    name = models.CharField(_("name"), max_length=200)
    source_file = models.CharField(_("file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_current = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="census_baseline_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BaselineRow(models.Model):
    """How many residents of one geography fall under one breakdown option (District 3, Language: Spanish: 12,400)."""

    class GeographyKind(models.TextChoices):
        CITY = "city", _("Whole city")
        COUNCIL_DISTRICT = "council_district", _("Council district")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")

    baseline = models.ForeignKey(CensusBaseline, on_delete=models.CASCADE, related_name="rows")
    geography_kind = models.CharField(_("kind of geography"), max_length=20, choices=GeographyKind.choices)
    # The district's name for districts, the neighborhood's name for neighborhoods, "" for the whole city.
    geography = models.CharField(_("geography"), max_length=120, blank=True)
    neighborhood = models.ForeignKey(Neighborhood, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(BreakdownOption, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        ordering = ["baseline", "geography_kind", "geography", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "geography_kind", "geography", "option"], name="baseline_row_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(geography_kind="neighborhood", neighborhood__isnull=False)
                | (~Q(geography_kind="neighborhood") & Q(neighborhood__isnull=True)),
                name="baseline_row_neighborhood_only_for_neighborhoods",
            ),
            models.CheckConstraint(
                condition=Q(geography_kind="city", geography="") | (~Q(geography_kind="city") & ~Q(geography="")),
                name="baseline_row_geography_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.geography or self.get_geography_kind_display()} · {self.option}: {self.population}"


@pghistory.track()
class EquityAssessment(TimeStampedModel):
    """How equity was weighed in one decision: who it affects, its burdens and benefits, what was done about them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")

    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, related_name="equity_assessment", verbose_name=_("commitment")
    )
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equity_assessments",
        verbose_name=_("coalition goal"),
    )
    decision = models.CharField(
        _("decision"), max_length=250, blank=True, help_text=_("The decision this informs, if it has a name.")
    )
    populations_affected = models.TextField(_("populations affected"))
    burdens = models.TextField(_("burdens"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    input_items = models.ManyToManyField(
        InputItem, blank=True, related_name="equity_assessments", verbose_name=_("community input that informed it")
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_equity_assessments",
        verbose_name=_("reviewer"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        permissions = [("publish_equityassessment", _("Can review and publish an equity impact assessment"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="equity_assessment_reviewed_has_reviewer",
                violation_error_message=_("A reviewed or published assessment needs its reviewer."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="equity_assessment_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(populations_affected=""),
                name="equity_assessment_names_populations",
                violation_error_message=_("Say which populations the decision affects."),
            ),
        ]

    def __str__(self) -> str:
        return self.decision or str(self.commitment)

    def get_absolute_url(self) -> str:
        return reverse("equity:assessment_detail", args=[self.pk])


class EquityAssessmentStatusChange(models.Model):
    """One step of an assessment through draft → reviewed → published (or back to draft), by whom and when."""

    assessment = models.ForeignKey(EquityAssessment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=EquityAssessment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=EquityAssessment.Status.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
