from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.forms.base import BoundedInputMixin

from ..models import Engagement


class EngagementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, engagement: Engagement) -> str:
        return f"{engagement.starts_at:%Y-%m-%d} · {engagement.title}"


class PaymentEngagementsForm(BoundedInputMixin, forms.Form):
    """Pick the facilitated engagements a draft payment pays for."""

    engagements = EngagementChoiceField(
        queryset=Engagement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Engagements this payment pays for"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagements"].queryset = candidates
        self.helper = FormHelper()
        self.helper.form_tag = False
