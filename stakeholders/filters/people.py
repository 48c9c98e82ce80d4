import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ..models import Affiliation, Language, Neighborhood, Organization, Person, Tag
from ..selectors.people import people_list_rows
from ..selectors.search import PeopleSearch, people_matching


class _StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on every control, so templates can draw them as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", css)


class PersonFilter(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    neighborhood = django_filters.ModelChoiceFilter(label=_("Neighborhood"), queryset=Neighborhood.objects.all())
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.all(),
        field_name="languages",
        distinct=False,
        method="with_language",
    )
    tag = django_filters.ModelChoiceFilter(label=_("Tag"), queryset=Tag.objects.all(), method="with_tag")
    sector = django_filters.ChoiceFilter(
        label=_("Organization sector"), choices=Organization.Kind.choices, method="in_sector"
    )

    class Meta:
        model = Person
        fields = ["q", "neighborhood", "language", "tag", "sector"]

    def search(self, queryset, name, value):
        """Name, email or the name of an organization the person is affiliated with; typos tolerated."""
        return people_matching(queryset, value)

    def people_search(self) -> PeopleSearch | None:
        """The search typed in ``q``, among the people the other filters let through; None without one.

        The people list pages through it instead of ``qs``: it finds, sorts and counts
        the matches in the search entries and reads the list rows of one page only.
        """
        if not self.is_valid() or not self.form.cleaned_data.get("q"):
            return None
        people = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                people = self.filters[name].filter(people, value)
        return PeopleSearch(people, self.form.cleaned_data["q"], rows=people_list_rows)

    def with_language(self, queryset, name, value):
        return queryset.filter(Exists(Person.languages.through.objects.filter(person=OuterRef("pk"), language=value)))

    def with_tag(self, queryset, name, value):
        return queryset.filter(Exists(Person.tags.through.objects.filter(person=OuterRef("pk"), tag=value)))

    def in_sector(self, queryset, name, value):
        return queryset.filter(
            Exists(Affiliation.objects.filter(person=OuterRef("pk"), organization__kind=value, end_date__isnull=True))
        )


class OrganizationFilter(_StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Sector"), choices=Organization.Kind.choices)
    is_partner = django_filters.BooleanFilter(label=_("Partner"))
    neighborhood = django_filters.ModelChoiceFilter(
        label=_("Neighborhood"), queryset=Neighborhood.objects.all(), method="serving"
    )
    language = django_filters.ModelChoiceFilter(label=_("Language"), queryset=Language.objects.all(), method="speaking")
    tag = django_filters.ModelChoiceFilter(label=_("Tag"), queryset=Tag.objects.all(), method="with_tag")

    class Meta:
        model = Organization
        fields = ["q", "kind", "is_partner", "neighborhood", "language", "tag"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def serving(self, queryset, name, value):
        through = Organization.neighborhoods.through.objects
        return queryset.filter(Exists(through.filter(organization=OuterRef("pk"), neighborhood=value)))

    def speaking(self, queryset, name, value):
        through = Organization.languages.through.objects
        return queryset.filter(Exists(through.filter(organization=OuterRef("pk"), language=value)))

    def with_tag(self, queryset, name, value):
        through = Organization.tags.through.objects
        return queryset.filter(Exists(through.filter(organization=OuterRef("pk"), tag=value)))
