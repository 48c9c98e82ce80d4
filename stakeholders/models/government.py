"""Government structure: departments, positions, who holds them (tenures), elections."""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .accounts import TimeStampedModel
from .people import Person


class Department(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="department_name_unique_in_parent", nulls_distinct=False
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="department_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:department_detail", args=[self.pk])


class Position(TimeStampedModel):
    class Level(models.TextChoices):
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")
        EXECUTIVE = "executive", _("Executive")
        STAFF = "staff", pgettext_lazy("position level", "Staff")
        BOARD = "board", _("Board or commission seat")

    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="positions")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.STAFF)
    is_multi_seat = models.BooleanField(
        _("multi-seat"), default=False, help_text=_("Several people can hold this position at once.")
    )
    #: Set on the seats of a board or commission (``stakeholders.models.boards.Board``).
    board = models.ForeignKey(
        "stakeholders.Board",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("board or commission"),
    )

    class Meta:
        ordering = ["department__name", "title"]
        indexes = [models.Index(fields=["department", "level"], name="position_department_level")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:position_detail", args=[self.pk])


@pghistory.track()
class Tenure(TimeStampedModel):
    """A person holding a position. Turnover is a tenure ending.

    ``holds_single_seat`` copies ``position.is_multi_seat`` (negated) so that the
    database itself can refuse a second current holder of a single-seat position:
    PostgreSQL constraints cannot look at another table, and a partial unique
    index on (position) WHERE current AND single-seat is the cheapest guarantee
    that survives races between two requests. The government services keep the
    copy in step (``tenure_start`` sets it; ``position_update`` rewrites it for
    every tenure of the position when the seat count changes).
    """

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", _("Term ended")
        RESIGNED = "resigned", _("Resigned")
        RETIRED = "retired", _("Retired")
        LOST_ELECTION = "lost_election", _("Lost election")
        REPLACED = "replaced", _("Replaced by a successor")
        REASSIGNED = "reassigned", _("Reassigned")
        REMOVED = "removed", _("Removed")
        DIED = "died", _("Died")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tenures")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="tenures")
    start_date = models.DateField(_("start"))
    planned_end_date = models.DateField(_("planned end"), null=True, blank=True)
    actual_end_date = models.DateField(_("actual end"), null=True, blank=True, db_index=True)
    end_reason = models.CharField(_("how it ended"), max_length=20, choices=EndReason.choices, blank=True)
    is_acting = models.BooleanField(_("acting"), default=False)
    holds_single_seat = models.BooleanField(
        _("single seat"), default=True, editable=False, help_text=_("Copy of the position's seat count.")
    )

    class Meta:
        ordering = [F("actual_end_date").desc(nulls_first=True), "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(actual_end_date__isnull=True, holds_single_seat=True),
                name="tenure_one_current_holder_of_single_seat",
                violation_error_message=_("This position already has a current holder. End that tenure first."),
            ),
            models.UniqueConstraint(
                fields=["position", "person"],
                condition=Q(actual_end_date__isnull=True),
                name="tenure_person_holds_position_once",
                violation_error_message=_("This person already holds this position."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True) | Q(actual_end_date__gte=F("start_date")),
                name="tenure_end_after_start",
                violation_error_message=_("A tenure cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True) | Q(planned_end_date__gte=F("start_date")),
                name="tenure_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True) | ~Q(end_reason=""),
                name="tenure_ended_has_reason",
                violation_error_message=_("Say how the tenure ended."),
            ),
        ]
        indexes = [
            models.Index(fields=["position", "actual_end_date"], name="tenure_position_current"),
            models.Index(
                fields=["planned_end_date"],
                condition=Q(actual_end_date__isnull=True),
                name="tenure_current_planned_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:position_detail", args=[self.position_id])

    @property
    def is_current(self) -> bool:
        return self.actual_end_date is None


class Election(TimeStampedModel):
    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        GENERAL = "general", _("General")
        RUNOFF = "runoff", _("Runoff")
        SPECIAL = "special", _("Special")

    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    date = models.DateField(_("election day"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    positions = models.ManyToManyField(
        Position, blank=True, related_name="elections", verbose_name=_("positions on the ballot")
    )

    class Meta:
        ordering = ["date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:election_detail", args=[self.pk])
