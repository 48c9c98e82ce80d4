"""The boards pipeline: cohorts with their conversion figures, one cohort's fellows,
sessions and equity, the pipeline board (a kanban by stage with a table twin), a
fellow's page, and the forms that add fellows and applications and move them on."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stakeholders.forms.base import add_service_errors
from stakeholders.rows import choice_labels, person_name, pk_url

from ..forms.pipeline import ApplicationForm, CohortForm, FellowAddForm, FellowForm, MoveForm
from ..models import BoardApplication, ReminderSettings
from ..selectors.pipeline import (
    application_for_user,
    can_manage_cohort,
    cohort_for_user,
    cohort_list,
    cohort_managed_by,
    cohorts_visible_to,
    conversions,
    fellow_for_user,
    fellow_rows,
    pipeline_cards,
    pipeline_equity,
)
from ..services import pipeline as services

Stage = BoardApplication.Stage
PAGE_SIZE = 50


def reminder_date(planned_end: datetime.date | None, lead_days: int) -> datetime.date | None:
    """When the term-end reminder of an appointment ending on ``planned_end`` is raised."""
    return planned_end - datetime.timedelta(days=lead_days) if planned_end else None


@login_required
@permission_required("engagements.view_cohort", raise_exception=True)
@require_safe
def cohort_list_view(request):
    """Every cohort, newest first, with "26 fellows, 15 placed": three queries a page."""
    page = Paginator(cohort_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    figures = conversions([row["pk"] for row in rows], timezone.localdate())
    cohort_url = pk_url("boards:cohort_detail")
    for row in rows:
        row["url"] = cohort_url(row["pk"])
        row["conversion"] = figures[row["pk"]]
    page.object_list = rows
    context = {"page": page, "can_add": request.user.has_perm("engagements.add_cohort")}
    return render(request, "boards/cohort_list.html", context)


def _cohort_form_page(request, form, cohort=None):
    context = {"form": form, "cohort": cohort}
    return render(request, "boards/cohort_form.html", context, status=422 if form.errors else 200)


@login_required
@permission_required("engagements.add_cohort", raise_exception=True)
def cohort_create(request):
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cohort saved. Add its fellows next."))
            return redirect(cohort)
    return _cohort_form_page(request, form)


@login_required
@permission_required("engagements.change_cohort", raise_exception=True)
def cohort_edit(request, pk):
    cohort = cohort_managed_by(request.user, pk)
    form = CohortForm(request.POST or None, user=request.user, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect(cohort)
    return _cohort_form_page(request, form, cohort)


# The badge colour of an application's stage on the cohort page.
_STAGE_BADGES = {Stage.APPOINTED: "success", Stage.NOT_APPOINTED: "secondary", Stage.WITHDREW: "secondary"}


@login_required
@permission_required("engagements.view_cohort", raise_exception=True)
@require_safe
def cohort_detail(request, pk):
    """A cohort: its conversion figures, fellows (sessions attended, interests, where each
    application stands), sessions, and who the pipeline reaches against who serves today."""
    cohort = cohort_for_user(request.user, pk)
    stage_labels = choice_labels(Stage.choices)
    fellow_url = pk_url("boards:fellow_detail")
    fellows = fellow_rows(cohort)
    for fellow in fellows:
        fellow.detail_url = fellow_url(fellow.pk)
        for application in fellow.applications:
            application["label"] = stage_labels[application["stage"]]
            application["badge"] = _STAGE_BADGES.get(application["stage"], "info")
    session_url = pk_url("engagements:detail")
    sessions = [
        {**row, "url": session_url(row["pk"])}
        for row in cohort.sessions.order_by("starts_at").values("pk", "title", "starts_at")
    ]
    tables, minimum = pipeline_equity(cohort)
    context = {
        "cohort": cohort,
        "fellows": fellows,
        "sessions": sessions,
        "conversion": conversions([cohort.pk], timezone.localdate())[cohort.pk],
        "equity_tables": tables,
        "minimum": minimum,
        # The same words as the template's {% blocktranslate %}, translated once rather than per hidden cell.
        "fewer_than_minimum": _("fewer than %(minimum)s") % {"minimum": minimum},
        "can_manage": can_manage_cohort(request.user, cohort),
    }
    return render(request, "boards/cohort_detail.html", context)


@login_required
@permission_required("engagements.view_cohort", raise_exception=True)
@require_safe
def cohort_pipeline(request, pk):
    """The pipeline board: a column per stage, a card per application, each card moved by a
    plain form (keyboard and screen reader alike), and the same applications as a table."""
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)  # no coordinators shown here
    lead_days = ReminderSettings.load().term_end_lead_days
    labels = choice_labels(Stage.choices)
    fellow_url = pk_url("boards:fellow_detail")
    move_url = pk_url("boards:application_move")
    board_url = pk_url("boards:board_detail")
    # Each card's phrases, translated once per page and filled in per card.
    since, deadline, term_ends = _("since %(date)s"), _("deadline %(date)s"), _("term ends %(date)s")
    move_label = _("Move %(name)s (%(board)s) to")
    next_options = {
        stage: [(next_stage, labels[next_stage]) for next_stage in BoardApplication.NEXT_STAGES[stage]]
        for stage in Stage.values
    }
    columns = []
    rows = []
    for stage, cards in pipeline_cards(cohort).items():
        for card in cards:
            card["name"] = person_name(card["first_name"], card["preferred_name"], card["last_name"])
            card["fellow_url"] = fellow_url(card["fellow_id"])
            card["board_url"] = board_url(card["board_id"])
            card["move_url"] = move_url(card["pk"])
            card["stage_label"] = labels[stage]
            card["next"] = next_options[stage]
            card["reminder_on"] = reminder_date(card["planned_end"], lead_days)
            card["stage_date"] = date_format(card["stage_changed_on"], "SHORT_DATE_FORMAT")
            card["planned_date"] = date_format(card["planned_end"], "SHORT_DATE_FORMAT") if card["planned_end"] else ""
            card["reminder_date"] = date_format(card["reminder_on"], "SHORT_DATE_FORMAT") if card["reminder_on"] else ""
            card["since_text"] = since % {"date": card["stage_date"]}
            if card["vacancy_deadline"] and stage != Stage.APPOINTED:
                card["deadline_text"] = deadline % {"date": date_format(card["vacancy_deadline"], "SHORT_DATE_FORMAT")}
            if card["seat_title"]:
                card["term_text"] = term_ends % {"date": card["planned_date"]}
            card["move_label"] = move_label % {"name": card["name"], "board": card["board_name"]}
            rows.append(card)
        columns.append({"stage": stage, "label": labels[stage], "cards": cards})
    context = {
        "cohort": cohort,
        "columns": columns,
        "rows": rows,
        "can_manage": can_manage_cohort(request.user, cohort),
        "today_iso": timezone.localdate().isoformat(),
        "here": quote(request.path),
        "path": request.path,
        "lead_days": lead_days,
    }
    return render(request, "boards/cohort_pipeline.html", context)


@login_required
@permission_required("engagements.add_fellow", raise_exception=True)
def fellow_add(request, pk):
    cohort = cohort_managed_by(request.user, pk)
    search = request.GET.get("q", "")[:100]
    form = FellowAddForm(request.POST or None, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            fellow = services.fellow_add(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(person)s added to the cohort.") % {"person": fellow.person})
            return redirect(cohort)
    context = {"form": form, "cohort": cohort, "search": search}
    return render(request, "boards/fellow_add.html", context, status=422 if form.errors else 200)


def _fellow_page(request, fellow, *, fellow_form=None, application_form=None, status=200):
    lead_days = ReminderSettings.load().term_end_lead_days
    applications = list(
        fellow.applications.select_related("board", "vacancy__seat", "tenure__position")
        .prefetch_related("stage_changes__changed_by")
        .order_by("pk")
    )
    for application in applications:
        application.reminder_on = reminder_date(
            application.tenure.planned_end_date if application.tenure else None, lead_days
        )
    can_manage = can_manage_cohort(request.user, fellow.cohort)
    context = {
        "fellow": fellow,
        "applications": applications,
        "can_manage": can_manage,
        "fellow_form": fellow_form
        or FellowForm(
            prefix="fellow",
            initial={"interests": [board.pk for board in fellow.interests.all()], "notes": fellow.notes},
        ),
        "application_form": application_form or ApplicationForm(prefix="application"),
        "lead_days": lead_days,
    }
    return render(request, "boards/fellow_detail.html", context, status=status)


@login_required
@permission_required("engagements.view_cohort", raise_exception=True)
@require_safe
def fellow_detail(request, pk):
    """A fellow: their boards of interest, each application with its steps, and (for those
    who manage the cohort) forms to change interests and add an application."""
    return _fellow_page(request, fellow_for_user(request.user, pk))


def _managed_fellow(request, pk):
    fellow = fellow_for_user(request.user, pk)
    cohort_managed_by(request.user, fellow.cohort_id)
    return fellow


@login_required
@permission_required("engagements.change_fellow", raise_exception=True)
def fellow_edit(request, pk):
    fellow = _managed_fellow(request, pk)
    if request.method != "POST":
        return redirect(fellow)
    form = FellowForm(request.POST, prefix="fellow")
    if form.is_valid():
        services.fellow_update(fellow=fellow, **form.cleaned_data)
        messages.success(request, _("Fellow saved."))
        return redirect(fellow)
    return _fellow_page(request, fellow, fellow_form=form, status=422)


@login_required
@permission_required("engagements.add_boardapplication", raise_exception=True)
def application_create(request, pk):
    fellow = _managed_fellow(request, pk)
    if request.method != "POST":
        return redirect(fellow)
    form = ApplicationForm(request.POST, prefix="application")
    if form.is_valid():
        try:
            services.application_create(fellow=fellow, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Application added."))
            return redirect(fellow)
    return _fellow_page(request, fellow, application_form=form, status=422)


def _back(request, application) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return application.fellow.get_absolute_url()


@login_required
@permission_required("engagements.change_boardapplication", raise_exception=True)
def application_move(request, pk):
    """Move an application to its next stage (from a kanban card or this page). Appointing
    starts the fellow's tenure of the vacancy's seat and fills the vacancy."""
    application = application_for_user(request.user, pk)
    cohort_managed_by(request.user, application.fellow.cohort_id)
    form = MoveForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_move(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _announce(request, application)
            return redirect(_back(request, application))
    context = {"form": form, "application": application, "next": _back(request, application)}
    return render(request, "boards/application_move.html", context, status=422 if form.errors else 200)


def _announce(request, application: BoardApplication) -> None:
    person = application.fellow.person
    if application.stage != Stage.APPOINTED:
        label = dict(Stage.choices)[application.stage]
        messages.success(request, _("%(person)s: %(stage)s.") % {"person": person, "stage": label})
        return
    tenure = application.tenure
    lead_days = ReminderSettings.load().term_end_lead_days
    messages.success(
        request,
        _(
            "%(person)s appointed to %(seat)s from %(start)s. The term ends on %(end)s; the cohort's "
            "coordinators will be reminded on %(reminder)s to seek re-appointment or a successor."
        )
        % {
            "person": person,
            "seat": tenure.position.title,
            "start": tenure.start_date.isoformat(),
            "end": tenure.planned_end_date.isoformat(),
            "reminder": reminder_date(tenure.planned_end_date, lead_days).isoformat(),
        },
    )
