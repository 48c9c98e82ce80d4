from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.forms.base import add_service_errors
from stakeholders.models import RetentionRun, RetentionSettings

from ..forms.retention import RetentionSettingsForm
from ..services import retention as services

RUNS_SHOWN = 10


@login_required
@permission_required("stakeholders.change_retentionsettings", raise_exception=True)
def retention_settings(request):
    """How long each kind of record is kept; "Apply now" runs the nightly clean-up at once."""
    if request.method == "POST" and request.POST.get("action") == "apply":
        # Synchronous: the deletes go in batches of a few thousand rows, and the admin wants
        # to see what went. The nightly task runs the same service.
        run = services.retention_apply(actor=request.user)
        if run.total:
            messages.success(
                request,
                ngettext(
                    "Clean-up done: %(count)d record removed. The table shows each kind.",
                    "Clean-up done: %(count)d records removed. The table shows each kind.",
                    run.total,
                )
                % {"count": run.total},
            )
        else:
            messages.success(request, _("Clean-up done: nothing was old enough to remove."))
        return redirect("engagements:retention")

    form = RetentionSettingsForm(request.POST or None, instance=RetentionSettings.current())
    if request.method == "POST":
        if form.is_valid():
            try:
                services.retention_settings_update(
                    actor=request.user, values={name: form.cleaned_data[name] for name in form.Meta.fields}
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Retention settings saved. The next clean-up applies them."))
                return redirect("engagements:retention")
        return _page(request, form, status=422)
    return _page(request, form)


def _page(request, form, *, status=200):
    runs = []
    if request.user.has_perm("stakeholders.view_retentionrun"):
        for run in RetentionRun.objects.select_related("triggered_by")[:RUNS_SHOWN]:
            run.counts = [run.removed.get(kind.key, 0) for kind in services.RETENTION_KINDS]
            runs.append(run)
    context = {"form": form, "runs": runs, "kinds": services.RETENTION_KINDS}
    return render(request, "engagements/retention_settings.html", context, status=status)
