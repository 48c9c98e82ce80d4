"""The accountability page and one commitment: its status, history and loop-backs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.rows import choice_labels, pk_url, user_name

from ..filters.engagements import CommitmentFilter
from ..forms.engagements import CommitmentCreateForm, CommitmentStatusForm, LoopBackForm
from ..models import Commitment, EquityAssessment
from ..selectors.assessments import assessment_summary_for
from ..selectors.engagements import commitment_for_user, commitment_list_for, commitment_rows, engagement_for_user
from ..services import engagements as services

PAGE_SIZE = 50


@login_required
@permission_required("engagements.view_commitment", raise_exception=True)
def commitment_list(request):
    """Every visible commitment, filtered by status, department, owner, overdue or not yet looped back."""
    commitment_filter = CommitmentFilter(request.GET, queryset=commitment_list_for(request.user), request=request)
    page = Paginator(commitment_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows(commitment_rows(page.object_list))
    template = "engagements/commitment_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": commitment_filter, "page": page})


def _rows(commitments) -> list[dict]:
    detail_url, engagement_url = pk_url("engagements:commitment_detail"), pk_url("engagements:detail")
    assessment_url = pk_url("equity:assessment_detail")
    status_labels = choice_labels(Commitment.Status.choices)
    assessment_labels = choice_labels(EquityAssessment.Status.choices)
    closed = {Commitment.Status.DONE, Commitment.Status.DECLINED}
    today = timezone.localdate()
    return [
        {
            "url": detail_url(row["pk"]),
            "description": row["description"],
            "engagement_url": engagement_url(row["engagement_id"]),
            "engagement_title": row["engagement_title"],
            "owner": user_name(row["owner_first_name"], row["owner_last_name"], row["owner_username"]),
            "department": row["department_name"] or "",
            "due_on": row["due_on"],
            "overdue": row["due_on"] is not None and row["due_on"] < today and row["status"] not in closed,
            "status": status_labels.get(row["status"], row["status"]),
            "loop_back_count": row["loop_back_count"],
            "assessment_url": assessment_url(row["assessment_id"]) if row["assessment_id"] else "",
            "assessment_status": assessment_labels.get(row["assessment_status"], ""),
        }
        for row in commitments
    ]


def _detail(request, commitment, status_form=None, loop_back_form=None, status=200):
    can_manage = request.user.has_perm("engagements.change_commitment")
    context = {
        "commitment": commitment,
        "can_manage": can_manage,
        "status_form": status_form or CommitmentStatusForm(current=commitment.status),
        "loop_back_form": loop_back_form or LoopBackForm(),
        "assessment": assessment_summary_for(request.user, commitment),
    }
    return render(request, "engagements/commitment_detail.html", context, status=status)


@login_required
@permission_required("engagements.view_commitment", raise_exception=True)
def commitment_detail(request, pk):
    """One commitment with its status history and loop-backs; coordinators change it here."""
    return _detail(request, commitment_for_user(request.user, pk))


@login_required
@permission_required("engagements.change_commitment", raise_exception=True)
@require_POST
def commitment_status(request, pk):
    """Move a commitment to another status (declining needs a reason)."""
    commitment = commitment_for_user(request.user, pk)
    form = CommitmentStatusForm(request.POST, current=commitment.status)
    if form.is_valid():
        try:
            services.commitment_set_status(
                actor=request.user,
                commitment=commitment,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        else:
            messages.success(request, _("Status changed to %(status)s.") % {"status": commitment.get_status_display()})
            return redirect(commitment)
    return _detail(request, commitment, status_form=form, status=422)


@login_required
@permission_required("engagements.add_loopback", raise_exception=True)
@require_POST
def commitment_loop_back(request, pk):
    """Record how and when the community was told what happened."""
    commitment = commitment_for_user(request.user, pk)
    form = LoopBackForm(request.POST)
    if form.is_valid():
        try:
            services.loop_back_record(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        else:
            messages.success(request, _("Loop-back recorded."))
            return redirect(commitment)
    return _detail(request, commitment, loop_back_form=form, status=422)


@login_required
@permission_required("engagements.add_commitment", raise_exception=True)
def commitment_create(request, pk):
    """Add a commitment to a logged engagement, answering some of what was heard there."""
    engagement = engagement_for_user(request.user, pk)
    if engagement.is_draft:
        return redirect("engagements:resume", pk=engagement.pk)
    form = CommitmentCreateForm(request.POST or None, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        else:
            messages.success(request, _("Commitment added."))
            return redirect(commitment)
    context = {"form": form, "engagement": engagement}
    return render(request, "engagements/commitment_form.html", context, status=422 if form.errors else 200)
