"""Writes for the boards pipeline: cohorts, their fellows and sessions, and applications
moving through their stages.

Rules:

- A stage moves only forward along ``BoardApplication.NEXT_STAGES``; the decisions
  (appointed, not appointed, withdrew) are final. Each move is recorded with its date,
  note and who recorded it, and sets the matching date (applied, interviewed, decided).
- Appointing needs an open vacancy of the application's board: the fellow starts a
  tenure of its seat that day, planned to end one term later, and the vacancy is filled,
  all in one transaction. A seat whose holder's planned end has come is handed over with
  "term ended"; a holder whose term runs on (or has no planned end) is never ended by an
  appointment: the coordinator is told to appoint from that day or end it first. Two
  coordinators appointing to one vacancy at once: the second is told it is no longer open.
- Fellows, cohorts and applications are changed only by those who manage the cohort
  (its coordinators, admins): the views check it with
  :func:`engagements.selectors.pipeline.can_manage_cohort`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stakeholders.models import Board, Person, Tenure, User, Vacancy
from stakeholders.services.boards import term_end, vacancy_fill
from stakeholders.services.government import history_context, tenure_start

from ..models import ApplicationStageChange, BoardApplication, Cohort, Engagement, Fellow

Stage = BoardApplication.Stage

_COHORT_FIELDS = ("name", "program", "coalition", "starts_on", "ends_on", "notes")


def _save(instance, fields: dict, names: Iterable[str], duplicate: dict) -> None:
    for name in names:
        if name in fields:
            setattr(instance, name, fields[name])
    instance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error


def cohort_create(*, actor: User, coordinators: Iterable[User] = (), sessions: Iterable[Engagement] = (), **fields):
    """Start a cohort; its creator coordinates it unless others are named."""
    if fields.get("ends_on") and fields.get("starts_on") and fields["ends_on"] < fields["starts_on"]:
        raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})
    with transaction.atomic():
        cohort = Cohort()
        _save(cohort, fields, _COHORT_FIELDS, {"name": _("A cohort with this name already exists.")})
        cohort.coordinators.set(list(coordinators) or [actor])
        cohort.sessions.set(list(sessions))
    return cohort


def cohort_update(
    *, cohort: Cohort, actor: User, coordinators: Iterable[User] = (), sessions: Iterable[Engagement] = (), **fields
):
    """Change a cohort, its coordinators (never none: the one who saves stays) and its sessions."""
    if fields.get("ends_on") and fields.get("starts_on") and fields["ends_on"] < fields["starts_on"]:
        raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})
    with transaction.atomic():
        _save(cohort, fields, _COHORT_FIELDS, {"name": _("A cohort with this name already exists.")})
        cohort.coordinators.set(list(coordinators) or [actor])
        cohort.sessions.set(list(sessions))
    return cohort


def fellow_add(*, cohort: Cohort, person: Person, interests: Iterable[Board] = (), notes: str = "") -> Fellow:
    """Add ``person`` to ``cohort`` with the boards they are interested in."""
    fellow = Fellow(cohort=cohort, person=person, notes=notes)
    with transaction.atomic():
        _save(fellow, {}, (), {"person": _("%(person)s is already a fellow of this cohort.") % {"person": person}})
        fellow.interests.set(list(interests))
    return fellow


def fellow_update(*, fellow: Fellow, interests: Iterable[Board], notes: str) -> Fellow:
    """Change a fellow's boards of interest and notes."""
    with transaction.atomic():
        fellow.notes = notes
        fellow.save(update_fields=["notes", "updated_at"])
        fellow.interests.set(list(interests))
    return fellow


def _record(application: BoardApplication, *, from_stage: str, on: datetime.date, note: str, actor: User | None):
    ApplicationStageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=application.stage,
        changed_on=on,
        note=note,
        changed_by=actor,
    )


def _check_vacancy(board: Board, vacancy: Vacancy | None) -> None:
    if vacancy is not None and vacancy.seat.board_id != board.pk:
        raise ValidationError({"vacancy": _("Choose a vacancy of %(board)s.") % {"board": board}})


def application_create(
    *,
    fellow: Fellow,
    board: Board,
    vacancy: Vacancy | None = None,
    stage: str = Stage.INTERESTED,
    on: datetime.date,
    notes: str = "",
    actor: User | None = None,
) -> BoardApplication:
    """Start following ``fellow`` toward ``board`` (and ``vacancy``), at "interested" or "applied"."""
    if stage not in (Stage.INTERESTED, Stage.APPLIED):
        raise ValidationError({"stage": _("A new application starts as interested or applied.")})
    _check_vacancy(board, vacancy)
    application = BoardApplication(
        fellow=fellow,
        board=board,
        vacancy=vacancy,
        stage=stage,
        stage_changed_on=on,
        applied_on=on if stage == Stage.APPLIED else None,
        notes=notes,
    )
    with transaction.atomic():
        _save(
            application,
            {},
            (),
            {
                "board": _("%(person)s already has an application for this board and vacancy.")
                % {"person": fellow.person}
            },
        )
        _record(application, from_stage="", on=on, note=notes, actor=actor)
        fellow.interests.add(board)
    return application


def application_move(
    *,
    application: BoardApplication,
    to_stage: str,
    on: datetime.date,
    note: str = "",
    vacancy: Vacancy | None = None,
    actor: User | None = None,
) -> BoardApplication:
    """Move an application to its next stage on ``on``; appointing starts the seat's tenure.

    ``vacancy`` (when appointing) names the vacancy filled when the application has none yet."""
    with transaction.atomic(), history_context(actor):
        application = (
            BoardApplication.objects.select_for_update(of=("self",))
            .select_related("fellow__person", "board", "vacancy__seat")
            .get(pk=application.pk)
        )
        current = application.stage
        if to_stage not in BoardApplication.NEXT_STAGES[current]:
            labels = dict(Stage.choices)
            if not BoardApplication.NEXT_STAGES[current]:
                message = _("This application was decided (%(stage)s); it cannot move again.")
            else:
                message = _("An application that is %(stage)s can move to: %(next)s.")
            raise ValidationError(
                {
                    "to_stage": message
                    % {
                        "stage": labels[current].lower(),
                        "next": ", ".join(str(labels[s]).lower() for s in BoardApplication.NEXT_STAGES[current]),
                    }
                }
            )
        if on < application.stage_changed_on:
            raise ValidationError(
                {
                    "on": _("The date cannot be before the current stage began (%(date)s).")
                    % {"date": application.stage_changed_on.isoformat()}
                }
            )
        if to_stage == Stage.APPOINTED:
            _appoint(application, on=on, vacancy=vacancy or application.vacancy, actor=actor)
        application.stage = to_stage
        application.stage_changed_on = on
        if to_stage == Stage.APPLIED:
            application.applied_on = on
        elif to_stage == Stage.INTERVIEWED:
            application.interviewed_on = on
            application.applied_on = application.applied_on or on
        else:
            application.decided_on = on
        application.save()
        _record(application, from_stage=current, on=on, note=note, actor=actor)
    return application


def _appoint(application: BoardApplication, *, on: datetime.date, vacancy: Vacancy | None, actor: User | None):
    if vacancy is None:
        raise ValidationError({"vacancy": _("Choose the vacancy the fellow is appointed to.")})
    if application.vacancy_id is not None and application.vacancy_id != vacancy.pk:
        raise ValidationError({"vacancy": _("This application is for another vacancy.")})
    vacancy = Vacancy.objects.select_related("seat__board").get(pk=vacancy.pk)
    _check_vacancy(application.board, vacancy)
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError({"vacancy": _("This vacancy is no longer open.")})
    twin = BoardApplication.objects.filter(fellow_id=application.fellow_id, board_id=application.board_id)
    if application.vacancy_id is None and twin.filter(vacancy=vacancy).exclude(pk=application.pk).exists():
        raise ValidationError(
            {
                "vacancy": _("%(person)s has another application for this vacancy: move that one instead.")
                % {"person": application.fellow.person}
            }
        )
    seat, board = vacancy.seat, vacancy.seat.board
    current = Tenure.objects.filter(position=seat, actual_end_date__isnull=True).select_related("person").first()
    if current is not None and current.person_id == application.fellow.person_id:
        raise ValidationError({"vacancy": _("%(person)s already holds this seat.") % {"person": current.person}})
    if current is not None and (current.planned_end_date is None or current.planned_end_date > on):
        if current.planned_end_date is None:
            message = _("%(person)s holds this seat with no planned end: record the end of their tenure first.")
        else:
            message = _(
                "%(person)s holds this seat until %(date)s: appoint from that day, or record the end of their "
                "tenure first."
            )
        raise ValidationError({"vacancy": message % {"person": current.person, "date": current.planned_end_date}})
    tenure = tenure_start(
        position=seat,
        person=application.fellow.person,
        start_date=on,
        planned_end_date=term_end(on, board.term_length_months),
        replaced_end_date=on,
        replaced_end_reason=Tenure.EndReason.TERM_ENDED,
        actor=actor,
    )
    vacancy_fill(vacancy=vacancy, tenure=tenure)
    application.vacancy = vacancy
    application.tenure = tenure
