"""Writes for people, organizations and affiliations.

Every service takes the acting user so the history (django-pghistory) says
who made each change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Affiliation,
    ConsentRecord,
    Language,
    Neighborhood,
    Organization,
    Person,
    PersonDemographics,
    Relationship,
    Tag,
    User,
)

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "preferred_language",
    "neighborhood",
    "may_contact",
    "may_share",
    "notes",
)
ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "is_partner",
    "communities_served",
    "email",
    "phone",
    "address",
    "website",
    "notes",
)


def _history(actor: User | None, **extra: Any) -> pghistory.context:
    return pghistory.context(user=actor.pk if actor else None, **extra)


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The tags with these names (case-insensitive), creating the missing ones."""
    wanted: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            wanted.setdefault(name.strip().lower(), name.strip())  # the first spelling wins
    if not wanted:
        return []
    matching = Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in=list(wanted))
    existing = {tag.name.lower(): tag for tag in matching}
    missing = [Tag(name=wanted[key]) for key in wanted if key not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name.lower(): tag for tag in matching.all()}
    return [existing[key] for key in wanted if key in existing]


def _check_email_free(email: str, person: Person | None = None) -> None:
    if not email:
        return
    others = Person.objects.filter(email__iexact=email)
    if person is not None:
        others = others.exclude(pk=person.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(name)s already has this email address. Open their record instead, "
                    "or ask an admin to merge the two."
                )
                % {"name": other}
            }
        )


def person_create(
    *,
    actor: User | None,
    first_name: str,
    last_name: str = "",
    preferred_name: str = "",
    pronouns: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: Language | None = None,
    languages: Iterable[Language] = (),
    neighborhood: Neighborhood | None = None,
    tags: Iterable[str] = (),
    may_contact: bool = False,
    may_share: bool = False,
    notes: str = "",
) -> Person:
    """Add a person. Their email, when given, must not belong to another person."""
    with transaction.atomic(), _history(actor):
        person = Person(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            preferred_name=preferred_name.strip(),
            pronouns=pronouns.strip(),
            email=email.strip(),
            phone=phone.strip(),
            preferred_language=preferred_language,
            neighborhood=neighborhood,
            may_contact=may_contact,
            may_share=may_share,
            notes=notes,
            created_by=actor,
        )
        person.full_clean()
        _check_email_free(person.email)
        person.save()
        if may_contact:
            _consent_changed(
                person=person,
                actor=actor,
                purpose=ConsentRecord.Purpose.CONTACT,
                granted=True,
                note=str(_("Recorded when the person was added.")),
            )
        languages = list(languages)
        if preferred_language is not None and preferred_language not in languages:
            languages.append(preferred_language)
        person.languages.set(languages)
        person.tags.set(tags_named(tags))
    return person


def person_quick_create(
    *, actor: User | None, first_name: str, last_name: str = "", email: str = "", phone: str = ""
) -> Person:
    """Add a person with just a name and a way to reach them, from another form."""
    return person_create(actor=actor, first_name=first_name, last_name=last_name, email=email, phone=phone)


def person_update(
    *,
    person: Person,
    actor: User | None,
    languages: Iterable[Language] | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Person:
    """Change a person's details. Only the fields given are written.

    ``languages`` and ``tags`` replace the current ones when given.
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic(), _history(actor):
        could_contact = person.may_contact
        for name, value in fields.items():
            setattr(person, name, value.strip() if isinstance(value, str) and name != "notes" else value)
        person.full_clean()
        if "email" in fields:
            _check_email_free(person.email, person)
        if fields:
            person.save(update_fields=[*fields, "updated_at"])
        if "may_contact" in fields and person.may_contact != could_contact:
            _consent_changed(
                person=person,
                actor=actor,
                purpose=ConsentRecord.Purpose.CONTACT,
                granted=person.may_contact,
                note=str(_("Recorded through the person form.")),
            )
        if languages is not None:
            languages = list(languages)
            if person.preferred_language and person.preferred_language not in languages:
                languages.append(person.preferred_language)
            person.languages.set(languages)
        if tags is not None:
            person.tags.set(tags_named(tags))
    return person


def _consent_changed(*, person: Person, actor: User | None, purpose: str, granted: bool, note: str) -> None:
    """Keep the consent history whole when a form (not the consent panel) changes a consent."""
    ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        granted=granted,
        source=ConsentRecord.Source.OTHER,
        note=note,
        recorded_by=actor,
    )


def person_demographics_record(
    *,
    person: Person,
    actor: User | None,
    consent: bool,
    age_band: str = "",
    gender_identity: str = "",
    race_ethnicity: str = "",
    disability: str = "",
    household_size: int | None = None,
    record_consent: bool = True,
) -> PersonDemographics | None:
    """Keep a person's self-identified demographics, only with their consent.

    Without consent every answer is erased (a withdrawn consent erases what was kept).
    A consent given or withdrawn here is added to the person's consent history
    (``record_consent=False``: the caller records it itself).
    """
    note = str(_("Recorded through the demographics form."))
    with transaction.atomic():
        if not consent:
            deleted, _counts = PersonDemographics.objects.filter(
                person=person, consent_recorded_at__isnull=False
            ).delete()
            PersonDemographics.objects.filter(person=person).delete()
            if deleted and record_consent:
                _consent_changed(
                    person=person, actor=actor, purpose=ConsentRecord.Purpose.DEMOGRAPHICS, granted=False, note=note
                )
            return None
        demographics, created = PersonDemographics.objects.get_or_create(
            person=person, defaults={"consent_recorded_at": timezone.now(), "consent_recorded_by": actor}
        )
        if created and record_consent:
            _consent_changed(
                person=person, actor=actor, purpose=ConsentRecord.Purpose.DEMOGRAPHICS, granted=True, note=note
            )
        demographics.age_band = age_band
        demographics.gender_identity = gender_identity.strip()
        demographics.race_ethnicity = race_ethnicity.strip()
        demographics.disability = disability.strip()
        demographics.household_size = household_size
        demographics.full_clean()
        demographics.save()
    return demographics


def organization_create(
    *,
    actor: User | None,
    name: str,
    kind: str = Organization.Kind.NONPROFIT,
    is_partner: bool = False,
    communities_served: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    website: str = "",
    notes: str = "",
    neighborhoods: Iterable[Neighborhood] = (),
    languages: Iterable[Language] = (),
    tags: Iterable[str] = (),
) -> Organization:
    """Add an organization. Its name must not match another's (ignoring case)."""
    with transaction.atomic():
        organization = Organization(
            name=name.strip(),
            kind=kind,
            is_partner=is_partner,
            communities_served=communities_served,
            email=email.strip(),
            phone=phone.strip(),
            address=address.strip(),
            website=website.strip(),
            notes=notes,
            created_by=actor,
        )
        organization.full_clean()
        _check_organization_name_free(organization)
        organization.save()
        organization.neighborhoods.set(neighborhoods)
        organization.languages.set(languages)
        organization.tags.set(tags_named(tags))
    return organization


def _check_organization_name_free(organization: Organization) -> None:
    others = Organization.objects.filter(name__iexact=organization.name).exclude(pk=organization.pk)
    if others.exists():
        raise ValidationError({"name": _("An organization with this name already exists. Open it instead.")})


def organization_update(
    *,
    organization: Organization,
    actor: User | None,
    neighborhoods: Iterable[Neighborhood] | None = None,
    languages: Iterable[Language] | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organization's details. Only the fields given are written."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"organization_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(organization, name, value)
        organization.full_clean()
        if "name" in fields:
            _check_organization_name_free(organization)
        if fields:
            organization.save(update_fields=[*fields, "updated_at"])
        if neighborhoods is not None:
            organization.neighborhoods.set(neighborhoods)
        if languages is not None:
            organization.languages.set(languages)
        if tags is not None:
            organization.tags.set(tags_named(tags))
    return organization


def affiliation_add(
    *,
    actor: User | None,
    person: Person,
    organization: Organization,
    role_title: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Affiliation:
    """Record that ``person`` works with or belongs to ``organization``."""
    with transaction.atomic(), _history(actor):
        affiliation = Affiliation(
            person=person,
            organization=organization,
            role_title=role_title.strip(),
            start_date=start_date,
            end_date=end_date,
        )
        affiliation.full_clean()
        affiliation.save()
    return affiliation


def affiliation_end(
    *, actor: User | None, affiliation: Affiliation, end_date: datetime.date | None = None
) -> Affiliation:
    """End an affiliation (today unless ``end_date`` is given)."""
    with transaction.atomic(), _history(actor):
        if affiliation.end_date is not None:
            raise ValidationError({"end_date": _("This affiliation has already ended.")})
        affiliation.end_date = end_date or timezone.localdate()
        affiliation.full_clean()
        affiliation.save(update_fields=["end_date", "updated_at"])
    return affiliation


# --- merging duplicates ------------------------------------------------------

_TEXT_FIELDS_KEEP_RICHER = ("first_name", "last_name", "preferred_name", "pronouns", "email", "phone")
_FK_FIELDS_FILL_IF_EMPTY = ("preferred_language", "neighborhood", "created_by")


def person_merge(*, survivor: Person, duplicate: Person, actor: User | None) -> Person:
    """Merge ``duplicate`` into ``survivor`` and delete the duplicate; nothing is lost.

    - Scalar fields: the survivor keeps its value unless the duplicate's is richer
      (the survivor's is empty, or the duplicate's is a longer version of it);
      notes are joined; the later last contact wins. Consent flags keep the more
      restrictive answer, because one record saying "no" must win.
    - Languages and tags: the union.
    - The linked user account and the demographics move when the survivor has none.
    - Every row of any app that points at the duplicate (affiliations,
      relationships both ways, tenures, and the higher apps' rows) is repointed,
      found through ``Person._meta.related_objects``; rows that would then break
      a unique constraint are exact duplicates of the survivor's and are dropped.
    - The history records a "merge" event on the survivor with the duplicate's id.
    """
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choose two different people to merge.")})
    if survivor.user_id and duplicate.user_id:
        raise ValidationError(
            {"duplicate": _("Both people are linked to a user account. Unlink one account first, then merge.")}
        )
    context = {"merged_person_id": duplicate.pk, "merged_person": str(duplicate)}
    with transaction.atomic(), _history(actor, **context):
        survivor = Person.objects.select_for_update().get(pk=survivor.pk)
        duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
        changed = _merge_scalar_fields(survivor, duplicate)
        moved_user = duplicate.user_id
        if moved_user and not survivor.user_id:
            Person.objects.filter(pk=duplicate.pk).update(user=None)
            survivor.user_id = moved_user
            changed.append("user")
        _merge_demographics(survivor, duplicate)
        survivor.languages.add(*duplicate.languages.all())
        survivor.tags.add(*duplicate.tags.all())
        # A relationship between the two records would become one with oneself.
        Relationship.objects.filter(
            models.Q(person=duplicate, other_person=survivor) | models.Q(person=survivor, other_person=duplicate)
        ).delete()
        _repoint_reverse_relations(survivor, duplicate)
        duplicate.delete()
        if changed:
            survivor.full_clean()
            survivor.save(update_fields=[*changed, "updated_at"])
        pghistory.create_event(survivor, label="merge")
    return survivor


def _merge_scalar_fields(survivor: Person, duplicate: Person) -> list[str]:
    changed = []
    for name in _TEXT_FIELDS_KEEP_RICHER:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        richer = theirs and (not mine or (len(theirs) > len(mine) and theirs.lower().startswith(mine.lower())))
        if richer:
            setattr(survivor, name, theirs)
            changed.append(name)
    for name in _FK_FIELDS_FILL_IF_EMPTY:
        attname = f"{name}_id"
        if getattr(survivor, attname) is None and getattr(duplicate, attname) is not None:
            setattr(survivor, attname, getattr(duplicate, attname))
            changed.append(name)
    if duplicate.notes.strip() and duplicate.notes.strip() not in survivor.notes:
        survivor.notes = "\n\n".join(part for part in (survivor.notes.strip(), duplicate.notes.strip()) if part)
        changed.append("notes")
    later_contact = duplicate.last_contact_on and (
        not survivor.last_contact_on or duplicate.last_contact_on > survivor.last_contact_on
    )
    if later_contact:
        survivor.last_contact_on = duplicate.last_contact_on
        changed.append("last_contact_on")
    for name in ("may_contact", "may_share"):
        if getattr(survivor, name) and not getattr(duplicate, name):
            setattr(survivor, name, False)
            changed.append(name)
    return changed


def _merge_demographics(survivor: Person, duplicate: Person) -> None:
    theirs = PersonDemographics.objects.filter(person=duplicate, consent_recorded_at__isnull=False).first()
    if theirs is None:
        return
    mine = PersonDemographics.objects.filter(person=survivor).first()
    if mine is None or mine.consent_recorded_at is None:
        PersonDemographics.objects.filter(person=survivor).delete()
        PersonDemographics.objects.filter(pk=theirs.pk).update(person=survivor)
        return
    filled = [name for name in PersonDemographics.ANSWER_FIELDS if getattr(mine, name) in ("", None)]
    for name in filled:
        setattr(mine, name, getattr(theirs, name))
    if filled:
        mine.save(update_fields=[*filled, "updated_at"])


def _repoint_reverse_relations(survivor: Person, duplicate: Person) -> None:
    """Point every row of every app that refers to ``duplicate`` at ``survivor``."""
    for relation in Person._meta.related_objects:
        if relation.related_model is PersonDemographics:
            continue
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # an explicit through model has its own foreign key relation
            field_name = next(
                field.name
                for field in through._meta.fields
                if field.is_relation and field.related_model is Person and field.name != "from_person"
            )
            _repoint(through, field_name, survivor, duplicate)
            continue
        if relation.one_to_one:
            model = relation.related_model
            if model._default_manager.filter(**{relation.field.name: survivor}).exists():
                if model._default_manager.filter(**{relation.field.name: duplicate}).exists():
                    raise ValidationError(
                        {
                            "duplicate": _("Both people have a %(record)s. Remove one of them, then merge.")
                            % {"record": model._meta.verbose_name}
                        }
                    )
                continue
        _repoint(relation.related_model, relation.field.name, survivor, duplicate)


def _repoint(model: type[models.Model], field_name: str, survivor: Person, duplicate: Person) -> None:
    rows = model._base_manager.filter(**{field_name: duplicate})
    try:
        with transaction.atomic():
            rows.update(**{field_name: survivor})
    except IntegrityError:
        # Some rows already exist for the survivor (a unique constraint says so):
        # move the others one by one and drop the exact duplicates.
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field_name: survivor})
            except IntegrityError:
                model._base_manager.filter(pk=pk).delete()


def neighborhood_save(*, actor: User | None, name: str, council_district: str = "", neighborhood=None) -> Neighborhood:
    """Create a neighborhood, or rename it and change its council district."""
    with transaction.atomic():
        neighborhood = neighborhood or Neighborhood()
        neighborhood.name = name.strip()
        neighborhood.council_district = council_district.strip()
        neighborhood.full_clean()
        if neighborhood.pk:
            neighborhood.save(update_fields=["name", "council_district", "updated_at"])
        else:
            neighborhood.save()
    return neighborhood
