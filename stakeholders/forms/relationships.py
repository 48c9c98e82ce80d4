"""Forms for relationships; the services (stakeholders/services/relationships.py) enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Organization, Relationship, User
from .base import BoundedInputMixin
from .government import FormHelperMixin, PersonChoiceField, people_for_select
from .widgets import DateInput


class RelationshipForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=None)
    other_person = PersonChoiceField(
        label=_("Connected to (person)"),
        queryset=None,
        required=False,
        help_text=_("Choose another person or an organization."),
    )
    organization = forms.ModelChoiceField(
        label=_("Connected to (organization)"), queryset=Organization.objects.all(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Relationship.Kind.choices)
    strength = forms.TypedChoiceField(
        label=_("Strength"),
        coerce=int,
        choices=[(value, str(value)) for value in range(1, 6)],
        initial=3,
        help_text=_("1 (weak) to 5 (strong)."),
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("The staff member who keeps this relationship alive."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instance: Relationship | None = None, search: str = "", **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "person": instance.person_id,
                    "other_person": instance.other_person_id,
                    "organization": instance.organization_id,
                    "kind": instance.kind,
                    "strength": instance.strength,
                    "start_date": instance.start_date,
                    "end_date": instance.end_date,
                    "owner": instance.owner_id,
                    "notes": instance.notes,
                },
            )
        super().__init__(*args, **kwargs)
        for name in ("person", "other_person"):
            selected = [str(self.initial.get(name) or "")]
            if self.is_bound:
                selected.append(str(self.data.get(self.add_prefix(name)) or ""))
            self.fields[name].queryset = people_for_select(search, selected)
        if instance is not None:
            self.fields["person"].disabled = True
        self._add_helper()

    def clean(self):
        data = super().clean()
        other, organization = data.get("other_person"), data.get("organization")
        if "other_person" in self.errors or "organization" in self.errors:
            return data
        if other is None and organization is None:
            self.add_error("other_person", _("Choose another person or an organization."))
        elif other is not None and organization is not None:
            self.add_error("organization", _("Choose either another person or an organization, not both."))
        elif other is not None and data.get("person") is not None and other.pk == data["person"].pk:
            self.add_error("other_person", _("A person cannot have a relationship with themselves."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class RelationshipEndForm(BoundedInputMixin, FormHelperMixin, forms.Form):
    end_date = forms.DateField(label=_("Ended on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()
