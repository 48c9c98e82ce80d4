"""Forms for liaison stipends: they check the shape of input; the services enforce the rules."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FundingSource, LiaisonProfile, Person, StipendAgreement
from .base import BoundedInputMixin
from .widgets import DateInput


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates/includes/form.html draws the form and its button
    return helper


class LiaisonProfileForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = LiaisonProfile
        fields = [
            "person",
            "payee_reference",
            "active_from",
            "active_to",
            "communities_served",
            "neighborhoods",
            "languages",
            "partner_department",
        ]
        widgets = {
            "active_from": DateInput(),
            "active_to": DateInput(),
            "communities_served": forms.Textarea(attrs={"rows": 3}),
            "neighborhoods": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["person"].disabled = True
        else:
            self.fields["person"].queryset = Person.objects.filter(liaison_profile__isnull=True)
        self.helper = _helper()


class FundingSourceForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["name", "fiscal_year", "department", "budget"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class StipendAgreementForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = StipendAgreement
        fields = ["liaison", "funding_source", "rate", "unit", "start_date", "end_date", "cap", "notes"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaison"].queryset = LiaisonProfile.objects.select_related("person")
        self.fields["funding_source"].queryset = FundingSource.objects.all()
        self.helper = _helper()

    def _get_validation_exclusions(self):
        # The no-overlap constraint applies to active agreements only; Django cannot
        # check its condition when the status is left out of validation.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("status")
        return exclusions


class StipendPaymentForm(BoundedInputMixin, forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=StipendAgreement.objects.none(),
        help_text=_("Only active and ended agreements take payments."),
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        help_text=_("Sessions, hours or months, as the agreement says."),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use rate × quantity. A different amount needs a reason."),
    )
    amount_override_reason = forms.CharField(
        label=_("Reason for changing the amount"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = StipendAgreement.objects.exclude(
            status=StipendAgreement.Status.DRAFT
        ).select_related("liaison__person", "funding_source")
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned


class MarkPaidForm(BoundedInputMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    finance_reference = forms.CharField(
        label=_("Finance reference"), max_length=60, help_text=_("The voucher or check number from Finance.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class VoidForm(BoundedInputMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class EndAgreementForm(BoundedInputMixin, forms.Form):
    end_date = forms.DateField(
        label=_("End on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep the agreed end date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
