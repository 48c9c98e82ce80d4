"""People, organizations, the places and languages they belong to, and who knows whom."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..language_names import language_name
from .accounts import TimeStampedModel


class Language(models.Model):
    """A language by its ISO 639 code (639-1 where one exists, else 639-3)."""

    code = models.CharField(_("ISO 639 code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return language_name(self.code, self.name)  # in the reader's language


class Neighborhood(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    council_district = models.CharField(_("council district"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        GRASSROOTS = "grassroots", _("Grassroots")
        FAITH = "faith", _("Faith")
        EDUCATION = "education", _("Education")
        BUSINESS = "business", _("Business")
        NONPROFIT = "nonprofit", _("Nonprofit")
        PHILANTHROPY = "philanthropy", _("Philanthropy")
        GOVERNMENT = "government", _("Government agency")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("sector"), max_length=20, choices=Kind.choices, default=Kind.NONPROFIT)
    is_partner = models.BooleanField(_("partner"), default=False)
    communities_served = models.TextField(_("communities served"), blank=True)
    neighborhoods = models.ManyToManyField(Neighborhood, blank=True, related_name="organizations")
    languages = models.ManyToManyField(Language, blank=True, related_name="organizations")
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="organizations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="organization_name_lower")]
        permissions = [("import_organizations", _("Can import organizations from a CSV file"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organization_detail", args=[self.pk])


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.ManualEvent("merge"))
class Person(TimeStampedModel):
    """Someone the city or a coalition works with: resident, leader, official or liaison."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.ForeignKey(
        Language,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("preferred language"),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="speakers", verbose_name=_("languages spoken")
    )
    neighborhood = models.ForeignKey(
        Neighborhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("neighborhood"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    may_contact = models.BooleanField(_("may be contacted"), default=False)
    may_share = models.BooleanField(_("may be shared with partners"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    # Kept current by the engagement services, so that the ally map and the
    # reminder rules can read it without touching engagement tables.
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = _("people")
        permissions = [
            ("view_all_people", _("Can see every person, not only the people one works with")),
            ("view_demographics", _("Can see self-identified demographics of a person")),
            ("merge_person", _("Can merge duplicate people")),
            ("import_people", _("Can import people from a CSV file")),
        ]
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="person_name_lower"),
            models.Index(Lower("email"), name="person_email_lower"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:person_detail", args=[self.pk])


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Affiliation(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="affiliations")
    role_title = models.CharField(_("role or title"), max_length=150, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = [F("end_date").desc(nulls_first=True), "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="affiliation_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class PersonSearchEntry(models.Model):
    """What people search reads: one row per person, written only by database triggers (issue 9).

    ``document`` holds the person's first, last and preferred name, email and the
    names of every organization they are or were affiliated with, in lower case
    (a case-blind search is then a plain LIKE, cheaper than ILIKE); ``last_name`` and
    ``first_name`` copy the person's, so a search finds, sorts and counts its matches
    in this one table and fetches only the people of the page it shows. The triggers
    of migration 0013 rewrite a person's row after every insert or update of a
    person's names or email, of an affiliation, or of an organization's name, one
    statement at a time (bulk COPY included); the foreign key deletes the row with
    the person. Django never writes it, so it stays out of merges and deletions.
    """

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    last_name = models.CharField(max_length=100, blank=True)
    first_name = models.CharField(max_length=100)
    document = models.TextField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return self.document


class PersonDemographics(TimeStampedModel):
    """Self-identified demographics of one person, kept only with their recorded consent.

    Shown per person to admins only; everywhere else they appear in aggregate.
    """

    class AgeBand(models.TextChoices):
        UNDER_18 = "under_18", _("Under 18")
        AGE_18_24 = "18_24", _("18–24")
        AGE_25_34 = "25_34", _("25–34")
        AGE_35_44 = "35_44", _("35–44")
        AGE_45_54 = "45_54", _("45–54")
        AGE_55_64 = "55_64", _("55–64")
        AGE_65_PLUS = "65_plus", _("65 or older")
        NOT_SAID = "not_said", _("Prefer not to say")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="demographics")
    consent_recorded_at = models.DateTimeField(
        _("consent recorded"),
        null=True,
        blank=True,
        help_text=_("When the person agreed that these answers may be kept. Clearing it clears the answers."),
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    age_band = models.CharField(_("age band"), max_length=20, choices=AgeBand.choices, blank=True)
    gender_identity = models.CharField(_("gender identity"), max_length=100, blank=True)
    race_ethnicity = models.CharField(_("race or ethnicity"), max_length=200, blank=True)
    disability = models.CharField(_("disability"), max_length=100, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)

    class Meta:
        ordering = ["person"]
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")
        constraints = [
            # Without a recorded consent no answer may be stored.
            models.CheckConstraint(
                condition=Q(consent_recorded_at__isnull=False)
                | Q(age_band="", gender_identity="", race_ethnicity="", disability="", household_size__isnull=True),
                name="demographics_require_consent",
                violation_error_message=_("Demographics can only be kept when the person's consent is recorded."),
            ),
            models.CheckConstraint(
                condition=Q(household_size__isnull=True) | Q(household_size__gte=1),
                name="demographics_household_at_least_one",
            ),
        ]

    ANSWER_FIELDS = ("age_band", "gender_identity", "race_ethnicity", "disability", "household_size")

    def __str__(self) -> str:
        return f"{self.person} — {_('demographics')}"

    @property
    def has_answers(self) -> bool:
        return any(getattr(self, name) not in ("", None) for name in self.ANSWER_FIELDS)
