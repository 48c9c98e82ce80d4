"""The boards and commissions pipeline: cohorts of leadership fellows, the boards they
aim for, and each application's way from interest to appointment.

A cohort's program sessions are ordinary engagements (attendance is counted as for any
session); a fellow is a person in a cohort with the boards they are interested in; an
application follows one fellow to one board (and, once there is one, one vacancy)
through the stages, each step kept in :class:`ApplicationStageChange`. An appointment is
a tenure of the vacancy's seat (see ``engagements.services.pipeline``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from stakeholders.models import Board, Person, Tenure, TimeStampedModel, Vacancy

from .engagements import Engagement


class Cohort(TimeStampedModel):
    """One class of a leadership program: its fellows, its sessions and who runs it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    program = models.CharField(
        _("program"), max_length=200, blank=True, help_text=_("For example: Community Leadership Institute.")
    )
    coalition = models.ForeignKey(
        Coalition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
        verbose_name=_("coalition"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_cohorts", verbose_name=_("coordinators")
    )
    sessions = models.ManyToManyField(
        Engagement, blank=True, related_name="cohorts", verbose_name=_("program sessions")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        permissions = [("manage_all_cohorts", _("Can manage every cohort"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message=_("A cohort cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:cohort_detail", args=[self.pk])


class Fellow(TimeStampedModel):
    """A person in a cohort, and the boards they would like to serve on."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="fellows", verbose_name=_("cohort"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fellowships", verbose_name=_("person"))
    interests = models.ManyToManyField(
        Board, blank=True, related_name="interested_fellows", verbose_name=_("boards of interest")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["cohort", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                name="fellow_once_per_cohort",
                violation_error_message=_("This person is already a fellow of this cohort."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("boards:fellow_detail", args=[self.pk])


class BoardApplication(TimeStampedModel):
    """One fellow's way to one board: interested → applied → interviewed → a decision."""

    class Stage(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        APPLIED = "applied", _("Applied")
        INTERVIEWED = "interviewed", _("Interviewed")
        APPOINTED = "appointed", _("Appointed")
        NOT_APPOINTED = "not_appointed", _("Not appointed")
        WITHDREW = "withdrew", _("Withdrew")

    #: Where each stage may go next; the last three are decisions and go nowhere.
    NEXT_STAGES = {
        Stage.INTERESTED: (Stage.APPLIED, Stage.WITHDREW),
        Stage.APPLIED: (Stage.INTERVIEWED, Stage.APPOINTED, Stage.NOT_APPOINTED, Stage.WITHDREW),
        Stage.INTERVIEWED: (Stage.APPOINTED, Stage.NOT_APPOINTED, Stage.WITHDREW),
        Stage.APPOINTED: (),
        Stage.NOT_APPOINTED: (),
        Stage.WITHDREW: (),
    }

    fellow = models.ForeignKey(Fellow, on_delete=models.CASCADE, related_name="applications", verbose_name=_("fellow"))
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="applications", verbose_name=_("board"))
    vacancy = models.ForeignKey(
        Vacancy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("vacancy"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTERESTED)
    stage_changed_on = models.DateField(_("stage since"))
    applied_on = models.DateField(_("applied"), null=True, blank=True)
    interviewed_on = models.DateField(_("interviewed"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    #: The appointment, once the fellow is appointed.
    tenure = models.OneToOneField(
        Tenure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_application",
        verbose_name=_("appointment"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["fellow", "board", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fellow", "board", "vacancy"],
                nulls_distinct=False,
                name="application_once_per_fellow_board_vacancy",
                violation_error_message=_("This fellow already has an application for this board and vacancy."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="appointed") | Q(tenure__isnull=False),
                name="application_appointed_has_tenure",
                violation_error_message=_("An appointment names the seat's tenure."),
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=["interested", "applied", "interviewed", "appointed", "not_appointed", "withdrew"]
                ),
                name="application_stage_known",
            ),
        ]
        indexes = [models.Index(fields=["board", "stage"], name="application_board_stage")]

    def __str__(self) -> str:
        return f"{self.fellow.person} → {self.board}"

    def get_absolute_url(self) -> str:
        return reverse("boards:fellow_detail", args=[self.fellow_id]) + f"#application-{self.pk}"

    @property
    def next_stages(self) -> tuple[str, ...]:
        return self.NEXT_STAGES[self.stage]


class ApplicationStageChange(models.Model):
    """One step of an application, with its date (which may be earlier than the day it
    was recorded), a note, and who recorded it."""

    application = models.ForeignKey(BoardApplication, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=BoardApplication.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=BoardApplication.Stage.choices)
    changed_on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"
