from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.forms.base import BoundedInputMixin
from stakeholders.forms.widgets import DateInput, TimeInput
from stakeholders.models import User

from ..models import ReminderSettings


class FollowUpForm(BoundedInputMixin, forms.Form):
    """A follow-up written by hand; the subject comes from the page it was started on."""

    title = forms.CharField(label=_("What to do"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SnoozeForm(BoundedInputMixin, forms.Form):
    until = forms.DateField(label=_("Snooze until"))


class HandoverForm(BoundedInputMixin, forms.Form):
    """Whose work moves, and to whom."""

    from_user = forms.ModelChoiceField(
        label=_("Departed user"),
        queryset=User.objects.none(),
        help_text=_("Deactivated users who still hold follow-ups or relationships are listed first."),
    )
    to_user = forms.ModelChoiceField(label=_("Successor"), queryset=User.objects.none())

    def __init__(self, *args, departed=None, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = departed if departed is not None else User.objects.all()
        self.fields["to_user"].queryset = successors if successors is not None else User.objects.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_user") and cleaned.get("from_user") == cleaned.get("to_user"):
            self.add_error("to_user", _("Choose a successor other than the departed user."))
        return cleaned


class ReminderSettingsForm(BoundedInputMixin, forms.ModelForm):
    election_lead_days = forms.CharField(
        label=_("Election lead times (days)"),
        help_text=_("Comma-separated, for example 180, 90, 30."),
    )

    class Meta:
        model = ReminderSettings
        fields = [
            "election_lead_days",
            "term_end_lead_days",
            "commitment_due_days",
            "agreement_expiry_days",
            "no_contact_days",
            "turnover_lookback_days",
            "scan_time",
        ]
        widgets = {"scan_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["election_lead_days"] = ", ".join(str(d) for d in self.instance.election_lead_days)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_election_lead_days(self):
        raw = self.cleaned_data["election_lead_days"]
        try:
            days = sorted({int(part) for part in raw.replace(";", ",").split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise forms.ValidationError(_("Enter whole numbers of days separated by commas.")) from None
        if not days or any(day < 1 or day > 730 for day in days) or len(days) > 6:
            raise forms.ValidationError(_("Enter one to six lead times between 1 and 730 days."))
        return days


class DigestPreferenceForm(BoundedInputMixin, forms.Form):
    email_digest = forms.BooleanField(label=_("Send me a daily email digest"), required=False)
