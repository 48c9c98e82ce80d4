"""Pages for engagements: the quick log, the list, a record, publishing and the public page."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from stakeholders.exports import safe_cell as csv_safe
from stakeholders.forms.base import add_service_errors
from stakeholders.language_names import language_names
from stakeholders.models import Person
from stakeholders.rows import choice_labels, pk_url
from stakeholders.security_log import Action, security_event_record

from ..filters.engagements import EngagementFilter
from ..forms.engagements import (
    FORMSETS,
    AttendeeQuickAddForm,
    PublicSummaryForm,
    QuickLogForm,
    RowChoices,
    formset_initial,
    link_answers,
    new_log_initial,
)
from ..models import Engagement
from ..selectors.assessments import published_assessment
from ..selectors.engagements import (
    attendee_candidates,
    attendees_pickable_by,
    can_edit_engagement,
    drafts_of,
    engagement_detail_for,
    engagement_for_edit,
    engagement_for_user,
    engagement_list_for,
    engagement_rows,
    organization_for_panel,
    person_for_panel,
    published_engagement,
)
from ..services import engagements as services

PAGE_SIZE = 50
QUICK_LOG = "engagements/engagement_quick_log.html"
# Service errors about these keys belong next to these form fields.
_FIELD_FOR_ERROR = {"starts_at": "start_time", "ends_at": "end_time"}


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
def quick_log(request, pk=None):
    """Log a whole session in one submission, resume a draft, or edit a logged engagement."""
    engagement = engagement_for_edit(request.user, pk) if pk is not None else None
    choices = RowChoices()
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = QuickLogForm(request.POST, user=request.user, engagement=engagement)
        formsets = {
            kind: formset_class(request.POST, prefix=kind, form_kwargs={"choices": choices})
            for kind, formset_class in FORMSETS.items()
        }
        # Validate every part, so each problem shows at once, not one part at a time.
        results = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        valid = all(results) and link_answers(formsets["input"], formsets["commitment"])
        if valid:
            draft = request.POST.get("action") == "draft" and (engagement is None or engagement.is_draft)
            try:
                engagement = _save(
                    request.user,
                    engagement,
                    form.cleaned_data,
                    formsets,
                    draft=draft,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    field = _FIELD_FOR_ERROR.get(key, key)
                    if field in form.fields or field == NON_FIELD_ERRORS:
                        form.add_error(None if field == NON_FIELD_ERRORS else field, problems)
                    else:
                        section_errors.setdefault(key, []).extend(problems)
            else:
                if engagement.is_draft:
                    messages.success(request, _("Draft saved. Find it under “Your drafts” to finish it."))
                    return _quick_log_done(request, reverse("engagements:drafts"))
                messages.success(request, _("“%(title)s” is logged.") % {"title": engagement})
                return _quick_log_done(request, engagement.get_absolute_url())
    else:
        form_kwargs = {} if engagement is not None else {"initial": new_log_initial()}
        form = QuickLogForm(user=request.user, engagement=engagement, **form_kwargs)
        initial = formset_initial(engagement)
        formsets = {
            kind: formset_class(prefix=kind, initial=initial[kind], form_kwargs={"choices": choices})
            for kind, formset_class in FORMSETS.items()
        }
    context = {
        "form": form,
        "formsets": formsets,
        "engagement": engagement,
        "section_errors": section_errors,
        "selected_attendees": _selected_attendees(request.user, form),
        "quick_add": AttendeeQuickAddForm(prefix="qa"),
        "draft_count": drafts_of(request.user).count() if engagement is None else 0,
    }
    return render(request, QUICK_LOG, context)


def _quick_log_done(request, url: str) -> HttpResponse:
    """Where to go after a save. The page's script submits with ``fetch`` and follows no
    redirect (a redirect it gets means the sign-in has ended), so it is told in JSON."""
    if request.headers.get("X-Quick-Log") == "fetch":
        return JsonResponse({"location": url})
    return redirect(url)


def _save(user, engagement, data, formsets, *, draft, submission_key=None):
    details = services.EngagementDetails(
        **{name: data[name] for name in services.EngagementDetails.__dataclass_fields__}
    )
    rows = {
        "breakdowns": [
            services.BreakdownRow(option_id=row["option"], count=row["count"])
            for row in formsets["breakdown"].filled_rows()
        ],
        "input_items": [
            services.InputItemRow(
                text=row["text"], theme_ids=row["themes"], count_raised=row["count_raised"], id=row["id"]
            )
            for row in formsets["input"].filled_rows()
        ],
        "commitments": [
            services.CommitmentRow(
                description=row["description"],
                owner_id=row["owner"],
                department_id=row["department"],
                due_on=row["due_on"],
                answers=row["answers"],
                id=row["id"],
            )
            for row in formsets["commitment"].filled_rows()
        ],
        "attendee_ids": [person.pk for person in data["attendees"]],
    }
    if engagement is not None and not engagement.is_draft:
        return services.engagement_update(actor=user, engagement=engagement, details=details, **rows)
    return services.engagement_log(
        actor=user, engagement=engagement, details=details, draft=draft, submission_key=submission_key, **rows
    )


def _selected_attendees(user, form) -> list[Person]:
    raw = form["attendees"].value() or []
    ids = [int(value) for value in raw if str(value).isdigit()]
    return list(attendees_pickable_by(user).filter(pk__in=ids)) if ids else []


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
@require_GET
def quick_log_row(request, kind):
    """One empty row of a repeating part of the quick log (htmx), numbered after the rows already there."""
    formset_class = FORMSETS.get(kind)
    if formset_class is None:
        raise Http404
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, formset_class.absolute_max - 1))
    formset = formset_class(prefix=kind, form_kwargs={"choices": RowChoices()})
    row = formset._construct_form(index, **formset.get_form_kwargs(index))
    return render(request, f"{QUICK_LOG}#new_row", {"row": row, "kind": kind, "total": index + 1})


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
@require_GET
def attendee_search(request):
    """People matching what was typed, to pick as named attendees (htmx, search as you type)."""
    query = request.GET.get("attendee_q", "")
    people = attendee_candidates(request.user, query)
    return render(request, f"{QUICK_LOG}#attendee_results", {"people": people, "query": query})


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
@require_GET
def attendee_chip(request, pk):
    """A picked attendee as a removable chip carrying a hidden ``attendees`` input (htmx)."""
    person = attendees_pickable_by(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return render(request, f"{QUICK_LOG}#attendee_chip", {"person": person})


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
@require_POST
def attendee_quick_add(request):
    """Create a person met at the session and add them as an attendee chip (htmx).

    On a problem, the quick-add fields come back with the errors next to them.
    """
    form = AttendeeQuickAddForm(request.POST, prefix="qa")
    if form.is_valid():
        try:
            person = services.attendee_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        else:
            return render(
                request,
                f"{QUICK_LOG}#attendee_added",
                {"person": person, "quick_add": AttendeeQuickAddForm(prefix="qa")},
            )
    response = render(request, f"{QUICK_LOG}#quick_add", {"quick_add": form})
    return reswap(retarget(response, "#quick-add"), "outerHTML")


@login_required
@permission_required("engagements.add_engagement", raise_exception=True)
def draft_list(request):
    """The user's unfinished logs, to resume."""
    return render(request, "engagements/engagement_drafts.html", {"drafts": drafts_of(request.user)})


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_list(request):
    """Engagements the user may see, filtered; as CSV with ``?format=csv``."""
    engagement_filter = EngagementFilter(request.GET, queryset=engagement_list_for(request.user), user=request.user)
    if request.GET.get("format") == "csv":
        security_event_record(
            action=Action.EXPORTED,
            request=request,
            detail={"export": "engagements", "query": request.GET.urlencode()[:500]},
        )
        return _csv(engagement_filter.qs)
    page = Paginator(engagement_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows(engagement_rows(page.object_list))
    template = "engagements/engagement_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": engagement_filter, "page": page})


def _rows(engagements) -> list[dict]:
    detail_url = pk_url("engagements:detail")
    kind_labels = choice_labels(Engagement.Kind.choices)
    return [
        {
            "url": detail_url(row["pk"]),
            "title": row["title"],
            "kind": kind_labels.get(row["kind"], row["kind"]),
            "starts_at": row["starts_at"],
            "neighborhood": row["neighborhood_name"] or "",
            "languages": ", ".join(language_names(row["language_names"])),
            "hosts": ", ".join(row["host_names"]),
            "attendance_total": row["attendance_total"],
            "commitment_count": row["commitment_count"],
        }
        for row in engagements
    ]


def _csv(engagements) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="engagements.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("Title"),
            _("Neighborhood"),
            _("Location"),
            _("Languages"),
            _("Hosts"),
            _("Departments"),
            _("Coalition"),
            _("How many came"),
            _("Commitments"),
            _("Summary"),
        ]
    )
    for engagement in engagements:
        starts_at = timezone.localtime(engagement.starts_at) if engagement.starts_at else None
        writer.writerow(
            csv_safe(cell)
            for cell in [
                starts_at.strftime("%Y-%m-%d %H:%M") if starts_at else "",
                engagement.get_kind_display(),
                engagement.title,
                engagement.neighborhood or "",
                engagement.location,
                "; ".join(str(lang) for lang in engagement.languages.all()),
                "; ".join(org.name for org in engagement.host_organizations.all()),
                "; ".join(dept.name for dept in engagement.departments.all()),
                engagement.coalition or "",
                engagement.attendance_total,
                engagement.commitment_count,
                engagement.summary,
            ]
        )
    return response


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_detail(request, pk):
    """Everything recorded about one engagement."""
    engagement = engagement_detail_for(request.user, pk)
    if engagement.is_draft:
        return redirect("engagements:resume", pk=engagement.pk)
    return _render_detail(request, engagement)


def _render_detail(request, engagement: Engagement, summary_form: PublicSummaryForm | None = None):
    can_publish = request.user.has_perm("engagements.publish_engagement")
    if can_publish and summary_form is None:
        summary_form = PublicSummaryForm(initial={"summary_es": engagement.summary_es})
    context = {
        "engagement": engagement,
        "can_edit": can_edit_engagement(request.user, engagement),
        "can_publish": can_publish,
        "summary_form": summary_form,
        "public_url": request.build_absolute_uri(engagement.get_public_url()) if engagement.is_published else "",
    }
    return render(request, "engagements/engagement_detail.html", context)


@login_required
@permission_required("engagements.publish_engagement", raise_exception=True)
@require_POST
def engagement_public_summary(request, pk):
    """Save the Spanish version of the summary that the public page shows to Spanish readers."""
    engagement = engagement_for_user(request.user, pk)
    form = PublicSummaryForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_public_summary_set(
                actor=request.user, engagement=engagement, summary_es=form.cleaned_data["summary_es"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The Spanish summary is saved."))
            return redirect("engagements:detail", pk=engagement.pk)
    engagement = engagement_detail_for(request.user, pk)
    return _render_detail(request, engagement, summary_form=form)


@login_required
@permission_required("engagements.publish_engagement", raise_exception=True)
@require_POST
def engagement_publish(request, pk):
    """Put the "You said, we did" page online."""
    engagement = engagement_for_user(request.user, pk)
    try:
        services.engagement_publish(actor=request.user, engagement=engagement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The public page is online. Share its address with the community."))
    return redirect("engagements:detail", pk=engagement.pk)


@login_required
@permission_required("engagements.publish_engagement", raise_exception=True)
@require_POST
def engagement_unpublish(request, pk):
    """Take the public page down."""
    engagement = engagement_for_user(request.user, pk)
    services.engagement_unpublish(actor=request.user, engagement=engagement)
    messages.success(request, _("The public page is down."))
    return redirect("engagements:detail", pk=engagement.pk)


def public_page(request, token):
    """ "You said, we did": what was heard and what happened, without anyone's name. No sign-in."""
    engagement = published_engagement(token)
    themes: dict[str, int] = {}
    for item in engagement.input_items.all():
        for theme in item.themes.all():
            themes[theme.name] = themes.get(theme.name, 0) + item.count_raised
    for commitment in engagement.commitments.all():
        commitment.public_assessment = published_assessment(commitment)  # drafts and reviewed ones stay inside
    context = {
        "engagement": engagement,
        "themes": sorted(themes.items(), key=lambda pair: (-pair[1], pair[0])),
        "records_language": settings.LANGUAGE_CODE,  # what staff type in
    }
    return render(request, "engagements/engagement_public.html", context)


@login_required
def person_panel(request, pk):
    """Fragment for a person's page: engagements they attended or facilitated, and last contact."""
    person, engagements = person_for_panel(request.user, pk)
    return render(
        request,
        "engagements/engagement_panel.html",
        {"engagements": engagements[:20], "last_contact_on": person.last_contact_on, "subject": person},
    )


@login_required
def organization_panel(request, pk):
    """Fragment for an organization's page: engagements it hosted, and when it last hosted one."""
    organization, engagements = organization_for_panel(request.user, pk)
    latest = engagements.exclude(starts_at=None).order_by("-starts_at").values_list("starts_at", flat=True).first()
    return render(
        request,
        "engagements/engagement_panel.html",
        {
            "engagements": engagements[:20],
            "last_contact_on": timezone.localdate(latest) if latest else None,
            "subject": organization,
        },
    )
