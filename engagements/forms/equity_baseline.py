"""Forms of the census baseline import and of the equity dashboard's settings."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stakeholders.forms.base import BoundedInputMixin

from ..models import CensusBaseline, EquitySettings
from ..services.baseline import MAX_FILE_BYTES


class BaselineUploadForm(BoundedInputMixin, forms.Form):
    """A name for the baseline and its CSV file. The file's contents are checked by
    ``baseline_parse``; this form checks only that there is one."""

    name = forms.CharField(
        label=_("Name"),
        max_length=CensusBaseline._meta.get_field("name").max_length,
        help_text=_("Which census table and year, for example “ACS 2023 5-year, table B16001”."),
    )
    # An empty file gets the import's own message, which says what the file needs.
    file = forms.FileField(label=_("CSV file"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A UTF-8 CSV file of at most %(limit)s with the columns geography, category and population. "
            "The format is described below."
        ) % {"limit": filesizeformat(MAX_FILE_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = FormHelper()
        self.helper.form_tag = False


class EquitySettingsForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = EquitySettings
        fields = ["minimum_cell", "under_heard_ratio"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
