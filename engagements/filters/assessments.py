"""The filter of the equity impact assessments list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import EquityAssessment


class AssessmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EquityAssessment.Status.choices)

    class Meta:
        model = EquityAssessment
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].widget.attrs["class"] = "form-select"
