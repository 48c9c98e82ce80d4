"""Forms for the government structure. They check the shape of the input; the
services (stakeholders/services/government.py) enforce the domain rules."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Department, Election, Person, Position, Tenure
from .base import BoundedInputMixin
from .widgets import DateInput

PEOPLE_CHOICES_LIMIT = 200


def people_for_select(search: str = "", selected: list | tuple = ()) -> forms.models.QuerySet:
    """People offered in a plain person <select>: those matching ``search`` (by
    name or email, at most PEOPLE_CHOICES_LIMIT) plus any already selected ones."""
    matching = Person.objects.all()
    for word in search.split():
        matching = matching.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(email__icontains=word)
        )
    ids = list(matching.values_list("pk", flat=True)[:PEOPLE_CHOICES_LIMIT])
    selected_ids = [int(value) for value in selected if str(value).isdigit()]
    return Person.objects.filter(pk__in=ids + selected_ids)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.display_name} ({person.email})" if person.email else person.display_name


class FormHelperMixin:
    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates/includes/form.html draws the form and its button


class DepartmentForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=20, required=False)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("(top level)"),
        help_text=_("Leave empty for a top-level department."),
    )

    def __init__(self, *args, instance: Department | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {"name": instance.name, "abbreviation": instance.abbreviation, "parent": instance.parent_id}
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["parent"].queryset = Department.objects.exclude(pk=instance.pk)
        self._add_helper()


class PositionForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    level = forms.ChoiceField(label=_("Level"), choices=Position.Level.choices)
    is_multi_seat = forms.BooleanField(
        label=_("Multi-seat"), required=False, help_text=_("Several people can hold this position at once.")
    )

    def __init__(self, *args, instance: Position | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "department": instance.department_id,
                    "level": instance.level,
                    "is_multi_seat": instance.is_multi_seat,
                },
            )
        super().__init__(*args, **kwargs)
        self._add_helper()


class PositionChangeForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    """Record a change on a position: someone left, someone started, or both."""

    ending = forms.ModelChoiceField(
        label=_("Who is leaving"),
        queryset=Tenure.objects.none(),
        required=False,
        empty_label=_("(nobody is leaving)"),
    )
    end_date = forms.DateField(label=_("Left on"), required=False, widget=DateInput())
    end_reason = forms.ChoiceField(
        label=_("How it ended"), choices=[("", "---------"), *Tenure.EndReason.choices], required=False
    )
    successor = PersonChoiceField(
        label=_("Successor"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("(no successor yet)"),
        help_text=_("Not in the list? Search for the person above the form."),
    )
    start_date = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    planned_end_date = forms.DateField(label=_("Planned end of term"), required=False, widget=DateInput())
    is_acting = forms.BooleanField(label=_("Acting (interim)"), required=False)

    def __init__(self, *args, position: Position, search: str = "", **kwargs):
        self.position = position
        super().__init__(*args, **kwargs)
        current = position.tenures.filter(actual_end_date__isnull=True).select_related("person")
        self.fields["ending"].queryset = current
        self.fields["ending"].label_from_instance = lambda tenure: str(tenure.person)
        if not position.is_multi_seat and len(current) == 1:
            self.fields["ending"].initial = current[0].pk
        selected = [self.data.get(self.add_prefix("successor"), "")] if self.is_bound else []
        self.fields["successor"].queryset = people_for_select(search, selected)
        self._add_helper()

    def clean(self):
        data = super().clean()
        ending, successor = data.get("ending"), data.get("successor")
        if ending is None and successor is None and not self.has_error("ending") and not self.has_error("successor"):
            self.add_error("successor", _("Choose who is leaving, a successor, or both."))
        if ending is not None:
            if not data.get("end_date") and not self.has_error("end_date"):
                self.add_error("end_date", _("Enter the date they left."))
            if not data.get("end_reason"):
                self.add_error("end_reason", _("Choose how their tenure ended."))
        if successor is not None and not data.get("start_date") and not self.has_error("start_date"):
            self.add_error("start_date", _("Enter the date the successor starts."))
        return data


class ElectionForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=200, initial="City of Riverton")
    date = forms.DateField(label=_("Election day"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=Election.Kind.choices, initial=Election.Kind.GENERAL)
    positions = forms.ModelMultipleChoiceField(
        label=_("Positions on the ballot"),
        queryset=Position.objects.select_related("department"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    def __init__(self, *args, instance: Election | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "jurisdiction": instance.jurisdiction,
                    "date": instance.date,
                    "kind": instance.kind,
                    "positions": [position.pk for position in instance.positions.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["positions"].label_from_instance = lambda position: f"{position.department} — {position.title}"
        self._add_helper()
