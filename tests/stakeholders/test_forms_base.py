"""Bounds on numbers and dates that keep hostile input at the form."""

from __future__ import annotations

import datetime

from django import forms

from stakeholders.forms.base import INTEGER_MAX, INTEGER_MIN, BoundedInputMixin


class SampleForm(BoundedInputMixin, forms.Form):
    count = forms.IntegerField(required=False)
    small = forms.IntegerField(required=False, min_value=0, max_value=10)
    amount = forms.DecimalField(required=False, max_digits=8, decimal_places=2)
    on = forms.DateField(required=False)
    at = forms.DateTimeField(required=False)


def test_integer_fields_without_bounds_get_the_postgresql_integer_range():
    """A number PostgreSQL's integer cannot hold is a field error, not a database error."""
    assert SampleForm({"count": str(INTEGER_MAX)}).is_valid()
    assert SampleForm({"count": str(INTEGER_MIN)}).is_valid()
    for value in (str(INTEGER_MAX + 1), str(INTEGER_MIN - 1), "9" * 40):
        form = SampleForm({"count": value})
        assert not form.is_valid()
        assert "count" in form.errors


def test_integer_fields_keep_their_own_bounds():
    """A field that states its range keeps it; decimals keep their digit limits."""
    form = SampleForm({"small": "11"})
    assert not form.is_valid()
    assert form.fields["small"].max_value == 10
    assert form.fields["amount"].max_value is None
    assert not SampleForm({"amount": "1" * 20}).is_valid()


def test_dates_outside_the_supported_range_are_refused():
    """Year 1 and year 9999 are refused with a message naming the range; ordinary dates pass."""
    assert SampleForm({"on": "2026-11-22", "at": "2026-11-22 10:00"}).is_valid()
    for field, value in (("on", "0001-01-01"), ("on", "9999-12-31"), ("at", "9999-12-31 23:59")):
        form = SampleForm({field: value})
        assert not form.is_valid()
        assert "between" in form.errors[field][0]
    assert SampleForm({"on": datetime.date(1800, 1, 1).isoformat()}).is_valid()


def test_service_errors_land_on_their_fields_or_on_the_form():
    """A service's field-keyed error goes to that field; an unknown key or a plain
    message goes to the top of the form, never raising."""
    from django.core.exceptions import ValidationError

    from stakeholders.forms.base import add_service_errors

    form = SampleForm({"count": "1"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"count": ["Too many."], "password": ["Not here."]}))
    add_service_errors(form, ValidationError("Something else."))
    assert form.errors["count"] == ["Too many."]
    assert form.non_field_errors() == ["Not here.", "Something else."]
