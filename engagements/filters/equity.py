"""The equity dashboard's choices: period, coalition, department, kind, and what to break the trend down by."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.models import Coalition
from stakeholders.filters.days import FromDayFilter, ToDayFilter, start_of_day
from stakeholders.models import Department

from ..models import BaselineRow, BreakdownCategory, Engagement

DEFAULT_DAYS = 365


class EquityFilter(django_filters.FilterSet):
    date_from = FromDayFilter(label=_("From"), field_name="starts_at")
    date_to = ToDayFilter(label=_("To"), field_name="starts_at")
    coalition = django_filters.ModelChoiceFilter(label=_("Coalition"), queryset=Coalition.objects.only("pk", "name"))
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.only("pk", "name"), method="with_department"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of engagement"), choices=Engagement.Kind.choices)
    # Not filters: what the trend and the representativeness table show.
    trend = django_filters.ModelChoiceFilter(
        label=_("Trend by"), queryset=BreakdownCategory.objects.all(), method="keep", empty_label=None
    )
    geography = django_filters.ChoiceFilter(
        label=_("Compare in"),
        choices=BaselineRow.GeographyKind.choices,
        empty_label=_("Every place in the baseline"),
        method="keep",
    )

    class Meta:
        model = Engagement
        fields = ["date_from", "date_to", "coalition", "department", "kind"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("date_from") and not data.get("date_to"):
            # A year up to today unless the reader picks a period.
            today = timezone.localdate()
            data["date_from"] = (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
            data["date_to"] = today.isoformat()
        super().__init__(data, *args, **kwargs)
        self.form.fields["trend"].required = False
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name.startswith("date") else "form-select"
        self.form.clean = self._clean_period

    def _clean_period(self):
        cleaned = forms.Form.clean(self.form)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.form.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned

    def period(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The chosen days as [start, end) instants in the current time zone (None: open-ended)."""
        start, end = self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        return (
            start_of_day(start) if start and start > datetime.date.min else None,
            start_of_day(end + datetime.timedelta(days=1)) if end and end < datetime.date.max else None,
        )

    def with_department(self, queryset, name, value):
        involved = Engagement.departments.through.objects.filter(department=value)
        return queryset.filter(pk__in=involved.values("engagement_id"))

    def keep(self, queryset, name, value):
        return queryset
