"""Pages of the government structure: departments, positions and their holders, elections."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exports import safe_cell as csv_safe
from ..filters.government import DepartmentFilter, ElectionFilter
from ..forms.government import DepartmentForm, ElectionForm, PositionChangeForm, PositionForm
from ..models import Department, Tenure
from ..security_log import logs_export
from ..selectors.government import (
    department_for_user,
    departments_visible_to,
    election_for_user,
    elections_visible_to,
    position_for_user,
    positions_visible_to,
    record_history,
    tenures_visible_to,
)
from ..services import government as services

PAGE_SIZE = 50
TERM_END_HORIZON_DAYS = 180


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return response


def apply_form_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (others at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _tree(departments: list[Department]) -> list[tuple[Department, int]]:
    """Departments in tree order with their depth; orphans (parent filtered out) start a tree."""
    by_parent: dict[int | None, list[Department]] = {}
    present = {department.pk for department in departments}
    for department in departments:
        parent_id = department.parent_id if department.parent_id in present else None
        by_parent.setdefault(parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []

    def walk(parent_id, depth):
        for child in by_parent.get(parent_id, []):
            ordered.append((child, min(depth, 5)))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


@login_required
@permission_required("stakeholders.view_department", raise_exception=True)
def department_list(request):
    department_filter = DepartmentFilter(request.GET, queryset=departments_visible_to(request.user))
    rows = _tree(list(department_filter.qs.order_by("name")))
    template = "stakeholders/department_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": department_filter, "rows": rows})


@login_required
@permission_required("stakeholders.view_department", raise_exception=True)
def department_detail(request, pk):
    department = department_for_user(request.user, pk)
    positions = list(positions_visible_to(request.user).filter(department=department).order_by("level", "title"))
    horizon = timezone.localdate() + datetime.timedelta(days=TERM_END_HORIZON_DAYS)
    term_ends = sorted(
        (
            tenure
            for position in positions
            for tenure in position.current_tenures
            if tenure.planned_end_date and tenure.planned_end_date <= horizon
        ),
        key=lambda tenure: tenure.planned_end_date,
    )
    for tenure in term_ends:
        tenure.position_title = next(p.title for p in positions if p.pk == tenure.position_id)
    return render(
        request,
        "stakeholders/department_detail.html",
        {
            "department": department,
            "positions": positions,
            "vacancies": [position for position in positions if not position.current_tenures],
            "term_ends": term_ends,
            "horizon_days": TERM_END_HORIZON_DAYS,
            "children": departments_visible_to(request.user).filter(parent=department).order_by("name"),
            "ancestors": _ancestors(department),
        },
    )


def _ancestors(department: Department) -> list[Department]:
    chain, seen = [], {department.pk}
    parent = department.parent
    while parent is not None and parent.pk not in seen:
        chain.insert(0, parent)
        seen.add(parent.pk)
        parent = parent.parent
    return chain


@login_required
@permission_required("stakeholders.view_department", raise_exception=True)
@logs_export("department_positions")
def department_positions_csv(request, pk):
    department = department_for_user(request.user, pk)
    positions = positions_visible_to(request.user).filter(department=department).order_by("level", "title")
    rows = (
        [
            position.title,
            position.get_level_display(),
            _("yes") if position.is_multi_seat else _("no"),
            "; ".join(str(tenure.person) for tenure in position.current_tenures) or _("vacant"),
            "; ".join(str(tenure.start_date) for tenure in position.current_tenures),
            "; ".join(str(tenure.planned_end_date or "") for tenure in position.current_tenures),
        ]
        for position in positions
    )
    header = [_("Position"), _("Level"), _("Multi-seat"), _("Current holders"), _("Since"), _("Planned end")]
    return csv_response(f"department-{department.pk}-positions.csv", header, rows)


@login_required
@permission_required("stakeholders.add_department", raise_exception=True)
def department_create(request):
    form = DepartmentForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Department %(name)s created.") % {"name": department})
            return redirect(department)
    return render(request, "stakeholders/department_form.html", {"form": form, "title": _("New department")})


@login_required
@permission_required("stakeholders.change_department", raise_exception=True)
def department_edit(request, pk):
    department = department_for_user(request.user, pk)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(department=department, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": department})
            return redirect(department)
    title = _("Edit department %(name)s") % {"name": department}
    return render(
        request, "stakeholders/department_form.html", {"form": form, "title": title, "department": department}
    )


@login_required
@permission_required("stakeholders.view_position", raise_exception=True)
def position_detail(request, pk):
    position = position_for_user(request.user, pk)
    tenures = list(tenures_visible_to(request.user).filter(position=position))
    history = None
    if request.user.has_perm("stakeholders.view_tenureevent"):
        history = record_history(Tenure, [tenure.pk for tenure in tenures])
    return render(
        request,
        "stakeholders/position_detail.html",
        {
            "position": position,
            "tenures": tenures,
            "elections": position.elections.filter(date__gte=timezone.localdate()).order_by("date"),
            "history": history,
        },
    )


@login_required
@permission_required("stakeholders.add_position", raise_exception=True)
def position_create(request):
    form = PositionForm(request.POST or None, initial={"department": request.GET.get("department")})
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Position %(title)s created.") % {"title": position})
            return redirect(position.department)
    return render(request, "stakeholders/position_form.html", {"form": form, "title": _("New position")})


@login_required
@permission_required("stakeholders.change_position", raise_exception=True)
def position_edit(request, pk):
    position = position_for_user(request.user, pk)
    form = PositionForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_update(position=position, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Changes to %(title)s saved.") % {"title": position})
            return redirect(position)
    title = _("Edit position %(title)s") % {"title": position}
    return render(request, "stakeholders/position_form.html", {"form": form, "title": title, "position": position})


@login_required
@permission_required("stakeholders.change_tenure", raise_exception=True)
@permission_required("stakeholders.add_tenure", raise_exception=True)
def position_change(request, pk):
    """Record a change on a position: a holder left (and how), a successor started, or both."""
    position = position_for_user(request.user, pk)
    search = request.GET.get("q", "").strip()
    form = PositionChangeForm(request.POST or None, position=position, search=search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _record_change(position, data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("The change to %(title)s is recorded.") % {"title": position})
            return redirect(position.department)
    return render(
        request,
        "stakeholders/position_change.html",
        {"form": form, "position": position, "search": search, "title": _("Record a change")},
    )


def _record_change(position, data, *, actor) -> None:
    ending, successor = data.get("ending"), data.get("successor")
    if successor is None:
        services.tenure_end(tenure=ending, end_date=data["end_date"], end_reason=data["end_reason"], actor=actor)
        return
    # The successor takes the seat; on a single-seat position (or when someone is
    # named as leaving) the leaving holder's tenure ends in the same transaction.
    services.tenure_start(
        position=position,
        person=successor,
        start_date=data["start_date"],
        planned_end_date=data.get("planned_end_date"),
        is_acting=data.get("is_acting", False),
        replaces=ending,
        replaced_end_date=data.get("end_date") if ending else None,
        replaced_end_reason=data.get("end_reason") or Tenure.EndReason.REPLACED,
        actor=actor,
    )


@login_required
@permission_required("stakeholders.view_election", raise_exception=True)
def election_list(request):
    election_filter = ElectionFilter(request.GET, queryset=elections_visible_to(request.user))
    page = Paginator(election_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "stakeholders/election_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": election_filter, "page": page})


@login_required
@permission_required("stakeholders.view_election", raise_exception=True)
@logs_export("elections")
def election_list_csv(request):
    election_filter = ElectionFilter(request.GET, queryset=elections_visible_to(request.user))
    rows = (
        [election.name, election.jurisdiction, election.date, election.get_kind_display(), election.position_count]
        for election in election_filter.qs
    )
    header = [_("Name"), _("Jurisdiction"), _("Election day"), _("Kind"), _("Positions on the ballot")]
    return csv_response("elections.csv", header, rows)


@login_required
@permission_required("stakeholders.view_election", raise_exception=True)
def election_detail(request, pk):
    election = election_for_user(request.user, pk)
    return render(
        request,
        "stakeholders/election_detail.html",
        {"election": election, "days_to_go": (election.date - timezone.localdate()).days},
    )


@login_required
@permission_required("stakeholders.add_election", raise_exception=True)
def election_create(request):
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Election %(name)s created.") % {"name": election})
            return redirect(election)
    return render(request, "stakeholders/election_form.html", {"form": form, "title": _("New election")})


@login_required
@permission_required("stakeholders.change_election", raise_exception=True)
def election_edit(request, pk):
    election = election_for_user(request.user, pk)
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(election=election, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": election})
            return redirect(election)
    title = _("Edit election %(name)s") % {"name": election}
    return render(request, "stakeholders/election_form.html", {"form": form, "title": title, "election": election})


@login_required
@permission_required("stakeholders.view_tenure", raise_exception=True)
def person_positions_panel(request, pk):
    """Fragment for the person page: positions this person holds and held, current first."""
    tenures = tenures_visible_to(request.user).filter(person_id=pk)
    return render(request, "stakeholders/tenure_panel.html", {"tenures": tenures})
