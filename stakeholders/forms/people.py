"""Forms for people, organizations, affiliations, neighborhoods and imports.

Forms check the shape of the input; the services enforce the domain rules.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Language, Neighborhood, Organization, Person, PersonDemographics
from .base import BoundedInputMixin
from .widgets import DateInput


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates/includes/form.html draws the form and its button
    return helper


class TagsField(forms.CharField):
    """Tags typed as a comma-separated list; new ones are created on save."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate tags with commas, for example: youth, housing."))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class PersonForm(BoundedInputMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    preferred_language = forms.ModelChoiceField(
        label=_("Preferred language"), queryset=Language.objects.all(), required=False
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    neighborhood = forms.ModelChoiceField(label=_("Neighborhood"), queryset=Neighborhood.objects.all(), required=False)
    tags = TagsField()
    may_contact = forms.BooleanField(label=_("May be contacted"), required=False)
    may_share = forms.BooleanField(label=_("May be shared with partners"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, instance: Person | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(instance, name) for name in _PERSON_SCALARS},
                    "preferred_language": instance.preferred_language_id,
                    "neighborhood": instance.neighborhood_id,
                    "languages": list(instance.languages.values_list("pk", flat=True)),
                    "tags": list(instance.tags.values_list("name", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = _helper()


_PERSON_SCALARS = (
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "may_contact",
    "may_share",
    "notes",
)


class PersonQuickForm(BoundedInputMixin, forms.Form):
    """A person added from another form: a name and a way to reach them."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "quick")
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DemographicsForm(BoundedInputMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("The person agreed that these answers may be kept"),
        required=False,
        help_text=_("Without consent nothing is kept, and answers already kept are erased."),
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=[("", "—"), *PersonDemographics.AgeBand.choices], required=False
    )
    gender_identity = forms.CharField(label=_("Gender identity"), max_length=100, required=False)
    race_ethnicity = forms.CharField(label=_("Race or ethnicity"), max_length=200, required=False)
    disability = forms.CharField(label=_("Disability"), max_length=100, required=False)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=50, required=False)

    def __init__(self, *args, instance: PersonDemographics | None = None, **kwargs):
        if instance is not None:
            initial = {name: getattr(instance, name) for name in PersonDemographics.ANSWER_FIELDS}
            kwargs.setdefault("initial", {**initial, "consent": instance.consent_recorded_at is not None})
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        answered = any(data.get(name) not in ("", None) for name in PersonDemographics.ANSWER_FIELDS)
        if answered and not data.get("consent"):
            self.add_error(
                "consent", _("Answers can only be kept with the person's consent. Tick the box or clear the answers.")
            )
        return data


class MergeForm(BoundedInputMixin, forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("Duplicate record"),
        queryset=Person.objects.none(),
        help_text=_("This record is merged into the one you are looking at, then deleted."),
    )

    def __init__(self, *args, survivor: Person, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = queryset.exclude(pk=survivor.pk)
        self.helper = _helper()


class OrganizationForm(BoundedInputMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Sector"), choices=Organization.Kind.choices)
    is_partner = forms.BooleanField(label=_("Partner"), required=False)
    communities_served = forms.CharField(
        label=_("Communities served"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    neighborhoods = forms.ModelMultipleChoiceField(
        label=_("Neighborhoods served"),
        queryset=Neighborhood.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    tags = TagsField()
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, instance: Organization | None = None, **kwargs):
        if instance is not None:
            scalars = ("name", "kind", "is_partner", "communities_served", "email", "phone", "address", "website")
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(instance, name) for name in (*scalars, "notes")},
                    "neighborhoods": list(instance.neighborhoods.values_list("pk", flat=True)),
                    "languages": list(instance.languages.values_list("pk", flat=True)),
                    "tags": list(instance.tags.values_list("name", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AffiliationForm(BoundedInputMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role_title = forms.CharField(label=_("Role or title"), max_length=150, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class NeighborhoodForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Neighborhood
        fields = ["name", "council_district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ImportUploadForm(BoundedInputMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A UTF-8 CSV file with a header row. Download the template to see the columns."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a file that ends in .csv."))
        return upload


class OrganizationMemberForm(BoundedInputMixin, forms.Form):
    """Add a person to an organization. The person list starts empty and fills from
    a search (htmx), so the page stays small however many people there are."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        help_text=_("Search above, or add someone new below if they are not listed."),
    )
    role_title = forms.CharField(label=_("Role or title"), max_length=150, required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        chosen = self["person"].value()
        selected = list(people.filter(pk=chosen)) if str(chosen or "").isdigit() else []
        field.widget.choices = [("", "—"), *((person.pk, str(person)) for person in selected)]
        self.helper = _helper()
