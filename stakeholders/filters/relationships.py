import django_filters
from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
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

    ID_LIST_LIMIT = 5000

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

        Each side is a set of ids the list probes while it walks its order index. Up
        to ``ID_LIST_LIMIT`` matching people are read once and passed to the count and
        the page as one array, which PostgreSQL hashes: as a subquery the people search
        ran four times per page (each person, in the count and in the page), 115 ms
        of SQL for a typo on the large city. More matches than that (a word like "a")
        stay a subquery, cheaper than shipping tens of thousands of ids twice.
        """
        people = matching_entries(value).values_list("person_id", flat=True)
        found = list(people[: self.ID_LIST_LIMIT + 1])
        organizations = Q(organization_id__in=Organization.objects.filter(name__icontains=value).values("pk"))
        if len(found) > self.ID_LIST_LIMIT:
            return queryset.filter(Q(person_id__in=people) | Q(other_person_id__in=people) | organizations)
        involving = RawSQL(  # noqa: S611  # nosec B611 -- fixed SQL text; the ids are one parameter
            '("stakeholders_relationship"."person_id" = ANY(%s::bigint[])'
            ' OR "stakeholders_relationship"."other_person_id" = ANY(%s::bigint[]))',
            ["{" + ",".join(map(str, found)) + "}"] * 2,  # one array literal, parsed by PostgreSQL
            output_field=BooleanField(),
        )
        return queryset.filter(Q(involving) | organizations)

    def with_status(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value == "current")
