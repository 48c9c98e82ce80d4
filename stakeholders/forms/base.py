"""Bounds that keep hostile input at the form: a field error, never a database error.

Django's form fields already refuse NUL characters in text and enforce
``max_length``; what they leave open is the range of numbers and dates. A plain
``forms.IntegerField`` accepts ``10**40``, which PostgreSQL's ``integer``
refuses (a 500), and a ``DateTimeField`` accepts 9999-12-31 23:59 in Chicago,
which is stored but cannot be read back into Python once shifted to UTC (a 500
on every page that shows it). ``BoundedInputMixin`` gives every such field
bounds unless it already has its own.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# PostgreSQL ``integer``: the column type behind IntegerField.
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1
# Dates a city's records can plausibly hold, well inside what every layer can store.
EARLIEST_DATE = datetime.date(1800, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def validate_date_in_range(value: datetime.date | datetime.datetime) -> None:
    """Refuse dates (and datetimes) outside EARLIEST_DATE..LATEST_DATE."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": date_format(EARLIEST_DATE), "latest": date_format(LATEST_DATE)},
        )


def bound_form_fields(fields: dict[str, forms.Field]) -> None:
    """Give integer fields without bounds the ``integer`` range and date fields a date range."""
    for field in fields.values():
        # FloatField and DecimalField subclass IntegerField; they have their own limits.
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
            if field.min_value is None:
                field.min_value = INTEGER_MIN
                field.validators.append(MinValueValidator(INTEGER_MIN))
                field.widget.attrs.setdefault("min", INTEGER_MIN)
            if field.max_value is None:
                field.max_value = INTEGER_MAX
                field.validators.append(MaxValueValidator(INTEGER_MAX))
                field.widget.attrs.setdefault("max", INTEGER_MAX)
        elif (
            isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
            and validate_date_in_range not in field.validators
        ):
            field.validators.append(validate_date_in_range)


class BoundedInputMixin:
    """Put first in a form's bases: ``class MyForm(BoundedInputMixin, forms.Form)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_form_fields(self.fields)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the
    form has that field, else at the top of the form. Never raises for unknown keys."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
