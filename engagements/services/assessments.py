"""Writes for equity impact assessments: writing one for a commitment, editing it, and
moving it through draft → reviewed → published (or back to draft).

Rules:

- One assessment per commitment (the one-to-one column guarantees it; a second is
  refused with a message, also when two people save at the same moment).
- The community input it cites was heard at the commitment's own engagement; its
  coalition goal is one the author may see.
- Someone other than its author reviews it; only reviewed text is published.
- Editing a reviewed or published assessment sends it back to draft ("edited after
  review"), so the public page never shows text nobody reviewed.
- Every step is recorded as an :class:`EquityAssessmentStatusChange`; every edit of
  the row is kept by pghistory with the acting user in its context.
"""

from __future__ import annotations

from collections.abc import Sequence

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.models import Goal
from stakeholders.models import User

from ..models import Commitment, EquityAssessment, EquityAssessmentStatusChange, InputItem
from ..selectors.assessments import goals_visible_to

Status = EquityAssessment.Status

# What each status may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.REVIEWED,),
    Status.REVIEWED: (Status.PUBLISHED, Status.DRAFT),
    Status.PUBLISHED: (Status.DRAFT,),
}

_TEXT_FIELDS = ("decision", "populations_affected", "burdens", "benefits", "mitigation")


def _history(actor: User):
    """Who made the change, recorded with each pghistory event written inside."""
    return pghistory.context(user=actor.pk)


def _check_links(*, actor: User, commitment: Commitment, goal: Goal | None, input_items: Sequence[InputItem]) -> None:
    errors = {}
    if any(item.engagement_id != commitment.engagement_id for item in input_items):
        errors["input_items"] = _("An assessment can only cite input heard at its commitment's own engagement.")
    if goal is not None and not goals_visible_to(actor).filter(pk=goal.pk).exists():
        errors["goal"] = _("Choose a goal of a coalition you can see.")
    if errors:
        raise ValidationError(errors)


def _record(assessment: EquityAssessment, *, actor: User, from_status: str, note: str = "") -> None:
    EquityAssessmentStatusChange.objects.create(
        assessment=assessment,
        from_status=from_status,
        to_status=assessment.status,
        note=note,
        changed_by=actor,
        changed_at=timezone.now(),
    )


def _clean(assessment: EquityAssessment) -> None:
    """Field checks (lengths, the named populations), keyed by field."""
    for name in _TEXT_FIELDS:
        setattr(assessment, name, getattr(assessment, name).strip())
    assessment.full_clean(exclude=["commitment"], validate_unique=False)


def _has_assessment(commitment: Commitment) -> bool:
    return EquityAssessment.objects.filter(commitment=commitment).exists()


def _duplicate() -> ValidationError:
    return ValidationError(
        {"commitment": _("This commitment already has an equity impact assessment. Open it and edit that one instead.")}
    )


def assessment_create(
    *,
    actor: User,
    commitment: Commitment,
    populations_affected: str,
    burdens: str = "",
    benefits: str = "",
    mitigation: str = "",
    decision: str = "",
    goal: Goal | None = None,
    input_items: Sequence[InputItem] = (),
) -> EquityAssessment:
    """Write the equity impact assessment of ``commitment`` (as a draft) and record its first step.

    A commitment has at most one assessment: a second is refused with a ValidationError
    on ``commitment``."""
    input_items = list(input_items)
    _check_links(actor=actor, commitment=commitment, goal=goal, input_items=input_items)
    if _has_assessment(commitment):
        raise _duplicate()
    assessment = EquityAssessment(
        commitment=commitment,
        goal=goal,
        decision=decision,
        populations_affected=populations_affected,
        burdens=burdens,
        benefits=benefits,
        mitigation=mitigation,
        status=Status.DRAFT,
        created_by=actor,
    )
    _clean(assessment)
    try:
        with transaction.atomic(), _history(actor):
            assessment.save()
            assessment.input_items.set(input_items)
            _record(assessment, actor=actor, from_status="")
    except IntegrityError as error:
        # Someone else saved one for this commitment between the check and the insert.
        if _has_assessment(commitment):
            raise _duplicate() from error
        raise
    return assessment


def assessment_update(
    *,
    actor: User,
    assessment: EquityAssessment,
    populations_affected: str,
    burdens: str = "",
    benefits: str = "",
    mitigation: str = "",
    decision: str = "",
    goal: Goal | None = None,
    input_items: Sequence[InputItem] = (),
) -> EquityAssessment:
    """Change what the assessment says. A reviewed or published assessment whose text
    changes goes back to draft (recorded as "edited after review"), to be reviewed again
    before the public sees it; saving without a change changes nothing."""
    input_items = list(input_items)
    goal_id = goal.pk if goal is not None else None
    # An unchanged goal stays, even when this editor cannot see its coalition.
    new_goal = goal if goal_id != assessment.goal_id else None
    _check_links(actor=actor, commitment=assessment.commitment, goal=new_goal, input_items=input_items)
    values = {
        "decision": decision.strip(),
        "populations_affected": populations_affected.strip(),
        "burdens": burdens.strip(),
        "benefits": benefits.strip(),
        "mitigation": mitigation.strip(),
    }
    changed = [name for name, value in values.items() if getattr(assessment, name) != value]
    if goal_id != assessment.goal_id:
        changed.append("goal")
    items_changed = {item.pk for item in input_items} != set(assessment.input_items.values_list("pk", flat=True))
    if not changed and not items_changed:
        return assessment
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.goal = goal
    _clean(assessment)
    previous = assessment.status
    if previous != Status.DRAFT:
        _back_to_draft(assessment)
        changed += ["status", "reviewer", "reviewed_at", "published_at"]
    with transaction.atomic(), _history(actor):
        assessment.save(update_fields=[*changed, "updated_at"])
        if items_changed:
            assessment.input_items.set(input_items)
        if previous != Status.DRAFT:
            _record(assessment, actor=actor, from_status=previous, note=_("Edited after review."))
    return assessment


def _back_to_draft(assessment: EquityAssessment) -> None:
    """A draft names no reviewer: "reviewed" always means the current text was reviewed."""
    assessment.status = Status.DRAFT
    assessment.reviewer = None
    assessment.reviewed_at = None
    assessment.published_at = None


def assessment_set_status(
    *, actor: User, assessment: EquityAssessment, status: str, note: str = ""
) -> EquityAssessment:
    """Move the assessment one step: draft → reviewed (by someone other than its author),
    reviewed → published, or back to draft (taking a published one down needs a note).

    Needs ``engagements.publish_equityassessment``."""
    if not actor.has_perm("engagements.publish_equityassessment"):
        raise PermissionDenied
    if status not in Status.values:
        raise ValidationError({"status": _("Choose one of the listed statuses.")})
    note = note.strip()
    previous = assessment.status
    if status == previous:
        raise ValidationError({"status": _("The assessment already has this status.")})
    if status not in TRANSITIONS[previous]:
        messages = {
            Status.PUBLISHED: _("Only a reviewed assessment can be published. Review it first."),
            Status.REVIEWED: _("A published assessment goes back to draft before it is reviewed again."),
        }
        raise ValidationError({"status": messages.get(status, _("This status change is not possible."))})
    if status == Status.REVIEWED and assessment.created_by_id == actor.pk:
        raise ValidationError(
            {"status": _("You wrote this assessment, so someone else must review it. Ask a colleague who may publish.")}
        )
    if previous == Status.PUBLISHED and not note:
        raise ValidationError({"note": _("Say why the assessment is taken off the public page.")})
    now = timezone.now()
    if status == Status.REVIEWED:
        assessment.status, assessment.reviewer, assessment.reviewed_at = status, actor, now
    elif status == Status.PUBLISHED:
        assessment.status, assessment.published_at = status, now
    else:
        _back_to_draft(assessment)
    with transaction.atomic(), _history(actor):
        assessment.save(update_fields=["status", "reviewer", "reviewed_at", "published_at", "updated_at"])
        _record(assessment, actor=actor, from_status=previous, note=note)
    return assessment
