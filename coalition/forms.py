"""Forms of the coalition pages. They check input shape; the services enforce domain rules."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.forms.base import BoundedInputMixin
from stakeholders.forms.widgets import DateInput
from stakeholders.models import Department, Organization, Person, User

from .models import (
    Agreement,
    Coalition,
    Goal,
    GoalProgress,
    Influence,
    MemberResource,
    Membership,
    RiskSettings,
    Stance,
    WorkingGroup,
)


class _HelperMixin:
    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False  # templates/includes/form.html draws the form and its button


def staff_users():
    return User.objects.filter(is_active=True, groups__name__in=["Staff", "Coordinator", "Admin"]).distinct()


class CoalitionForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinators"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Coalition
        fields = ["name", "status", "start_date", "mission_what", "mission_why", "mission_measure", "coordinators"]
        widgets = {
            "start_date": DateInput,
            "mission_what": forms.Textarea(attrs={"rows": 3}),
            "mission_why": forms.Textarea(attrs={"rows": 3}),
            "mission_measure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = User.objects.filter(
            is_active=True, groups__name__in=["Coordinator", "Admin"]
        ).distinct()
        self._add_helper()


class MembershipForm(BoundedInputMixin, _HelperMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all(), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    joined_on = forms.DateField(label=_("Joined"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("organization")) == bool(cleaned.get("person")):
            raise forms.ValidationError(_("Choose either an organization or a person, not both."))
        return cleaned


class ResourceForm(BoundedInputMixin, _HelperMixin, forms.Form):
    membership = forms.ModelChoiceField(label=_("Member"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(label=_("Resource"), choices=MemberResource.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            coalition=coalition, left_on__isnull=True
        ).select_related("organization", "person")
        self._add_helper()


class GoalForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["metric", "unit", "baseline", "target", "due_date"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class GoalProgressForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["recorded_on", "value", "note"]
        widgets = {"recorded_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class WorkingGroupForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), queryset=Department.objects.all(), required=False
    )
    people = forms.ModelMultipleChoiceField(label=_("People"), queryset=Person.objects.all(), required=False)

    class Meta:
        model = WorkingGroup
        fields = ["name", "purpose", "departments", "people"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class AgreementForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(label=_("Parties"), queryset=Organization.objects.all(), required=False)

    class Meta:
        model = Agreement
        fields = ["title", "kind", "parties", "signed_on", "expires_on", "data_categories", "document"]
        widgets = {
            "signed_on": DateInput,
            "expires_on": DateInput,
            "data_categories": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class StanceForm(BoundedInputMixin, _HelperMixin, forms.Form):
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices)
    influence = forms.ChoiceField(label=_("Influence"), choices=Influence.choices, initial=Influence.MEDIUM)
    owner = forms.ModelChoiceField(label=_("Relationship owner"), queryset=User.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(
        label=_("Why it changed"), required=False, max_length=500, help_text=_("Kept with the history of this stance.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        self._add_helper()


class AllyAddForm(StanceForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all())

    field_order = ["person", "stance", "influence", "owner", "notes", "note"]

    def __init__(self, *args, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(coalition_stances__coalition=coalition)


class RiskSettingsForm(BoundedInputMixin, _HelperMixin, forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = ["term_end_window_days", "ballot_window_days", "no_contact_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()
