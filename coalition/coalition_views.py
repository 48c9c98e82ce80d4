"""Pages of the coalition domain: charter, members and resources, goals,
working groups, agreements and the ally map. (``views.py`` holds the
project-level health check and error pages.)"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.selectors.people import organization_for_user, person_for_user

from . import selectors, services
from .filters import CoalitionFilter
from .forms import (
    AgreementForm,
    AllyAddForm,
    CoalitionForm,
    GoalForm,
    GoalProgressForm,
    MembershipForm,
    ResourceForm,
    RiskSettingsForm,
    StanceForm,
    WorkingGroupForm,
)
from .models import Agreement, Goal, Membership, RiskSettings, Stance, StanceChange


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _context(request, coalition, tab, **extra):
    return {
        "coalition": coalition,
        "tab": tab,
        "can_manage": selectors.can_manage_coalition(request.user, coalition),
        "can_view_stances": selectors.can_view_stances(request.user),
        **extra,
    }


# --- Coalitions --------------------------------------------------------------------


@login_required
@permission_required("coalition.view_coalition", raise_exception=True)
def coalition_list(request):
    coalition_filter = CoalitionFilter(request.GET, queryset=selectors.coalition_list(request.user))
    template = "coalition/coalition_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": coalition_filter, "coalitions": coalition_filter.qs})


@login_required
@permission_required("coalition.add_coalition", raise_exception=True)
def coalition_create(request):
    form = CoalitionForm(request.POST or None, initial={"coordinators": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coordinators = list(data["coordinators"])
        if request.user not in coordinators and not request.user.has_perm("coalition.manage_all_coalitions"):
            coordinators.append(request.user)  # a coordinator always manages what they create
        try:
            coalition = services.coalition_create(
                name=data["name"],
                mission_what=data["mission_what"],
                mission_why=data["mission_why"],
                mission_measure=data["mission_measure"],
                status=data["status"],
                start_date=data["start_date"],
                coordinators=coordinators,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Coalition %(name)s created.") % {"name": coalition})
            return redirect(coalition)
    return render(
        request,
        "coalition/coalition_form.html",
        {"form": form, "title": _("New coalition"), "cancel_url": reverse("coalition:list")},
    )


@login_required
def coalition_detail(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    resources = selectors.resource_map(coalition)
    return render(
        request,
        "coalition/coalition_detail.html",
        _context(
            request,
            coalition,
            "charter",
            coordinators=list(coalition.coordinators.all()),
            resources=resources,
            goals=selectors.goals_with_progress(coalition),
        ),
    )


@login_required
def coalition_edit(request, pk):
    coalition = selectors.coalition_managed_by(request.user, pk)
    form = CoalitionForm(request.POST or None, instance=coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.coalition_update(
                coalition=coalition,
                name=data["name"],
                mission_what=data["mission_what"],
                mission_why=data["mission_why"],
                mission_measure=data["mission_measure"],
                status=data["status"],
                start_date=data["start_date"],
                coordinators=data["coordinators"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Charter of %(name)s saved.") % {"name": coalition})
            return redirect(coalition)
    return render(
        request,
        "coalition/coalition_form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": coalition}, "cancel_url": coalition.get_absolute_url()},
    )


# --- Members and resources ------------------------------------------------------------


@login_required
def members(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    context = _context(request, coalition, "members", resources=selectors.resource_map(coalition))
    if context["can_manage"]:
        context["member_form"] = MembershipForm()
        context["resource_form"] = ResourceForm(coalition=coalition)
    return render(request, "coalition/membership_list.html", context)


@login_required
def membership_add(request, pk):
    coalition = selectors.coalition_managed_by(request.user, pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(coalition=coalition, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(member)s added.") % {"member": membership.member})
            return redirect("coalition:members", coalition.pk)
    return render(
        request,
        "coalition/coalition_form.html",
        {"form": form, "title": _("Add a member"), "cancel_url": reverse("coalition:members", args=[coalition.pk])},
    )


@login_required
@require_POST
def membership_end(request, pk, membership_pk):
    coalition = selectors.coalition_managed_by(request.user, pk)
    membership = get_object_or_404(Membership, coalition=coalition, pk=membership_pk)
    try:
        services.membership_end(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(member)s has left the coalition.") % {"member": membership.member})
    return redirect("coalition:members", coalition.pk)


@login_required
def resource_add(request, pk):
    coalition = selectors.coalition_managed_by(request.user, pk)
    form = ResourceForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Resource added."))
            return redirect("coalition:members", coalition.pk)
    return render(
        request,
        "coalition/coalition_form.html",
        {"form": form, "title": _("Add a resource"), "cancel_url": reverse("coalition:members", args=[coalition.pk])},
    )


# --- Goals ---------------------------------------------------------------------------


@login_required
def goal_list(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    context = _context(request, coalition, "goals", goals=selectors.goals_with_progress(coalition))
    form = GoalForm(request.POST or None) if context["can_manage"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                goal = services.goal_create(coalition=coalition, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Goal %(goal)s added.") % {"goal": goal})
                return redirect(goal)
    context["form"] = form
    return render(request, "coalition/goal_list.html", context)


@login_required
def goal_detail(request, pk, goal_pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    goal = get_object_or_404(Goal.objects.prefetch_related("progress"), coalition=coalition, pk=goal_pk)
    context = _context(request, coalition, "goals", goal=goal)
    form = GoalProgressForm(request.POST or None) if context["can_manage"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.goal_progress_record(goal=goal, recorded_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect(goal)
    progress = list(goal.progress.all())
    context["form"] = form
    context["progress"] = progress
    context["chart"] = {
        "labels": [entry.recorded_on.isoformat() for entry in progress],
        "values": [float(entry.value) for entry in progress],
        "baseline": float(goal.baseline),
        "target": float(goal.target),
        "metric": goal.metric,
        "unit": goal.unit,
        "valueLabel": _("Value"),
        "targetLabel": _("Target"),
        "baselineLabel": _("Baseline"),
    }
    return render(request, "coalition/goal_detail.html", context)


# --- Working groups and agreements ---------------------------------------------------------


@login_required
def working_groups(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    context = _context(request, coalition, "working_groups")
    form = WorkingGroupForm(request.POST or None) if context["can_manage"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                group = services.working_group_create(coalition=coalition, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Working group %(name)s created.") % {"name": group})
                return redirect("coalition:working_groups", coalition.pk)
    context["form"] = form
    context["groups"] = coalition.working_groups.prefetch_related("departments", "people")
    return render(request, "coalition/workinggroup_list.html", context)


@login_required
def agreements(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    context = _context(request, coalition, "agreements")
    form = AgreementForm(request.POST or None, request.FILES or None) if context["can_manage"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                agreement = services.agreement_create(coalition=coalition, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Agreement %(title)s recorded.") % {"title": agreement})
                return redirect("coalition:agreements", coalition.pk)
    context["form"] = form
    context["agreements"] = coalition.agreements.prefetch_related("parties")
    return render(request, "coalition/agreement_list.html", context)


@login_required
def agreement_document(request, pk, agreement_pk):
    """The uploaded document, served only to users who may see the coalition."""
    coalition = selectors.coalition_for_user(request.user, pk)
    agreement = get_object_or_404(Agreement, coalition=coalition, pk=agreement_pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=agreement.document.name.rsplit("/", 1)[-1]
    )


# --- The ally map ----------------------------------------------------------------------------


def _stances_coalition(request, pk):
    coalition = selectors.coalition_for_user(request.user, pk)
    if not selectors.can_view_stances(request.user):
        raise PermissionDenied
    return coalition


def _id_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _focus_title(the_map) -> str:
    stance = dict(Stance.choices).get(the_map.stance)
    if the_map.department_id is None:
        return _("All departments, stance %(stance)s") % {"stance": stance}
    department = the_map.department.name if the_map.department else _("Outside government")
    if stance is None:
        return _("%(department)s, every stance") % {"department": department}
    return _("%(department)s, stance %(stance)s") % {"department": department, "stance": stance}


@login_required
def ally_map(request, pk):
    """The ally map: a department-by-stance matrix whose cells show their first allies,
    or, focused on a department and/or stance (``department``, ``stance``), those
    allies as a paged list. ``at_risk=1`` and ``owner`` filter both. With htmx the
    view answers the ``#ally-matrix`` region only."""
    started = time.perf_counter()
    coalition = _stances_coalition(request, pk)
    only_at_risk = request.GET.get("at_risk") == "1"
    owner_id = _id_param(request, "owner")
    department_id = _id_param(request, "department")
    stance = request.GET.get("stance") if request.GET.get("stance") in Stance.values else None
    the_map = selectors.ally_map(
        coalition,
        only_at_risk=only_at_risk,
        owner_id=owner_id,
        department_id=department_id,
        stance=stance,
        page_number=request.GET.get("page"),
    )
    filters = {"at_risk": "1" if only_at_risk else None, "owner": owner_id}
    filter_query = urlencode({key: value for key, value in filters.items() if value is not None})
    focus = {"department": department_id, "stance": stance, "page": request.GET.get("page")}
    current_query = urlencode({key: value for key, value in {**filters, **focus}.items() if value is not None})
    context = _context(
        request,
        coalition,
        "ally_map",
        map=the_map,
        only_at_risk=only_at_risk,
        owner_id=owner_id,
        map_url=reverse("coalition:ally_map", args=[coalition.pk]),
        filter_query=filter_query,
        current_query=current_query,
        cell_limit=selectors.CELL_LIMIT,
    )
    if the_map.focused:
        context["page"] = the_map.page
        context["focus_title"] = _focus_title(the_map)
    template = "coalition/ally_map.html"
    if request.htmx and request.htmx.target == "ally-matrix":
        template += "#matrix"
        # Opening a cell or going back to the whole map replaces the link that had focus:
        # focus its outcome. The filters and the refresh after a stance is saved keep theirs.
        context["swap_focus"] = request.htmx.trigger not in ("ally-filters", "ally-matrix")
    response = render(request, template, context)
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@login_required
def ally_network(request, pk):
    """The ally network as a paged table: the same nodes and connections as the graph."""
    coalition = _stances_coalition(request, pk)
    page = selectors.ally_network_page(coalition, request.GET.get("page"))
    return render(request, "coalition/ally_network.html", _context(request, coalition, "ally_map", page=page))


@login_required
def ally_graph_json(request, pk):
    coalition = _stances_coalition(request, pk)
    return JsonResponse(selectors.ally_graph(coalition), json_dumps_params={"separators": (",", ":")})


@login_required
def ally_add(request, pk):
    coalition = selectors.coalition_managed_by(request.user, pk)
    form = AllyAddForm(request.POST or None, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ally = services.stance_set(
                coalition=coalition,
                person=data["person"],
                stance=data["stance"],
                influence=data["influence"],
                owner=data["owner"],
                notes=data["notes"],
                note=data["note"],
                changed_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(person)s added to the ally map.") % {"person": ally.person})
            return redirect("coalition:ally_map", coalition.pk)
    return render(
        request,
        "coalition/coalition_form.html",
        {"form": form, "title": _("Add an ally"), "cancel_url": reverse("coalition:ally_map", args=[coalition.pk])},
    )


@login_required
def ally_detail(request, pk, ally_pk):
    """One ally's stance record: the stance form and how the stance moved over time.

    On the ally map the same view serves the htmx stance editor.
    """
    coalition = _stances_coalition(request, pk)
    ally = selectors.ally_for_user(request.user, coalition, ally_pk)
    can_manage = selectors.can_manage_coalition(request.user, coalition)
    form = None
    if can_manage:
        form = StanceForm(
            request.POST or None,
            initial={"stance": ally.stance, "influence": ally.influence, "owner": ally.owner_id, "notes": ally.notes},
        )
    saved = False
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stance_set(
                    coalition=coalition,
                    person=ally.person,
                    stance=data["stance"],
                    influence=data["influence"],
                    owner=data["owner"],
                    notes=data["notes"],
                    note=data["note"],
                    changed_by=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                saved = True
                if not request.htmx:
                    messages.success(request, _("Stance of %(person)s saved.") % {"person": ally.person})
                    return redirect(ally)
                ally.refresh_from_db()
    history = StanceChange.objects.filter(ally_stance=ally).select_related("changed_by", "from_owner", "to_owner")
    rows, _risk, _departments = selectors.ally_rows(coalition, ally_pk=ally.pk)
    row = rows[0] if rows else None
    context = _context(request, coalition, "ally_map", ally=ally, form=form, history=history, row=row, saved=saved)
    template = "coalition/ally_detail.html"
    if request.htmx:
        template += "#editor"
    response = render(request, template, context)
    if saved:
        response["HX-Trigger"] = "stanceSaved"
    return response


# --- Risk thresholds -----------------------------------------------------------------------


@login_required
@permission_required("coalition.change_risksettings", raise_exception=True)
def risk_settings(request):
    current = RiskSettings.load()
    form = RiskSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.risk_settings_update(**form.cleaned_data)
        messages.success(request, _("Risk thresholds saved."))
        return redirect("coalition:risk_settings")
    return render(request, "coalition/risksettings_form.html", {"form": form})


# --- Panels on stakeholder pages ----------------------------------------------------------


@login_required
def organization_panel(request, pk):
    organization_for_user(request.user, pk)  # 404 when the organization is not visible
    memberships = selectors.organization_coalitions(request.user, organization_id=pk)
    return render(request, "coalition/organization_panel.html", {"memberships": memberships})


@login_required
def person_panel(request, pk):
    person_for_user(request.user, pk)  # 404 when the person is not visible
    memberships, stances = selectors.person_coalitions(request.user, person_id=pk)
    return render(request, "coalition/person_panel.html", {"memberships": memberships, "stances": stances})
