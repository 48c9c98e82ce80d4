import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Coalition


class CoalitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Coalition.Status.choices)

    class Meta:
        model = Coalition
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(mission_what__icontains=value))
