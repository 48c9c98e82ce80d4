from crispy_forms.helper import FormHelper
from django import forms

from stakeholders.forms.base import BoundedInputMixin
from stakeholders.models import RetentionSettings
from stakeholders.models.retention import KEEP_FOREVER, MAX_RETENTION_DAYS

from ..services.retention import RETENTION_KINDS


def _days_formfield(db_field, **kwargs):
    # 0..3650 at the form (a browser hint and a field error for anything wilder); the
    # model's validator then refuses a number below the kind's floor, other than 0.
    return db_field.formfield(min_value=KEEP_FOREVER, max_value=MAX_RETENTION_DAYS, **kwargs)


class RetentionSettingsForm(BoundedInputMixin, forms.ModelForm):
    """How many days each kind of record is kept; 0 keeps it forever."""

    class Meta:
        model = RetentionSettings
        fields = [kind.setting for kind in RETENTION_KINDS]
        formfield_callback = _days_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
