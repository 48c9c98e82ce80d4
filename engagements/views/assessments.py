"""Equity impact assessments: the list, writing one for a commitment, one assessment's
page with its history, editing it and moving it to reviewed or published."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.forms.base import add_service_errors
from stakeholders.rows import choice_labels, pk_url, user_name
from stakeholders.selectors.government import record_history

from ..filters.assessments import AssessmentFilter
from ..forms.assessments import AssessmentForm, AssessmentStatusForm
from ..models import EquityAssessment
from ..selectors.assessments import (
    assessment_for_user,
    assessment_list_for,
    assessment_rows,
    commitment_for_assessment,
    goal_is_visible,
)
from ..services import assessments as services

PAGE_SIZE = 50


@login_required
@permission_required("engagements.view_equityassessment", raise_exception=True)
def assessment_list(request):
    """Every visible assessment, newest change first, filtered by status."""
    assessment_filter = AssessmentFilter(request.GET, queryset=assessment_list_for(request.user))
    page = Paginator(assessment_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows(assessment_rows(page.object_list))
    template = "engagements/assessment_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": assessment_filter, "page": page})


def _rows(assessments) -> list[dict]:
    detail_url, commitment_url = pk_url("equity:assessment_detail"), pk_url("engagements:commitment_detail")
    engagement_url = pk_url("engagements:detail")
    status_labels = choice_labels(EquityAssessment.Status.choices)
    return [
        {
            "url": detail_url(row["pk"]),
            "title": row["decision"] or row["commitment_description"],
            "commitment_url": commitment_url(row["commitment_id"]),
            "commitment": row["commitment_description"],
            "engagement_url": engagement_url(row["engagement_id"]),
            "engagement_title": row["engagement_title"],
            "status": row["status"],
            "status_label": status_labels.get(row["status"], row["status"]),
            "reviewer": user_name(row["reviewer_first_name"], row["reviewer_last_name"], row["reviewer_username"]),
            "updated_at": row["updated_at"],
        }
        for row in assessments
    ]


def _form_page(request, form, commitment, assessment=None):
    context = {"form": form, "commitment": commitment, "assessment": assessment}
    return render(request, "engagements/assessment_form.html", context, status=422 if form.errors else 200)


@login_required
@permission_required("engagements.add_equityassessment", raise_exception=True)
def assessment_create(request, pk):
    """Write the equity impact assessment of a commitment (``pk``); one that has an
    assessment sends the user to it."""
    commitment = commitment_for_assessment(request.user, pk)
    existing = getattr(commitment, "equity_assessment", None)
    if existing is not None:
        messages.info(request, _("This commitment already has an equity impact assessment. Edit it here."))
        return redirect(existing)
    form = AssessmentForm(request.POST or None, user=request.user, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment saved as a draft. Someone else reviews it before it is published."))
            return redirect(assessment)
    return _form_page(request, form, commitment)


def _detail(request, assessment, status_form=None, status=200):
    user = request.user
    context = {
        "assessment": assessment,
        "commitment": assessment.commitment,
        "can_edit": user.has_perm("engagements.change_equityassessment"),
        "can_publish": user.has_perm("engagements.publish_equityassessment"),
        "is_author": assessment.created_by_id == user.pk,
        "goal_visible": goal_is_visible(user, assessment.goal),
        "status_form": status_form or AssessmentStatusForm(current=assessment.status),
        "history": record_history(EquityAssessment, [assessment.pk]),
    }
    return render(request, "engagements/assessment_detail.html", context, status=status)


@login_required
@permission_required("engagements.view_equityassessment", raise_exception=True)
def assessment_detail(request, pk):
    """One assessment: what it says, the input behind it, its steps and its edit history."""
    return _detail(request, assessment_for_user(request.user, pk))


@login_required
@permission_required("engagements.change_equityassessment", raise_exception=True)
def assessment_edit(request, pk):
    """Change what an assessment says; a reviewed or published one goes back to draft."""
    assessment = assessment_for_user(request.user, pk)
    commitment = assessment.commitment
    form = AssessmentForm(request.POST or None, user=request.user, commitment=commitment, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        previous = assessment.status
        try:
            services.assessment_update(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if previous != assessment.status:
                messages.warning(request, _("Saved. The assessment is back to draft and needs a new review."))
            else:
                messages.success(request, _("Assessment saved."))
            return redirect(assessment)
    return _form_page(request, form, commitment, assessment)


@login_required
@permission_required("engagements.publish_equityassessment", raise_exception=True)
@require_POST
def assessment_status(request, pk):
    """Review, publish or return an assessment to draft."""
    assessment = assessment_for_user(request.user, pk)
    form = AssessmentStatusForm(request.POST, current=assessment.status)
    if form.is_valid():
        try:
            services.assessment_set_status(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The assessment is now %(status)s.") % {"status": assessment.get_status_display()}
            )
            return redirect(assessment)
    return _detail(request, assessment, status_form=form, status=422)
