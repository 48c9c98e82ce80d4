"""Consent per purpose, and the erasure of a person (issue 16).

Consent is an append-only history: the current state of a purpose is its latest
record. An erasure leaves a certificate that says what was removed, when and by
whom, never the data itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Person


class ConsentRecord(models.Model):
    """One dated grant or withdrawal of a person's consent for one purpose."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("Contact")
        DEMOGRAPHICS = "demographics", _("Demographics")
        PUBLIC_QUOTES = "public_quotes", _("Photos and quotes on public pages")

    class Source(models.TextChoices):
        PAPER_FORM = "paper_form", _("Paper form")
        VERBAL = "verbal", _("Verbal, at a session")
        ONLINE_FORM = "online_form", _("Online form")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        MIGRATED = "migrated", _("Migrated from earlier records")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"], name="consent_current")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.granted}"


class ErasureCertificate(models.Model):
    """Proof that a person was erased: what kinds of records, how many, when, by whom. Never the data."""

    person_pk = models.PositiveBigIntegerField(_("person number"), unique=True)
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("erased by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    reason = models.TextField(_("reason"))
    #: {kind: number of records removed or anonymized}
    what = models.JSONField(_("what was removed"), default=dict)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("erasure certificate")
        verbose_name_plural = _("erasure certificates")
        permissions = [("erase_person", _("Can erase a person's identifying data"))]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.erased_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:erasure_detail", args=[self.pk])


class ErasureRequest(models.Model):
    """An erasure of a paid liaison, waiting for a second admin (payment records are kept)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    certificate = models.OneToOneField(
        ErasureCertificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(certificate__isnull=True), name="erasure_request_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
