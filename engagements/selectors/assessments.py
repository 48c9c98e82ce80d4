"""Reads of equity impact assessments, always starting from the user who asks.

An assessment is seen by whoever may see its commitment (see
:func:`engagements.selectors.engagements.commitments_visible_to`) and holds
``engagements.view_equityassessment`` (staff, coordinators, admins; not liaisons).
The public "You said, we did" page shows published assessments only, without names.
"""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from coalition.models import Goal
from coalition.selectors import coalitions_visible_to
from stakeholders.models import User
from stakeholders.rows import choice_labels

from ..models import Commitment, EquityAssessment, EquityAssessmentStatusChange
from .engagements import commitments_visible_to


def can_view_assessments(user: User) -> bool:
    return user.is_authenticated and user.has_perm("engagements.view_equityassessment")


def goals_visible_to(user: User) -> QuerySet[Goal]:
    """Goals of the coalitions ``user`` may see, with their coalition (for "Coalition — goal" labels)."""
    return (
        Goal.objects.filter(coalition__in=coalitions_visible_to(user).values("pk"))
        .select_related("coalition")
        .order_by("coalition__name", "metric", "pk")
    )


def assessments_visible_to(user: User) -> QuerySet[EquityAssessment]:
    """Assessments of the commitments ``user`` may see, for those who may read assessments."""
    if not can_view_assessments(user):
        return EquityAssessment.objects.none()
    return EquityAssessment.objects.filter(commitment__in=commitments_visible_to(user).values("pk"))


def assessment_for_user(user: User, pk: int) -> EquityAssessment:
    """One assessment with everything its page shows, or 404 when ``user`` may not see it."""
    queryset = assessments_visible_to(user).select_related(
        "commitment__engagement", "goal__coalition", "reviewer", "created_by"
    )
    queryset = queryset.prefetch_related(
        "input_items",
        Prefetch("status_changes", queryset=EquityAssessmentStatusChange.objects.select_related("changed_by")),
    )
    return get_object_or_404(queryset, pk=pk)


def commitment_for_assessment(user: User, pk: int) -> Commitment:
    """A commitment ``user`` may see, with its engagement and its assessment if it has
    one (``equity_assessment``), in one query; 404 when not visible."""
    queryset = commitments_visible_to(user).select_related("engagement", "equity_assessment")
    return get_object_or_404(queryset, pk=pk)


def assessment_list_for(user: User) -> QuerySet[EquityAssessment]:
    """Visible assessments, most recently changed first (read a page of it with :func:`assessment_rows`)."""
    return assessments_visible_to(user).order_by("-updated_at", "-pk")


def assessment_rows(assessments: QuerySet[EquityAssessment]) -> QuerySet[dict]:
    """The columns an assessment list row shows, in one query for the page."""
    return assessments.values(
        "pk",
        "decision",
        "status",
        "updated_at",
        "published_at",
        "commitment_id",
        commitment_description=F("commitment__description"),
        engagement_id=F("commitment__engagement_id"),
        engagement_title=F("commitment__engagement__title"),
        reviewer_first_name=F("reviewer__first_name"),
        reviewer_last_name=F("reviewer__last_name"),
        reviewer_username=F("reviewer__username"),
    )


def assessment_summary_for(user: User, commitment: Commitment) -> dict | None:
    """``{"pk", "status", "status_label"}`` of ``commitment``'s assessment, for its page
    (one query); None when it has none or ``user`` may not read assessments."""
    if not can_view_assessments(user):
        return None
    summary = EquityAssessment.objects.filter(commitment=commitment).values("pk", "status").first()
    if summary is not None:
        summary["status_label"] = choice_labels(EquityAssessment.Status.choices)[summary["status"]]
    return summary


def goal_is_visible(user: User, goal: Goal | None) -> bool:
    """Whether ``user`` may open ``goal``'s page (its coalition is one they see)."""
    return goal is not None and coalitions_visible_to(user).filter(pk=goal.coalition_id).exists()


def published_assessment(commitment: Commitment) -> EquityAssessment | None:
    """The commitment's assessment if it is published, else None. Reads the assessment
    that ``select_related("equity_assessment")`` joined (no query)."""
    assessment = getattr(commitment, "equity_assessment", None)
    if assessment is None or assessment.status != EquityAssessment.Status.PUBLISHED:
        return None
    return assessment
