"""Boards and commissions: bodies whose seats are positions and whose members hold tenures.

A board's seats are :class:`~stakeholders.models.Position` rows (level "board") that point
at the board; an appointment is a :class:`~stakeholders.models.Tenure` of a seat, with its
planned end one term after it starts. A :class:`Vacancy` is a seat the city is recruiting
for, with an application window.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .accounts import TimeStampedModel
from .government import Department, Position, Tenure


class Board(TimeStampedModel):
    """A board or commission: who appoints its members, for how long, and who may serve."""

    class AppointedBy(models.TextChoices):
        MAYOR = "mayor", _("The mayor")
        MAYOR_WITH_COUNCIL = "mayor_council", _("The mayor, confirmed by the council")
        COUNCIL = "council", _("The city council")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="boards",
        verbose_name=_("department"),
        help_text=_("The department that staffs the board; its seats are listed there."),
    )
    appointed_by = models.CharField(
        _("appointed by"), max_length=20, choices=AppointedBy.choices, default=AppointedBy.MAYOR_WITH_COUNCIL
    )
    term_length_months = models.PositiveSmallIntegerField(
        _("term length (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    residency_requirement = models.CharField(_("residency requirement"), max_length=300, blank=True)
    expertise_requirement = models.CharField(_("expertise requirement"), max_length=300, blank=True)
    meeting_cadence = models.CharField(
        _("meets"), max_length=200, blank=True, help_text=_("For example: monthly, second Tuesday, 6 pm.")
    )
    description = models.TextField(_("what it does"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_length_months__gte=1, term_length_months__lte=120),
                name="board_term_length_in_range",
                violation_error_message=_("A term lasts from 1 to 120 months."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:board_detail", args=[self.pk])


class Vacancy(TimeStampedModel):
    """A seat the city is recruiting for, open to applications from ``opens_on`` to ``deadline``."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("vacancy status", "Open")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")

    seat = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("seat"))
    opens_on = models.DateField(_("applications open"))
    deadline = models.DateField(_("application deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    filled_by = models.ForeignKey(
        Tenure, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("filled by")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name_plural = _("vacancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")),
                name="vacancy_deadline_after_opening",
                violation_error_message=_("The deadline cannot be before applications open."),
            ),
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(status="open"),
                name="vacancy_one_open_per_seat",
                violation_error_message=_("This seat already has an open vacancy."),
            ),
            models.CheckConstraint(
                condition=~Q(status="filled") | Q(filled_by__isnull=False),
                name="vacancy_filled_has_tenure",
                violation_error_message=_("A filled vacancy names the appointment that filled it."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="vacancy_status_deadline")]

    def __str__(self) -> str:
        return f"{self.seat} ({self.deadline.isoformat()})"

    def get_absolute_url(self) -> str:
        return reverse("boards:board_detail", args=[self.seat.board_id]) + f"#vacancy-{self.pk}"
