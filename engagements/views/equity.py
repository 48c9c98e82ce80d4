"""The equity dashboard: who we heard from, who we did not, against who lives here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stakeholders.exports import csv_response

from ..filters.equity import EquityFilter
from ..selectors.equity import dashboard_engagements, equity_dashboard

EQUITY_READ = ("engagements.view_equityassessment", "engagements.view_all_engagements")


def _dashboard_for(request):
    equity_filter = EquityFilter(request.GET or None, queryset=dashboard_engagements(request.user))
    if not equity_filter.is_valid():
        for name in equity_filter.form.errors:
            if name in equity_filter.form.fields:  # the message under the field describes it
                equity_filter.form.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"
        return equity_filter, None
    data = equity_filter.form.cleaned_data
    dashboard = equity_dashboard(
        equity_filter.qs,
        period=equity_filter.period(),
        trend_category=data.get("trend"),
        geography_kind=data.get("geography") or "",
    )
    return equity_filter, dashboard


@login_required
@permission_required(EQUITY_READ, raise_exception=True)
@require_GET
def dashboard(request):
    """Reach by language, place, age band and every admin-defined category, its quarterly
    trend, and the share heard against the census baseline, for the chosen engagements."""
    equity_filter, figures = _dashboard_for(request)
    context = {
        "filter": equity_filter,
        "dashboard": figures,
        "charts": _charts(figures) if figures else {},
        "query": request.GET.urlencode(),
        "can_import_baseline": request.user.has_perm("engagements.add_censusbaseline"),
        "can_change_settings": request.user.has_perm("engagements.change_equitysettings"),
    }
    template = "engagements/equity_dashboard.html"
    if request.htmx:
        template += "#figures"
    return render(request, template, context, status=200 if figures else 422)


def _charts(figures) -> dict:
    charts = {f"reach-{reach.category.pk}": {**reach.chart, "label": _("People")} for reach in figures.categories}
    charts["trend"] = figures.trend.chart
    return charts


def _cell(cell) -> str | int:
    return cell.count if not cell.suppressed else _("suppressed")


@login_required
@permission_required(EQUITY_READ, raise_exception=True)
@require_GET
def dashboard_csv(request, section):
    """One of the dashboard's tables as CSV, with the same numbers (and the same suppressed cells) as the page."""
    if section not in ("reach", "trend", "representation"):
        raise Http404
    equity_filter, figures = _dashboard_for(request)
    if figures is None:
        return render(
            request, "engagements/equity_dashboard.html", {"filter": equity_filter, "dashboard": None}, status=422
        )
    if section == "reach":
        header = [_("Category"), _("Group"), _("People"), _("Of which anonymous counts"), _("Of which named")]
        rows = [
            [
                reach.category.name,
                item.option.label,
                _cell(item.cell),
                *((item.anonymous, item.named) if not item.cell.suppressed else ("", "")),
            ]
            for reach in figures.categories
            for item in reach.options
        ]
    elif section == "trend":
        header = [_("Quarter"), *[option.label for option in figures.trend.options], _("Total")]
        rows = [[row.label, *map(_cell, row.cells), _cell(row.total)] for row in figures.trend.rows]
    else:
        header = [
            _("Place"),
            _("Category"),
            _("Group"),
            _("People heard"),
            _("People the place's figures rest on"),
            _("Share heard (%)"),
            _("Share of residents (%)"),
            _("Ratio"),
            _("Under-heard"),
        ]
        rows = [
            [
                row.geography_label,
                row.option.category.name,
                row.option.label,
                _cell(row.heard),
                row.heard_total,
                row.share_heard if row.share_heard is not None else "",
                row.share_living,
                row.ratio if row.ratio is not None else "",
                _("yes") if row.under_heard else _("no"),
            ]
            for row in figures.representation
        ]
    return csv_response(request=request, name=f"equity-{section}", header=header, rows=rows, record_type="equity")
