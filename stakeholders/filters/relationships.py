import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..models import Organization, Relationship, User
from ..selectors.search import matching_entries


class RelationshipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Relationship.Kind.choices)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=User.objects.filter(Exists(Relationship.objects.filter(owner=OuterRef("pk")))),
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
        """Either person as people search finds them (name, email, organization; a typo tolerated), or
        the organization by name.

        Each side is one indexed lookup, a set of ids the list probes, so the list still
        reads its page along its order index instead of joining every relationship to
        both people and the organization to test their names.
        """
        people = matching_entries(value).values("person_id")
        organizations = Organization.objects.filter(name__icontains=value).values("pk")
        return queryset.filter(
            Q(person_id__in=people) | Q(other_person_id__in=people) | Q(organization_id__in=organizations)
        )

    def with_status(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value == "current")
