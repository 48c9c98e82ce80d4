"""Forms for boards and commissions: describing a board, adding seats, opening a vacancy.
They check the shape of the input; ``stakeholders.services.boards`` enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Board, Department, Position
from ..services.boards import MAX_SEATS_AT_ONCE
from .base import BoundedInputMixin
from .government import FormHelperMixin
from .widgets import DateInput


class BoardForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        help_text=_("The department that staffs the board; its seats are listed there."),
    )
    appointed_by = forms.ChoiceField(label=_("Appointed by"), choices=Board.AppointedBy.choices)
    term_length_months = forms.IntegerField(label=_("Term length (months)"), min_value=1, max_value=120, initial=36)
    residency_requirement = forms.CharField(
        label=_("Residency requirement"),
        max_length=300,
        required=False,
        help_text=_("For example: lives in the city; one seat per council district."),
    )
    expertise_requirement = forms.CharField(
        label=_("Expertise requirement"),
        max_length=300,
        required=False,
        help_text=_("For example: two seats for licensed architects."),
    )
    meeting_cadence = forms.CharField(
        label=_("Meets"), max_length=200, required=False, help_text=_("For example: monthly, second Tuesday, 6 pm.")
    )
    description = forms.CharField(label=_("What it does"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=0,
        max_value=MAX_SEATS_AT_ONCE,
        initial=7,
        help_text=_("How many seats to create now; more can be added later."),
    )

    def __init__(self, *args, instance: Board | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", {name: getattr(instance, name) for name in self.base_fields if name != "seats"}
            )
            kwargs["initial"]["department"] = instance.department_id
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["seats"]
        self._add_helper()


class SeatsForm(BoundedInputMixin, forms.Form):
    count = forms.IntegerField(label=_("Seats to add"), min_value=1, max_value=MAX_SEATS_AT_ONCE, initial=1)


class VacancyForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Position.objects.none())
    opens_on = forms.DateField(label=_("Applications open"), widget=DateInput())
    deadline = forms.DateField(label=_("Application deadline"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = board.seats.order_by("pk")
        self._add_helper()

    def clean(self):
        data = super().clean()
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline cannot be before applications open."))
        return data
