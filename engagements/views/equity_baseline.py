"""The census baseline import (upload, preview, confirm) and the equity dashboard's settings. Admins only.

Between the preview and the confirmation the uploaded file waits in the import
folder of ``stakeholders.importing`` under a random token that only the
uploader's session knows, with the file's SHA-256 digest. The confirmation posts
that digest back, so it imports exactly the file that was previewed; it checks
the file again before saving, and claims the file by deleting it, so that a
second (or simultaneous) confirmation cannot import it twice.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders import importing
from stakeholders.forms.base import add_service_errors

from ..forms.equity_baseline import BaselineUploadForm, EquitySettingsForm
from ..models import BaselineRow, CensusBaseline, EquitySettings
from ..services import baseline as services

PENDING_KEY = "equity-baseline-preview"  # {"token", "digest", "name", "file_name"}
IMPORTED_KEY = "equity-baseline-imported"  # digest of the last file this session imported
PREVIEW_ROWS = 50
ROWS_PER_PAGE = 100


def _current_baseline():
    return (
        CensusBaseline.objects.filter(is_current=True)
        .select_related("imported_by")
        .annotate(row_count=Count("rows"))
        .first()
    )


def _baseline_rows(baseline):
    kinds = dict(BaselineRow.GeographyKind.choices)
    rows = (
        BaselineRow.objects.filter(baseline=baseline)
        .order_by(
            "geography_kind",
            "geography",
            "option__category__position",
            "option__category__name",
            "option__position",
            "option__label",
        )
        .values("geography_kind", "geography", "option__category__name", "option__label", "population")
    )
    return rows, kinds


def _import_page(request, form, status=200):
    """The baseline in use (its rows a page at a time), the upload form and the file format."""
    baseline = _current_baseline()
    page = None
    if baseline is not None:
        rows, kinds = _baseline_rows(baseline)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = [
            {
                "geography": row["geography"] or kinds[row["geography_kind"]],
                "kind": kinds[row["geography_kind"]],
                "category": f"{row['option__category__name']}: {row['option__label']}",
                "population": row["population"],
            }
            for row in page.object_list
        ]
    context = {
        "form": form,
        "baseline": baseline,
        "page": page,
        "max_size": services.MAX_FILE_BYTES,
        "max_rows": services.MAX_ROWS,
        "headers": ",".join(services.HEADERS),
        "example": services.EXAMPLE_CSV,
    }
    return render(request, "engagements/baseline_import.html", context, status=status)


def _show_problems(form, parse) -> None:
    for problem in parse.problems:
        form.add_error("file", problem.message)
    if parse.more_problems:
        form.add_error(
            "file",
            _("There are %(count)s more problems. Correct these and upload the file again to see the rest.")
            % {"count": parse.more_problems},
        )


def _discard_pending(request) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        importing.discard_upload(pending.get("token", ""))


@login_required
@permission_required("engagements.add_censusbaseline", raise_exception=True)
def baseline_import(request):
    """The baseline in use and the upload form; a posted file is checked and previewed, nothing is saved."""
    if request.method != "POST":
        return _import_page(request, BaselineUploadForm())
    form = BaselineUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=422)
    upload = form.cleaned_data["file"]
    parse = services.baseline_parse(file=upload)
    if not parse.ok:
        _show_problems(form, parse)
        return _import_page(request, form, status=422)
    _discard_pending(request)
    request.session[PENDING_KEY] = {
        "token": importing.store_upload(parse.content),
        "digest": parse.digest,
        "name": form.cleaned_data["name"],
        "file_name": upload.name or "",
    }
    return _preview_page(request, parse, name=form.cleaned_data["name"], file_name=upload.name or "")


def _preview_page(request, parse, *, name: str, file_name: str):
    context = {
        "parse": parse,
        "name": name,
        "file_name": file_name,
        "row_count": len(parse.rows),
        "first_rows": parse.rows[:PREVIEW_ROWS],
        "by_geography": parse.by_geography(),
        "by_category": parse.by_category(),
        "current": _current_baseline(),
    }
    return render(request, "engagements/baseline_preview.html", context)


@login_required
@permission_required("engagements.add_censusbaseline", raise_exception=True)
@require_POST
def baseline_confirm(request):
    """Import the previewed file, checked again, all rows or none; never the same upload twice."""
    pending = request.session.get(PENDING_KEY)
    digest = request.POST.get("digest", "")
    if not pending or pending.get("digest") != digest:
        if digest and digest == request.session.get(IMPORTED_KEY):
            messages.info(request, _("This file has already been imported. Nothing was imported twice."))
        elif pending:
            messages.warning(
                request, _("A newer file was uploaded since this preview. Check its preview before importing it.")
            )
        else:
            messages.info(request, _("There is nothing to import. Upload a file to preview it first."))
        return redirect("equity:baseline")
    content = importing.load_upload(pending.get("token", ""))
    if content is None:
        request.session.pop(PENDING_KEY, None)
        messages.warning(request, _("The previewed file is no longer kept. Upload it again."))
        return redirect("equity:baseline")
    kept = ContentFile(content, name=pending.get("file_name") or "baseline.csv")
    form = BaselineUploadForm({"name": pending.get("name", "")}, {"file": kept})
    form.is_valid()
    parse = services.baseline_parse(file=kept)
    if not parse.ok:
        # Neighborhoods or categories changed since the preview.
        _discard_pending(request)
        _show_problems(form, parse)
        return _import_page(request, form, status=422)
    if not _claim(pending["token"]):
        messages.info(request, _("This file has already been imported. Nothing was imported twice."))
        return redirect("equity:baseline")
    try:
        baseline = services.baseline_import(
            actor=request.user, name=pending.get("name", ""), file_name=pending.get("file_name", ""), rows=parse.rows
        )
    except ValidationError as error:
        request.session.pop(PENDING_KEY, None)
        add_service_errors(form, error)
        return _import_page(request, form, status=422)
    request.session.pop(PENDING_KEY, None)
    request.session[IMPORTED_KEY] = parse.digest
    messages.success(
        request,
        _("Baseline “%(name)s” imported with %(count)s rows. The equity dashboard now compares with it.")
        % {"name": baseline.name, "count": len(parse.rows)},
    )
    return redirect("equity:baseline")


def _claim(token: str) -> bool:
    """Take the kept file for this request only: deleting it succeeds once, whoever asks at the same time."""
    try:
        (importing.UPLOAD_DIR / f"{token}.csv").unlink()
    except FileNotFoundError:
        return False
    return True


@login_required
@permission_required("engagements.change_equitysettings", raise_exception=True)
def equity_settings(request):
    """The dashboard's smallest count shown and its under-heard ratio."""
    form = EquitySettingsForm(request.POST or None, instance=EquitySettings.current())
    if request.method == "POST":
        if form.is_valid():
            try:
                services.equity_settings_update(
                    actor=request.user,
                    minimum_cell=form.cleaned_data["minimum_cell"],
                    under_heard_ratio=form.cleaned_data["under_heard_ratio"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Equity settings saved. The dashboard uses them from now on."))
                return redirect("equity:settings")
        return render(request, "engagements/equity_settings.html", {"form": form}, status=422)
    return render(request, "engagements/equity_settings.html", {"form": form})
