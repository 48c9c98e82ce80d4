"""Who is connected to whom, and which staff member owns the relationship."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .accounts import TimeStampedModel
from .people import Organization, Person


@pghistory.track()
class Relationship(TimeStampedModel):
    """Who is connected to whom: person to person, or person to organization."""

    class Kind(models.TextChoices):
        WORKS_WITH = "works_with", _("Works with")
        REPORTS_TO = "reports_to", _("Reports to")
        TRUSTED_MESSENGER = "trusted_messenger", _("Trusted messenger for")
        ADVISES = "advises", _("Advises")
        FAMILY = "family", _("Family")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="relationships_in"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="relationships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKS_WITH)
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (weak) to 5 (strong)."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_relationships",
        verbose_name=_("owner"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-strength", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(other_person__isnull=False) & Q(organization__isnull=True))
                | (Q(other_person__isnull=True) & Q(organization__isnull=False)),
                name="relationship_exactly_one_target",
                violation_error_message=_("Choose either another person or an organization, not both."),
            ),
            models.CheckConstraint(
                condition=~Q(person=F("other_person")),
                name="relationship_not_with_self",
                violation_error_message=_("A person cannot have a relationship with themselves."),
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1) & Q(strength__lte=5),
                name="relationship_strength_1_to_5",
                violation_error_message=_("Strength must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="relationship_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "strength"], name="relationship_kind_strength"),
            models.Index(fields=["end_date"], name="relationship_end_date"),
            # The list's order: a page of 50 is read along it instead of sorting every relationship.
            models.Index(fields=["-strength", "id"], name="relationship_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.other_person or self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:relationship_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def target(self):
        return self.other_person or self.organization
