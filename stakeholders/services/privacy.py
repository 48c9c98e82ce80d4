"""Consent per purpose and the erasure of a person (issue 16).

Consent: every grant or withdrawal is a new ``ConsentRecord``; the current state of a
purpose is its latest record. ``Person.may_contact`` follows the contact purpose, and
withdrawing the demographics purpose erases the answers kept.

Erasure: one transaction that locks the person's row, anonymizes what this app holds,
sends ``events.person_erasing`` so that the apps above it scrub their own tables (this
app never imports them), and writes an ``ErasureCertificate`` last. A failure anywhere
rolls all of it back; a second erasure of the same person waits on the lock, then finds
the certificate and says the person was already erased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pgtrigger
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events
from ..models import (
    Affiliation,
    ConsentRecord,
    ErasureCertificate,
    ErasureRequest,
    LiaisonProfile,
    Person,
    PersonDemographics,
    PersonSearchEntry,
    Relationship,
    SecurityEvent,
    StipendAgreement,
    StipendPayment,
    User,
    UserSession,
)
from .people import person_demographics_record

ERASE_PERMISSION = "stakeholders.erase_person"
#: What an erased person is called from then on (data, not a label: it is stored).
ERASED_NAME = "Erased person"
REDACTED = "[erased]"
SECURITY_LOG_APPEND_ONLY = "stakeholders.SecurityEvent:security_event_append_only"

_KIND_LABELS: dict[str, str | Promise] = {}


def erasure_kind_register(key: str, label: str | Promise) -> None:
    """Name a kind of record an erasure counts (apps above call it in ``ready``)."""
    _KIND_LABELS[key] = label


def erasure_kind_label(key: str) -> str | Promise:
    return _KIND_LABELS.get(key, key)


for _key, _label in {
    "person": gettext_lazy("Person record anonymized"),
    "person_history": gettext_lazy("History entries of the person"),
    "affiliations": gettext_lazy("Affiliations"),
    "affiliation_history": gettext_lazy("History entries of affiliations"),
    "relationships": gettext_lazy("Relationships"),
    "relationship_history": gettext_lazy("History entries of relationships"),
    "demographics": gettext_lazy("Demographics"),
    "consent_records": gettext_lazy("Consent records"),
    "search_entries": gettext_lazy("Search entries"),
    "user_account": gettext_lazy("User account anonymized and deactivated"),
    "security_log_redacted": gettext_lazy("Security log entries redacted"),
    "liaison_profile": gettext_lazy("Liaison profile anonymized (payee reference kept)"),
    "stipend_texts_redacted": gettext_lazy("Stipend notes redacted"),
    "stipend_payments_kept": gettext_lazy("Stipend payments kept (amount, dates, payee reference)"),
}.items():
    erasure_kind_register(_key, _label)


class AlreadyErased(ValidationError):
    """The person was erased before; ``certificate`` is the proof."""

    def __init__(self, certificate: ErasureCertificate):
        super().__init__(
            _("This person has already been erased (certificate %(number)s).") % {"number": certificate.pk},
            code="already_erased",
        )
        self.certificate = certificate


# --- Consent -------------------------------------------------------------------------


def consent_current(person: Person) -> dict[str, ConsentRecord | None]:
    """The latest record of each purpose (None: never recorded), in the purposes' order."""
    latest = (
        ConsentRecord.objects.filter(person=person)
        .order_by("purpose", "-recorded_at", "-pk")
        .distinct("purpose")
        .select_related("recorded_by")
    )
    by_purpose = {record.purpose: record for record in latest}
    return {purpose: by_purpose.get(purpose) for purpose in ConsentRecord.Purpose.values}


def consent_record(
    *,
    actor: User | None,
    person: Person,
    purpose: str,
    granted: bool,
    source: str,
    note: str = "",
) -> ConsentRecord:
    """Record that a person granted or withdrew consent for one purpose.

    Contact consent is mirrored on ``Person.may_contact``; withdrawing demographics
    consent erases the demographics kept; granting it records the consent on them.
    """
    if purpose not in ConsentRecord.Purpose.values:
        raise ValidationError({"purpose": _("Choose what the consent is for.")})
    if source not in ConsentRecord.Source.values:
        raise ValidationError({"source": _("Choose how the consent was given or withdrawn.")})
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        record = ConsentRecord.objects.create(
            person=locked,
            purpose=purpose,
            granted=granted,
            source=source,
            note=note.strip()[:300],
            recorded_by=actor,
        )
        if purpose == ConsentRecord.Purpose.CONTACT and locked.may_contact != granted:
            Person.objects.filter(pk=locked.pk).update(may_contact=granted, updated_at=timezone.now())
            person.may_contact = granted
        if purpose == ConsentRecord.Purpose.DEMOGRAPHICS:
            if granted:
                PersonDemographics.objects.update_or_create(
                    person=locked,
                    defaults={"consent_recorded_at": record.recorded_at, "consent_recorded_by": actor},
                )
            else:
                person_demographics_record(person=locked, actor=actor, consent=False, record_consent=False)
    return record


def consent_withdraw_all(*, actor: User | None, person: Person, source: str, note: str = "") -> list[ConsentRecord]:
    """Withdraw every purpose at once: one action, one transaction."""
    with transaction.atomic():
        return [
            consent_record(actor=actor, person=person, purpose=purpose, granted=False, source=source, note=note)
            for purpose in ConsentRecord.Purpose.values
        ]


# --- Erasure -------------------------------------------------------------------------


def _needles(person: Person) -> list[str]:
    """The strings that identify the person in free text elsewhere: full names, email, phone.

    A first name alone is left out: "Ana" would scrub every "Analysis" in the database.
    """
    needles = set()
    if person.last_name:
        needles.add(f"{person.first_name} {person.last_name}")
        if person.preferred_name:
            needles.add(f"{person.preferred_name} {person.last_name}")
    for value in (person.email, person.phone):
        if value and len(value) >= 5:
            needles.add(value)
    return sorted(needles, key=len, reverse=True)


def needle_pattern(needles: Iterable[str]) -> str:
    """A case-blind PostgreSQL regular expression matching any of ``needles``."""
    return "|".join(re.escape(needle) for needle in needles)


def redact_text(queryset: models.QuerySet, fields: Iterable[str], needles: list[str], *, dry_run: bool) -> int:
    """Replace every needle in these text fields with "[erased]"; the number of rows touched."""
    if not needles:
        return 0
    pattern = needle_pattern(needles)
    touched = 0
    for field in fields:
        matching = queryset.filter(**{f"{field}__iregex": pattern})
        if dry_run:
            touched += matching.count()
            continue
        touched += matching.update(
            **{field: Func(F(field), Value(pattern), Value(REDACTED), Value("gi"), function="regexp_replace")}
        )
    return touched


def _check_may_erase(user: User) -> None:
    if user is None or not user.is_active or not user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied(_("Only an admin may erase a person."))


def erasure_is_paid_liaison(person: Person) -> bool:
    """Payments were made to them, so a second admin must approve the erasure."""
    return StipendPayment.objects.filter(agreement__liaison__person=person).exists()


def erasure_preview(person: Person) -> dict[str, int]:
    """What an erasure of ``person`` would remove or anonymize, per kind; changes nothing."""
    return _erase_everywhere(person, actor=None, dry_run=True)


def person_erase(
    *, actor: User, person_pk: int, reason: str, approver: User | None = None
) -> ErasureCertificate | ErasureRequest:
    """Erase a person's identifying data from every table, in one transaction.

    Returns the certificate; or, for a paid liaison without a second admin's
    ``approver``, the pending ``ErasureRequest``. Raises ``ValidationError`` when the
    person does not exist, when the reason is missing, and ``AlreadyErased`` when the
    person was erased before (also when two admins erase at once: the second waits).
    """
    _check_may_erase(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this person is being erased.")})
    if approver is not None:
        _check_may_erase(approver)
        if approver.pk == actor.pk:
            raise ValidationError(_("A second admin, not the one who asked, must approve this erasure."))
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_pk).first()
        if person is None:
            raise ValidationError(_("There is no such person (perhaps they were already erased)."), code="not_found")
        certificate = ErasureCertificate.objects.filter(person_pk=person.pk).first()
        if certificate is not None:
            raise AlreadyErased(certificate)
        if person.user_id is not None and person.user_id == actor.pk:
            raise ValidationError(_("You cannot erase your own record. Ask another admin."))
        if approver is None and erasure_is_paid_liaison(person):
            pending = ErasureRequest.objects.filter(person=person, certificate__isnull=True).first()
            if pending is None:
                pending = ErasureRequest.objects.create(person=person, requested_by=actor, reason=reason)
            return pending
        needles = _needles(person)
        if needles:  # the certificate keeps the reason, never the data: an admin may have typed the name
            reason = re.sub(needle_pattern(needles), REDACTED, reason, flags=re.IGNORECASE)
        what = _erase_everywhere(person, actor=actor, dry_run=False)
        certificate = ErasureCertificate.objects.create(
            person_pk=person.pk, erased_by=actor, approved_by=approver, reason=reason, what=what
        )
        ErasureRequest.objects.filter(person=person, certificate__isnull=True).update(
            certificate=certificate, reason=reason
        )
    return certificate


def erasure_request_approve(*, actor: User, request_pk: int) -> ErasureCertificate:
    """A second admin approves a pending erasure of a paid liaison; the erasure runs."""
    _check_may_erase(actor)
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().filter(pk=request_pk).first()
        if request is None:
            raise ValidationError(_("There is no such erasure request."), code="not_found")
        if request.certificate_id is not None:
            raise AlreadyErased(request.certificate)
        if request.requested_by_id == actor.pk:
            raise ValidationError(_("A second admin, not the one who asked, must approve this erasure."))
        certificate = person_erase(
            actor=request.requested_by, person_pk=request.person_id, reason=request.reason, approver=actor
        )
    return certificate


def _erase_everywhere(person: Person, *, actor: User | None, dry_run: bool) -> dict[str, int]:
    needles = _needles(person)
    what: dict[str, int] = {}
    # The apps above first, while the person still has their names (they scrub free text with them).
    for _receiver, counts in events.person_erasing.send(sender=Person, person=person, needles=needles, dry_run=dry_run):
        for key, count in (counts or {}).items():
            what[key] = what.get(key, 0) + count
    what.update(_erase_own(person, needles, actor=actor, dry_run=dry_run))
    return {key: count for key, count in what.items() if count}


def _erase_own(person: Person, needles: list[str], *, actor: User | None, dry_run: bool) -> dict[str, int]:
    pk = person.pk
    # The history tables django-pghistory generated for the tracked models.
    PersonEvent, AffiliationEvent, RelationshipEvent, StipendAgreementEvent, StipendPaymentEvent = (
        apps.get_model("stakeholders", name)
        for name in (
            "PersonEvent",
            "AffiliationEvent",
            "RelationshipEvent",
            "StipendAgreementEvent",
            "StipendPaymentEvent",
        )
    )
    relationships = Relationship.objects.filter(Q(person_id=pk) | Q(other_person_id=pk))
    relationship_ids = list(relationships.values_list("pk", flat=True))
    agreements = StipendAgreement.objects.filter(liaison__person_id=pk)
    payments = StipendPayment.objects.filter(agreement__liaison__person_id=pk)
    pattern = needle_pattern(needles)
    security = SecurityEvent.objects.filter(detail__iregex=pattern) if needles else SecurityEvent.objects.none()
    user = User.objects.filter(pk=person.user_id).first() if person.user_id else None

    counts = {
        "person": 1,
        "affiliations": Affiliation.objects.filter(person_id=pk).count(),
        "relationships": len(relationship_ids),
        "demographics": PersonDemographics.objects.filter(person_id=pk).count(),
        "consent_records": ConsentRecord.objects.filter(person_id=pk).count(),
        "user_account": 1 if user is not None else 0,
        "liaison_profile": LiaisonProfile.objects.filter(person_id=pk).count(),
        "stipend_payments_kept": payments.count(),
    }
    stipend_texts = [
        (agreements, ["notes"]),
        (StipendAgreementEvent.objects.filter(pgh_obj__liaison__person_id=pk), ["notes"]),
        (payments, ["notes", "amount_override_reason", "void_reason"]),
        (
            StipendPaymentEvent.objects.filter(pgh_obj__agreement__liaison__person_id=pk),
            ["notes", "amount_override_reason", "void_reason"],
        ),
    ]
    if dry_run:
        counts["person_history"] = PersonEvent.objects.filter(pgh_obj_id=pk).count()
        counts["affiliation_history"] = AffiliationEvent.objects.filter(person_id=pk).count()
        counts["relationship_history"] = RelationshipEvent.objects.filter(
            Q(pgh_obj_id__in=relationship_ids) | Q(person_id=pk) | Q(other_person_id=pk)
        ).count()
        counts["search_entries"] = PersonSearchEntry.objects.filter(person_id=pk).count()
        counts["security_log_redacted"] = security.count()
        counts["stipend_texts_redacted"] = sum(
            redact_text(qs, fields, needles, dry_run=True) for qs, fields in stipend_texts
        )
        return counts

    counts["stipend_texts_redacted"] = sum(
        redact_text(qs, fields, needles, dry_run=False) for qs, fields in stipend_texts
    )
    Affiliation.objects.filter(person_id=pk).delete()
    relationships.delete()
    PersonDemographics.objects.filter(person_id=pk).delete()
    ConsentRecord.objects.filter(person_id=pk).delete()
    LiaisonProfile.objects.filter(person_id=pk).update(communities_served="", updated_at=timezone.now())
    person.tags.clear()
    Person.objects.filter(pk=pk).update(
        first_name=ERASED_NAME,
        last_name="",
        preferred_name="",
        pronouns="",
        email="",
        phone="",
        notes="",
        may_contact=False,
        may_share=False,
        user=None,
        updated_at=timezone.now(),
    )
    if user is not None:
        erased_username = f"erased-{user.pk}"
        User.objects.filter(pk=user.pk).update(
            username=erased_username,
            first_name="",
            last_name="",
            email="",
            is_active=False,
            password=make_password(None),  # unusable
        )
        UserSession.objects.filter(user_id=user.pk).delete()
    with pgtrigger.ignore(SECURITY_LOG_APPEND_ONLY):
        counts["security_log_redacted"] = security.update(detail={"redacted": "erasure"})
        if user is not None:
            SecurityEvent.objects.filter(actor_id=user.pk).update(actor_username=erased_username)
    # History last: the updates and deletes above wrote events of their own.
    counts["person_history"] = PersonEvent.objects.filter(pgh_obj_id=pk).delete()[0]
    counts["affiliation_history"] = AffiliationEvent.objects.filter(person_id=pk).delete()[0]
    counts["relationship_history"] = RelationshipEvent.objects.filter(
        Q(pgh_obj_id__in=relationship_ids) | Q(person_id=pk) | Q(other_person_id=pk)
    ).delete()[0]
    # Written by triggers after the update above; the erased person is no longer findable.
    counts["search_entries"] = PersonSearchEntry.objects.filter(person_id=pk).delete()[0]
    return counts
