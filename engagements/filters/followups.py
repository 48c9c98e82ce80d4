import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import FollowUp


class FollowUpFilter(django_filters.FilterSet):
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=FollowUp.Reason.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUp.Status.choices)

    class Meta:
        model = FollowUp
        fields = ["reason", "status"]
