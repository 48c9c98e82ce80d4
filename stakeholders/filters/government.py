import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Department, Election, Position


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(
        label=_("Has positions at level"), choices=Position.Level.choices, method="with_level"
    )

    class Meta:
        model = Department
        fields = ["q", "level"]

    def search(self, queryset, name, value):
        titled = Position.objects.filter(department=OuterRef("pk"), title__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(abbreviation__icontains=value) | Exists(titled))

    def with_level(self, queryset, name, value):
        return queryset.filter(pk__in=Position.objects.filter(level=value).values("department_id"))

    @property
    def is_filtering(self) -> bool:
        return any(self.form.is_valid() and self.form.cleaned_data.get(field) for field in ("q", "level"))


class ElectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Election.Kind.choices)
    upcoming = django_filters.BooleanFilter(label=_("Upcoming only"), method="only_upcoming")

    class Meta:
        model = Election
        fields = ["q", "kind", "upcoming"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(jurisdiction__icontains=value))

    def only_upcoming(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(date__gte=today) if value else queryset.filter(date__lt=today)
