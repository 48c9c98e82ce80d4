import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.models import User
from stakeholders.rows import choice_labels, pk_url

from ..filters.followups import FollowUpFilter
from ..forms.followups import (
    DigestPreferenceForm,
    FollowUpForm,
    HandoverForm,
    ReminderSettingsForm,
    SnoozeForm,
)
from ..models import DigestPreference, FollowUp, ReminderSettings
from ..selectors.followups import (
    followup_for_user,
    followup_open_count,
    followup_subject_for_user,
    followups_inbox,
    followups_visible_to,
    handovers_visible_to,
)
from ..services import followups as services

PAGE_SIZE = 50
SNOOZE_DAYS = 7


@login_required
def followup_list(request):
    today = timezone.localdate()
    followup_filter = FollowUpFilter(request.GET, queryset=followups_visible_to(request.user))
    page = Paginator(followups_inbox(followup_filter.qs, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _rows(page.object_list, today=today)
    template = "engagements/followup_list.html"
    if request.htmx:
        template += "#results"
    preference = DigestPreference.objects.filter(user=request.user).first()
    digest_on = preference is None or preference.email_digest
    return render(
        request,
        template,
        {
            "filter": followup_filter,
            "page": page,
            "today": today,
            "snooze_until": (today + datetime.timedelta(days=SNOOZE_DAYS)).isoformat(),
            "digest_form": DigestPreferenceForm(initial={"email_digest": digest_on}),
        },
    )


def _rows(followups, *, today: datetime.date) -> list[dict]:
    """What an inbox row shows, with its links and labels worked out once per page."""
    done_url = pk_url("engagements:followup_done")
    snooze_url = pk_url("engagements:followup_snooze")
    dismiss_url = pk_url("engagements:followup_dismiss")
    reason_labels = choice_labels(FollowUp.Reason.choices)
    status_labels = choice_labels(FollowUp.Status.choices)
    actionable = {FollowUp.Status.OPEN, FollowUp.Status.SNOOZED}
    return [
        {
            "pk": followup.pk,
            "title": followup.title,
            "notes": followup.notes,
            "subject_url": followup.subject_url,
            "reason": reason_labels.get(followup.reason, followup.reason),
            "due_on": followup.due_on,
            "overdue": followup.status == FollowUp.Status.OPEN and followup.due_on < today,
            "status": status_labels.get(followup.status, followup.status),
            "snoozed_until": followup.snoozed_until if followup.status == FollowUp.Status.SNOOZED else None,
            "closed": followup.status not in actionable,
            "done_url": done_url(followup.pk),
            "snooze_url": snooze_url(followup.pk),
            "dismiss_url": dismiss_url(followup.pk),
        }
        for followup in followups
    ]


@login_required
def followup_count(request):
    """The navigation badge, loaded by htmx after the page so other pages pay no query for it."""
    return render(
        request,
        "engagements/followup_list.html#count",
        {"open_count": followup_open_count(request.user, today=timezone.localdate())},
    )


def _row_response(request, followup):
    """After a one-click action: the row again (htmx) plus the new count, or back to the inbox."""
    if request.htmx:
        today = timezone.localdate()
        return render(
            request,
            "engagements/followup_list.html#row_changed",
            {
                "followup": _rows([followup], today=today)[0],
                "snooze_until": (today + datetime.timedelta(days=SNOOZE_DAYS)).isoformat(),
                "open_count": followup_open_count(request.user, today=today),
            },
        )
    return redirect("engagements:followup_list")


@login_required
@require_POST
def followup_done(request, pk):
    followup = followup_for_user(request.user, pk)
    services.followup_done(followup=followup)
    if not request.htmx:
        messages.success(request, _("Marked done."))
    return _row_response(request, followup)


@login_required
@require_POST
def followup_dismiss(request, pk):
    followup = followup_for_user(request.user, pk)
    services.followup_dismiss(followup=followup)
    if not request.htmx:
        messages.success(request, _("Dismissed."))
    return _row_response(request, followup)


@login_required
@require_POST
def followup_snooze(request, pk):
    followup = followup_for_user(request.user, pk)
    form = SnoozeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.followup_snooze(followup=followup, until=form.cleaned_data["until"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("engagements:followup_list")
    if not request.htmx:
        messages.success(request, _("Snoozed until %(date)s.") % {"date": form.cleaned_data["until"]})
    return _row_response(request, followup)


@login_required
def followup_create(request, model_label, object_pk):
    subject = followup_subject_for_user(request.user, model_label=model_label, pk=object_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(
                actor=request.user,
                subject=subject,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Follow-up added to your inbox."))
            return redirect("engagements:followup_list")
    return render(request, "engagements/followup_form.html", {"form": form, "subject": subject})


@login_required
@require_POST
def digest_preference(request):
    form = DigestPreferenceForm(request.POST)
    form.is_valid()
    services.digest_preference_set(user=request.user, email_digest=form.cleaned_data.get("email_digest", False))
    if form.cleaned_data.get("email_digest"):
        messages.success(request, _("You will get a daily email digest of new follow-ups."))
    else:
        messages.success(request, _("The daily email digest is off."))
    return redirect("engagements:followup_list")


@login_required
@permission_required("engagements.add_handover", raise_exception=True)
def handover(request):
    # Whoever holds work can hand it over; deactivated users first.
    departed = User.objects.filter(pk__in=services.users_with_open_work()).order_by(
        "is_active", "last_name", "first_name", "username"
    )
    successors = User.objects.filter(is_active=True)
    form = HandoverForm(request.POST or None, departed=departed, successors=successors)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.handover_run(
                from_user=form.cleaned_data["from_user"], to_user=form.cleaned_data["to_user"], by=request.user
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Handed over %(count)s records from %(from)s to %(to)s.")
                % {"count": record.total, "from": record.from_user, "to": record.to_user},
            )
            return redirect("engagements:handover")
    history = handovers_visible_to(request.user)[:20]
    return render(
        request,
        "engagements/followup_handover.html",
        {"form": form, "history": history, "steps": services.HANDOVER_STEPS},
    )


@login_required
@permission_required("engagements.change_remindersettings", raise_exception=True)
def reminder_settings(request):
    config = ReminderSettings.load()
    form = ReminderSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_update(
                config=ReminderSettings.load(), **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Reminder settings saved. The daily scan runs at the new time."))
            return redirect("engagements:reminder_settings")
    return render(request, "engagements/followup_settings.html", {"form": form})
