import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Department, Election, Person, Position, Tenure


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


class PositionFilter(django_filters.FilterSet):
    """Positions by department, level and whether anyone holds them now (the API's; the pages
    list positions inside their department)."""

    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Position.Level.choices)
    vacant = django_filters.BooleanFilter(label=_("Vacant"), method="only_vacant")

    class Meta:
        model = Position
        fields = ["q", "department", "level", "vacant"]

    def only_vacant(self, queryset, name, value):
        held = Tenure.objects.filter(position=OuterRef("pk"), actual_end_date__isnull=True)
        return queryset.filter(~Exists(held) if value else Exists(held))


class TenureFilter(django_filters.FilterSet):
    """Tenures by person, position, department, and whether they still run."""

    person = django_filters.ModelChoiceFilter(label=_("Person"), queryset=Person.objects.all())
    position = django_filters.ModelChoiceFilter(label=_("Position"), queryset=Position.objects.all())
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), field_name="position__department"
    )
    current = django_filters.BooleanFilter(label=_("Still running"), field_name="actual_end_date", lookup_expr="isnull")
    ended_after = django_filters.DateFilter(
        label=_("Ended on or after"), field_name="actual_end_date", lookup_expr="gte"
    )

    class Meta:
        model = Tenure
        fields = ["person", "position", "department", "current", "ended_after"]
