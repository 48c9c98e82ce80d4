"""CSV import of people and organizations: a preview, then an all-or-nothing write.

The preview parses and checks every row and says, per row, whether it adds a
record, updates one (people are matched by email, organizations by name, both
ignoring case) or has a problem, in plain words. Nothing is written until the
admin confirms; the confirmation checks the file again and writes every row in
one transaction with bulk operations, or none when any row has a problem.

Between the two steps the uploaded file waits in a temporary folder under a
random token that only the uploader's session knows.
"""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Language, Neighborhood, Organization, Person, User
from .services.people import tags_named

UPLOAD_DIR = Path(tempfile.gettempdir()) / "coalition-imports"
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0"}
LIST_SEPARATORS = (";", "|")


# --- keeping the file between preview and confirm ----------------------------


def store_upload(content: bytes) -> str:
    """Keep an uploaded file until it is confirmed; return its token."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    _discard_abandoned_uploads()
    token = secrets.token_urlsafe(24)
    (UPLOAD_DIR / f"{token}.csv").write_bytes(content)
    return token


def _discard_abandoned_uploads(max_age_seconds: int = 24 * 60 * 60) -> None:
    """Files uploaded but never confirmed are deleted after a day."""
    cutoff = time.time() - max_age_seconds
    for path in UPLOAD_DIR.glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another request removed it first


def load_upload(token: str) -> bytes | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = UPLOAD_DIR / f"{token}.csv"
    return path.read_bytes() if path.is_file() else None


def discard_upload(token: str) -> None:
    if token and token.replace("-", "").replace("_", "").isalnum():
        (UPLOAD_DIR / f"{token}.csv").unlink(missing_ok=True)


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. In your spreadsheet choose “Save as CSV UTF-8” and upload it again.")
        ) from error


# --- the preview -------------------------------------------------------------


@dataclass
class Row:
    line: int
    label: str
    action: str = "new"  # "new", "update" or "error"
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    existing_pk: int | None = None


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # problems with the file as a whole

    @property
    def new_count(self) -> int:
        return sum(row.action == "new" for row in self.rows)

    @property
    def update_count(self) -> int:
        return sum(row.action == "update" for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(row.action == "error" for row in self.rows)

    @property
    def can_import(self) -> bool:
        return not self.problems and self.error_count == 0 and bool(self.rows)


def _header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _split(text: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


class _Importer(ABC):
    """What the two importers share: reading the file, lookups, checking values."""

    required: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    max_lengths: dict[str, int] = {}

    def __init__(self):
        self.languages = {}
        for language in Language.objects.all():
            self.languages[language.code.lower()] = language
            self.languages.setdefault(language.name.lower(), language)
        self.neighborhoods = {n.name.lower(): n for n in Neighborhood.objects.all()}

    def preview(self, text: str) -> Preview:
        reader = csv.DictReader(io.StringIO(text))
        headers = [_header(name) for name in (reader.fieldnames or [])]
        missing = [name for name in self.required if name not in headers]
        if not headers:
            return Preview(rows=[], problems=[_("The file is empty. It needs a header row and one row per record.")])
        if missing:
            return Preview(
                rows=[],
                problems=[
                    _("The header row has no “%(column)s” column. The columns are: %(columns)s.")
                    % {"column": column, "columns": ", ".join(self.columns)}
                    for column in missing
                ],
            )
        problems = []
        unknown = [name for name in headers if name not in self.columns]
        if unknown:
            problems.append(
                _("These columns are not known: %(unknown)s. Rename or remove them. The columns are: %(columns)s.")
                % {"unknown": ", ".join(unknown), "columns": ", ".join(self.columns)}
            )
        reader.fieldnames = headers
        rows = []
        for number, record in enumerate(reader, start=2):
            values = {name: (record.get(name) or "").strip() for name in self.columns}
            if not any(values.values()):
                continue  # blank lines are skipped
            rows.append(self.check_row(number, values))
        if not rows and not problems:
            problems.append(_("The file has a header row but no records."))
        self.match(rows)
        return Preview(rows=rows, problems=problems)

    def check_row(self, line: int, raw: dict) -> Row:
        row = Row(line=line, label=self.label(raw))
        for name in self.required:
            if not raw[name]:
                row.errors.append(_("“%(column)s” is empty; every row needs one.") % {"column": name})
        for name, limit in self.max_lengths.items():
            if len(raw[name]) > limit:
                row.errors.append(
                    _("“%(column)s” is longer than %(limit)s characters.") % {"column": name, "limit": limit}
                )
        self.check_values(row, raw)
        if row.errors:
            row.action = "error"
        return row

    @abstractmethod
    def check_values(self, row: Row, raw: dict) -> None:
        """Each importer says how (see PeopleImporter, OrganizationImporter)."""

    @abstractmethod
    def label(self, raw: dict) -> str:
        """Each importer says how (see PeopleImporter, OrganizationImporter)."""

    @abstractmethod
    def match(self, rows: list[Row]) -> None:
        """Each importer says how (see PeopleImporter, OrganizationImporter)."""

    # shared value checks

    def email(self, row: Row, raw: dict, name: str = "email") -> None:
        value = raw[name]
        if value:
            try:
                validate_email(value)
            except ValidationError:
                row.errors.append(_("“%(value)s” is not a valid email address.") % {"value": value})
        row.values[name] = value

    def boolean(self, row: Row, raw: dict, name: str) -> None:
        value = raw[name].lower()
        if value in TRUE_WORDS:
            row.values[name] = True
        elif value in FALSE_WORDS:
            row.values[name] = False
        elif value:
            row.errors.append(
                _("“%(column)s” should be yes or no, not “%(value)s”.") % {"column": name, "value": raw[name]}
            )

    def language_list(self, row: Row, raw: dict, name: str) -> list[Language]:
        found = []
        for part in _split(raw[name]):
            language = self.languages.get(part.lower())
            if language is None:
                row.errors.append(
                    _(
                        "“%(value)s” is not a language we know. "
                        "Use an ISO 639 code such as es, or a name such as Spanish."
                    )
                    % {"value": part}
                )
            else:
                found.append(language)
        return found

    def neighborhood(self, row: Row, name: str) -> Neighborhood | None:
        neighborhood = self.neighborhoods.get(name.lower())
        if neighborhood is None:
            row.errors.append(
                _("There is no neighborhood called “%(value)s”. Check the spelling or ask an admin to add it.")
                % {"value": name}
            )
        return neighborhood


# --- people ------------------------------------------------------------------

PERSON_TEXT_COLUMNS = ("first_name", "last_name", "preferred_name", "pronouns", "phone", "notes")


class PeopleImporter(_Importer):
    kind = "people"
    required = ("first_name",)
    columns = (
        "first_name",
        "last_name",
        "preferred_name",
        "pronouns",
        "email",
        "phone",
        "preferred_language",
        "languages",
        "neighborhood",
        "tags",
        "may_contact",
        "may_share",
        "notes",
    )
    max_lengths = {"first_name": 100, "last_name": 100, "preferred_name": 100, "pronouns": 40, "phone": 40}

    def label(self, raw: dict) -> str:
        return " ".join(part for part in (raw["first_name"], raw["last_name"]) if part) or raw["email"]

    def check_values(self, row: Row, raw: dict) -> None:
        for name in PERSON_TEXT_COLUMNS:
            if raw[name]:
                row.values[name] = raw[name]
        self.email(row, raw)
        self.boolean(row, raw, "may_contact")
        self.boolean(row, raw, "may_share")
        if raw["preferred_language"]:
            preferred = self.language_list(row, {"x": raw["preferred_language"]}, "x")
            row.values["preferred_language"] = preferred[0] if preferred else None
        row.values["languages"] = self.language_list(row, raw, "languages")
        if raw["neighborhood"]:
            row.values["neighborhood"] = self.neighborhood(row, raw["neighborhood"])
        row.values["tags"] = _split(raw["tags"])

    def match(self, rows: list[Row]) -> None:
        emails = {row.values["email"].lower() for row in rows if row.values.get("email")}
        existing = {}
        if emails:
            matching = Person.objects.annotate(lowered=Lower("email")).filter(lowered__in=sorted(emails))
            for pk, email in matching.order_by("pk").values_list("pk", "lowered"):
                existing.setdefault(email, pk)
        first_line: dict[str, int] = {}
        for row in rows:
            email = (row.values.get("email") or "").lower()
            if not email:
                continue
            if email in first_line:
                row.errors.append(
                    _("This email is also on line %(line)s. Each person may appear only once.")
                    % {"line": first_line[email]}
                )
                row.action = "error"
                continue
            first_line[email] = row.line
            if email in existing:
                row.existing_pk = existing[email]
                if row.action != "error":
                    row.action = "update"

    def apply(self, preview: Preview, actor: User | None) -> dict[str, int]:
        now = timezone.now()
        new_rows = [row for row in preview.rows if row.action == "new"]
        update_rows = [row for row in preview.rows if row.action == "update"]
        created = [
            Person(
                **{name: row.values.get(name, "") for name in (*PERSON_TEXT_COLUMNS, "email")},
                preferred_language=row.values.get("preferred_language"),
                neighborhood=row.values.get("neighborhood"),
                may_contact=row.values.get("may_contact", False),
                may_share=row.values.get("may_share", False),
                created_by=actor,
            )
            for row in new_rows
        ]
        Person.objects.bulk_create(created, batch_size=1000)
        people = Person.objects.in_bulk([row.existing_pk for row in update_rows])
        changed_fields = {"updated_at"}
        updated = []
        for row in update_rows:
            person = people[row.existing_pk]
            for name in (*PERSON_TEXT_COLUMNS, "preferred_language", "neighborhood", "may_contact", "may_share"):
                if name in row.values and row.values[name] is not None:
                    setattr(person, name, row.values[name])
                    changed_fields.add(name)
            person.updated_at = now
            updated.append(person)
        bulk_update_rows(Person, updated, sorted(changed_fields))
        pairs = list(zip(new_rows, created, strict=True)) + [(row, people[row.existing_pk]) for row in update_rows]
        language_links = {
            (person.pk, language.pk)
            for row, person in pairs
            for language in [*row.values["languages"], row.values.get("preferred_language")]
            if language is not None
        }
        Person.languages.through.objects.bulk_create(
            [Person.languages.through(person_id=p, language_id=lang) for p, lang in language_links],
            ignore_conflicts=True,
            batch_size=2000,
        )
        _link_tags(Person.tags.through, "person_id", pairs)
        return {"created": len(created), "updated": len(updated)}


def bulk_update_rows(model, objects: list, field_names: list[str], batch_size: int = 1000) -> None:
    """Write ``field_names`` of many rows with one ``UPDATE … FROM (VALUES …)`` per batch.

    Django's ``bulk_update`` builds a CASE expression per field and row, which
    takes most of a minute for a few thousand rows; this takes well under a second.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    assignments = ", ".join(
        f"{quote(field.column)} = v.{quote(field.column)}::{field.db_type(connection)}" for field in fields
    )
    aliases = ", ".join([pk_column, *(quote(field.column) for field in fields)])
    row_placeholder = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            params = []
            for obj in batch:
                params.append(obj.pk)
                for field in fields:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            values = ", ".join([row_placeholder] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({aliases}) "  # noqa: S608  # nosec B608
                f"WHERE t.{pk_column} = v.{pk_column}",
                params,
            )


def _link_tags(through, owner_field: str, pairs) -> None:
    names = {name for row, _owner in pairs for name in row.values["tags"]}
    if not names:
        return
    tags = {tag.name.lower(): tag.pk for tag in tags_named(sorted(names))}
    links = {(owner.pk, tags[name.lower()]) for row, owner in pairs for name in row.values["tags"]}
    through.objects.bulk_create(
        [through(**{owner_field: owner_pk, "tag_id": tag_pk}) for owner_pk, tag_pk in links],
        ignore_conflicts=True,
        batch_size=2000,
    )


# --- organizations -----------------------------------------------------------

ORGANIZATION_TEXT_COLUMNS = ("name", "communities_served", "phone", "address", "notes")


class OrganizationImporter(_Importer):
    kind = "organizations"
    required = ("name",)
    columns = (
        "name",
        "sector",
        "partner",
        "communities_served",
        "email",
        "phone",
        "address",
        "website",
        "neighborhoods",
        "languages",
        "tags",
        "notes",
    )
    max_lengths = {"name": 200, "phone": 40, "address": 250}

    def label(self, raw: dict) -> str:
        return raw["name"]

    def check_values(self, row: Row, raw: dict) -> None:
        for name in ORGANIZATION_TEXT_COLUMNS:
            if raw[name]:
                row.values[name] = raw[name]
        self.email(row, raw)
        if raw["website"]:
            try:
                URLValidator()(raw["website"])
                row.values["website"] = raw["website"]
            except ValidationError:
                row.errors.append(
                    _("“%(value)s” is not a web address; start it with https://.") % {"value": raw["website"]}
                )
        if raw["sector"]:
            kinds = {value: value for value in Organization.Kind.values}
            kinds.update({str(label).lower(): value for value, label in Organization.Kind.choices})
            kind = kinds.get(raw["sector"].lower())
            if kind is None:
                row.errors.append(
                    _("“%(value)s” is not a sector. Use one of: %(choices)s.")
                    % {"value": raw["sector"], "choices": ", ".join(Organization.Kind.values)}
                )
            row.values["kind"] = kind
        self.boolean(row, raw, "partner")
        if "partner" in row.values:
            row.values["is_partner"] = row.values.pop("partner")
        row.values["languages"] = self.language_list(row, raw, "languages")
        row.values["neighborhoods"] = [
            found for name in _split(raw["neighborhoods"]) if (found := self.neighborhood(row, name)) is not None
        ]
        row.values["tags"] = _split(raw["tags"])

    def match(self, rows: list[Row]) -> None:
        existing = {name.lower(): pk for pk, name in Organization.objects.values_list("pk", "name")}
        first_line: dict[str, int] = {}
        for row in rows:
            name = (row.values.get("name") or "").lower()
            if not name:
                continue
            if name in first_line:
                row.errors.append(
                    _("This name is also on line %(line)s. Each organization may appear only once.")
                    % {"line": first_line[name]}
                )
                row.action = "error"
                continue
            first_line[name] = row.line
            if name in existing:
                row.existing_pk = existing[name]
                if row.action != "error":
                    row.action = "update"

    def apply(self, preview: Preview, actor: User | None) -> dict[str, int]:
        now = timezone.now()
        new_rows = [row for row in preview.rows if row.action == "new"]
        update_rows = [row for row in preview.rows if row.action == "update"]
        scalar_names = (*ORGANIZATION_TEXT_COLUMNS, "email", "website", "kind", "is_partner")
        created = []
        for row in new_rows:
            values = {name: row.values[name] for name in scalar_names if name in row.values}
            created.append(Organization(**values, created_by=actor))
        Organization.objects.bulk_create(created, batch_size=1000)
        organizations = Organization.objects.in_bulk([row.existing_pk for row in update_rows])
        changed_fields = {"updated_at"}
        for row in update_rows:
            organization = organizations[row.existing_pk]
            for name in scalar_names:
                if name in row.values and row.values[name] is not None:
                    setattr(organization, name, row.values[name])
                    changed_fields.add(name)
            organization.updated_at = now
        bulk_update_rows(Organization, list(organizations.values()), sorted(changed_fields))
        pairs = list(zip(new_rows, created, strict=True)) + [
            (row, organizations[row.existing_pk]) for row in update_rows
        ]
        for attribute, target in (("languages", "language_id"), ("neighborhoods", "neighborhood_id")):
            through = getattr(Organization, attribute).through
            links = {(owner.pk, item.pk) for row, owner in pairs for item in row.values[attribute]}
            through.objects.bulk_create(
                [through(organization_id=owner, **{target: item}) for owner, item in links],
                ignore_conflicts=True,
            )
        _link_tags(Organization.tags.through, "organization_id", pairs)
        return {"created": len(created), "updated": len(update_rows)}


IMPORTERS = {"people": PeopleImporter, "organizations": OrganizationImporter}


def import_preview(kind: str, content: bytes) -> Preview:
    """Check every row of the file and say what confirming would do; writes nothing."""
    return IMPORTERS[kind]().preview(decode(content))


def import_confirm(*, kind: str, content: bytes, actor: User | None) -> dict[str, int]:
    """Write every row of the file in one transaction, or nothing when any row has a problem."""
    importer = IMPORTERS[kind]()
    with transaction.atomic(), pghistory.context(user=actor.pk if actor else None, import_kind=kind):
        preview = importer.preview(decode(content))
        if not preview.can_import:
            raise ValidationError(_("The file has problems. Nothing was imported. Correct them and upload it again."))
        return importer.apply(preview, actor)


def template_csv(kind: str) -> str:
    """A header row the admin can fill in."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(IMPORTERS[kind].columns)
    return buffer.getvalue()
