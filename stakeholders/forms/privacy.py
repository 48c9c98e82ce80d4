"""Forms for recording consent and for erasing a person (issue 16)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ConsentRecord
from .base import BoundedInputMixin


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ConsentForm(BoundedInputMixin, forms.Form):
    """One purpose granted or withdrawn; or, with "withdraw_all", every purpose withdrawn."""

    purpose = forms.ChoiceField(label=_("For"), choices=[("", "—"), *ConsentRecord.Purpose.choices], required=False)
    granted = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("yes", _("Given")), ("no", _("Withdrawn"))],
        coerce=lambda value: value == "yes",
        required=False,
    )
    source = forms.ChoiceField(
        label=_("How"),
        choices=[(value, label) for value, label in ConsentRecord.Source.choices if value != "migrated"],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    withdraw_all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not data.get("withdraw_all"):
            if not data.get("purpose"):
                self.add_error("purpose", _("Choose what the consent is for."))
            if self.data.get("granted") not in ("yes", "no"):
                self.add_error("granted", _("Say whether consent was given or withdrawn."))
        return data


class ErasureForm(BoundedInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the erasure certificate. Do not write the person's name here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
