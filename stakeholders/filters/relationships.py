import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Relationship, User


class RelationshipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Relationship.Kind.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.filter(owned_relationships__isnull=False).distinct()
    )
    strength = django_filters.TypedChoiceFilter(
        label=_("Strength at least"),
        choices=[("", _("Any")), *((value, str(value)) for value in range(1, 6))],
        coerce=int,
        field_name="strength",
        lookup_expr="gte",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[("current", _("Current")), ("ended", _("Ended"))], method="with_status"
    )

    class Meta:
        model = Relationship
        fields = ["q", "kind", "owner", "strength", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
        self.form.fields["q"].widget.attrs["class"] = "form-control"

    def search(self, queryset, name, value):
        condition = Q(organization__name__icontains=value)
        for prefix in ("person", "other_person"):
            condition |= Q(**{f"{prefix}__first_name__icontains": value})
            condition |= Q(**{f"{prefix}__last_name__icontains": value})
            condition |= Q(**{f"{prefix}__preferred_name__icontains": value})
        return queryset.filter(condition)

    def with_status(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value == "current")
