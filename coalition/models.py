"""The coalition domain. Imports only ``stakeholders``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import TimeStampedModel


class Coalition(TimeStampedModel):
    """Partner organizations working with the city on a shared goal."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    mission_what = models.TextField(_("what it aims to achieve"), blank=True)
    mission_why = models.TextField(_("why it matters"), blank=True)
    mission_measure = models.TextField(_("how success is measured"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_coalitions", verbose_name=_("coordinators")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalition:detail", args=[self.pk])
