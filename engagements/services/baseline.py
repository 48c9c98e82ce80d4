"""The census baseline (who lives where) and the equity dashboard's settings.

An admin uploads a CSV shaped like an ACS table, one row per geography and
breakdown option::

    geography,category,population
    City,Language: Spanish,"12,400"
    District 3,Age band: 18–24,2210
    Eastside,Language: Vietnamese,830

``baseline_parse`` reads and checks the file without writing anything and names
the line and column of every problem; ``baseline_import`` saves what it parsed in
one transaction, all rows or none, and makes it the baseline in use.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from stakeholders.models import Neighborhood

from ..models import BaselineRow, BreakdownOption, CensusBaseline, EquitySettings

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
# Problems kept per file: enough to correct a file in a few rounds, few enough to read.
MAX_PROBLEMS = 50
HEADERS = ("geography", "category", "population")
EXAMPLE_CSV = """geography,category,population
City,Language: Spanish,"12,400"
City,Age band: 18–24,9870
District 3,Language: Spanish,2210
Eastside,Language: Vietnamese,830"""
CITY_WORDS = {"city", "whole city", "citywide"}
# PostgreSQL ``integer``, the column behind PositiveIntegerField.
MAX_POPULATION = 2**31 - 1
WHOLE_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
EXAMPLES_SHOWN = 8

Kind = BaselineRow.GeographyKind


def _key(text: str) -> str:
    """How names are compared: case, dashes and runs of spaces do not matter."""
    return " ".join(text.translate(DASHES).casefold().split())


def _shown(value: str) -> str:
    """A cell as quoted back in a message: one line, not too long."""
    return Truncator(" ".join(value.split())).chars(60)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; ``line`` is None for the file as a whole."""

    message: str
    line: int | None = None
    column: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ParsedRow:
    line: int
    geography_kind: str
    geography: str  # as stored: "" for the city, else the district's or neighborhood's name
    neighborhood_id: int | None
    option_id: int
    population: int
    geography_label: str
    category: str
    category_label: str


@dataclass
class BaselineParse:
    """What a baseline file holds: its rows when every one is good, else its problems."""

    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0  # all problems found, of which at most MAX_PROBLEMS are kept
    content: bytes = b""
    digest: str = ""  # SHA-256 of the file, to tell one upload from another

    @property
    def ok(self) -> bool:
        return not self.problem_count and bool(self.rows)

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, message: str, line: int | None = None, column: str = "") -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, line, column))

    def by_geography(self) -> list[dict]:
        """Rows per geography, in the order the file first names them."""
        counts = Counter((row.geography_kind, row.geography_label) for row in self.rows)
        kinds = dict(Kind.choices)
        return [
            {"geography": label, "kind": kinds[kind], "rows": count}
            for (kind, label), count in sorted(counts.items(), key=lambda item: _KIND_ORDER[item[0][0]])
        ]

    def by_category(self) -> list[dict]:
        """Rows per breakdown category."""
        counts = Counter(row.category for row in self.rows)
        return [{"category": category, "rows": count} for category, count in counts.items()]


_KIND_ORDER = {Kind.CITY: 0, Kind.COUNCIL_DISTRICT: 1, Kind.NEIGHBORHOOD: 2}


class _Lookups:
    """The geographies and breakdown options a file may name, read once per file."""

    def __init__(self):
        self.neighborhoods: dict[str, Neighborhood] = {}
        self.districts: dict[str, str] = {}
        for neighborhood in Neighborhood.objects.order_by("name"):
            self.neighborhoods[_key(neighborhood.name)] = neighborhood
            district = neighborhood.council_district.strip()
            if district:
                self.districts.setdefault(_key(district), district)
        self.categories: dict[str, str] = {}  # key -> category name
        self.options: dict[tuple[str, str], BreakdownOption] = {}
        self.labels_of: dict[str, list[str]] = {}
        for option in BreakdownOption.objects.select_related("category"):
            category_key = _key(option.category.name)
            self.categories.setdefault(category_key, option.category.name)
            self.options[(category_key, _key(option.label))] = option
            self.labels_of.setdefault(category_key, []).append(option.label)

    def geography_examples(self) -> str:
        names = ["City", *sorted(self.districts.values()), *(n.name for n in self.neighborhoods.values())]
        shown = ", ".join(names[:EXAMPLES_SHOWN])
        return shown + ("…" if len(names) > EXAMPLES_SHOWN else "")

    def geography(self, cell: str) -> tuple[str, str, Neighborhood | None] | None:
        """(kind, stored name, neighborhood) for a geography cell, or None when it names none.
        A name that is both a neighborhood and a council district is the neighborhood."""
        key = _key(cell)
        if key in CITY_WORDS:
            return Kind.CITY, "", None
        if key in self.neighborhoods:
            neighborhood = self.neighborhoods[key]
            return Kind.NEIGHBORHOOD, neighborhood.name, neighborhood
        if key in self.districts:
            return Kind.COUNCIL_DISTRICT, self.districts[key], None
        return None

    def option(self, cell: str) -> tuple[BreakdownOption | None, str]:
        """The option a "Category: option" cell names, or None and what is wrong."""
        if ":" not in cell:
            return None, _("“%(value)s” should name a category and one of its options, like “Language: Spanish”.") % {
                "value": _shown(cell)
            }
        # A category's own name may hold a colon: try every split, the first one that names an option wins.
        parts = cell.split(":")
        known_category = ""
        for index in range(1, len(parts)):
            category_key, label_key = _key(":".join(parts[:index])), _key(":".join(parts[index:]))
            if (category_key, label_key) in self.options:
                return self.options[(category_key, label_key)], ""
            if category_key in self.categories and not known_category:
                known_category = category_key
        if known_category:
            labels = self.labels_of[known_category]
            return None, _("“%(category)s” has no option “%(label)s”. Its options: %(options)s.") % {
                "category": self.categories[known_category],
                "label": _shown(cell.split(":", 1)[1].strip()),
                "options": ", ".join(labels[:EXAMPLES_SHOWN]) + ("…" if len(labels) > EXAMPLES_SHOWN else ""),
            }
        return None, _("There is no category “%(value)s”. Categories: %(categories)s.") % {
            "value": _shown(cell.split(":", 1)[0]),
            "categories": ", ".join(sorted(self.categories.values())) or _("none yet"),
        }


def _population(cell: str) -> tuple[int | None, str]:
    value = cell.strip()
    if not value:
        return None, _("empty. Write the number of residents, for example 12400.")
    if not WHOLE_NUMBER.fullmatch(value):
        return None, _("“%(value)s” is not a whole number of 0 or more.") % {"value": _shown(value)}
    number = int(value.replace(",", ""))
    if number > MAX_POPULATION:
        return None, _("“%(value)s” is larger than any population this can hold.") % {"value": _shown(value)}
    return number, ""


def _decode(content: bytes, result: BaselineParse) -> str | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        result.add(
            _(
                "Line %(line)s: the file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” "
                "when saving, and upload it again."
            )
            % {"line": line},
            line=line,
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        result.add(
            _("Line %(line)s: the file holds a NUL character, so it is not a CSV file. Save it as CSV and try again.")
            % {"line": line},
            line=line,
        )
        return None
    return text


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    """Cells past the third that spreadsheets add empty are dropped; a blank line becomes []."""
    if not any(cell.strip() for cell in cells):
        return []
    while len(cells) > len(HEADERS) and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def baseline_parse(*, file) -> BaselineParse:
    """Read and check a baseline CSV; nothing is written.

    ``file`` is an uploaded file (or any file object with ``size`` and ``read``).
    Its size is checked before it is read, so a file over MAX_FILE_BYTES is never
    read into memory. The result holds either every row or the problems found,
    each naming its line and column.
    """
    result = BaselineParse()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        result.add(_too_large(size))
        return result
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        result.add(_too_large(max(size or 0, len(content))))
        return result
    result.content = content
    result.digest = hashlib.sha256(content).hexdigest()
    text = _decode(content, result)
    if text is None:
        return result
    try:
        _parse_rows(text, result)
    except csv.Error as error:
        result.add(_("The file could not be read as CSV (%(error)s). Save it as CSV and try again.") % {"error": error})
    return result


def _too_large(size: int) -> str:
    return _(
        "The file is %(size)s; the largest file accepted is %(limit)s. "
        "Split it, or leave out geographies or categories the dashboard does not use."
    ) % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)}


def _parse_rows(text: str, result: BaselineParse) -> None:
    reader = _reader(text)
    header = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = _without_trailing_blanks(cells)
            break
    if header is None:
        result.add(
            _(
                "The file is empty. It needs the header row “geography,category,population” "
                "and one row per geography and category."
            )
        )
        return
    found = [cell.strip().casefold() for cell in header]
    if tuple(found) != HEADERS:
        result.add(
            _("Line %(line)s, header: found the columns “%(found)s”; expected exactly “%(expected)s”.")
            % {
                "line": reader.line_num,
                "found": _shown(", ".join(cell.strip() for cell in header)),
                "expected": ", ".join(HEADERS),
            },
            line=reader.line_num,
            column="header",
        )
        return
    lookups = _Lookups()
    seen: dict[tuple[str, str, int], int] = {}
    data_rows = 0
    for cells in reader:
        line = reader.line_num
        cells = _without_trailing_blanks(cells)
        if not cells:
            continue  # a blank line
        data_rows += 1
        if data_rows > MAX_ROWS:
            # Said first, whatever else was found: the other problems may not be all of them.
            result.problem_count += 1
            message = _("Line %(line)s: the file has more than %(limit)s data rows. Split it into smaller files.") % {
                "line": line,
                "limit": number_format(MAX_ROWS, force_grouping=True),
            }
            result.problems.insert(0, Problem(message, line))
            break
        row = _parse_row(line, cells, lookups, result)
        if row is None:
            continue
        key = (row.geography_kind, row.geography, row.option_id)
        if key in seen:
            result.add(
                _(
                    "Line %(line)s, geography and category: “%(geography)s” with “%(category)s” is also on line "
                    "%(first)s. Each geography and category may appear once; remove one of the two lines."
                )
                % {"line": line, "geography": row.geography_label, "category": row.category_label, "first": seen[key]},
                line=line,
                column="category",
            )
            continue
        seen[key] = line
        result.rows.append(row)
    if not data_rows:
        result.add(_("The file has a header row but no data rows. Add one row per geography and category."))
    if result.problem_count:
        result.rows = []


def _parse_row(line: int, cells: list[str], lookups: _Lookups, result: BaselineParse) -> ParsedRow | None:
    if len(cells) != len(HEADERS):
        result.add(
            _(
                "Line %(line)s: found %(count)s values where 3 are expected (geography, category, population). "
                "A number written with commas, like 12,400, must be in quotes."
            )
            % {"line": line, "count": len(cells)},
            line=line,
        )
        return None
    geography_cell, category_cell, population_cell = (cell.strip() for cell in cells)
    problems_before = result.problem_count
    geography = lookups.geography(geography_cell) if geography_cell else None
    if not geography_cell:
        result.add(
            _("Line %(line)s, geography: empty. Write City, a council district or a neighborhood.") % {"line": line},
            line=line,
            column="geography",
        )
    elif geography is None:
        result.add(
            _(
                "Line %(line)s, geography: “%(value)s” is not the city, a council district or a neighborhood. "
                "Known geographies: %(known)s."
            )
            % {"line": line, "value": _shown(geography_cell), "known": lookups.geography_examples()},
            line=line,
            column="geography",
        )
    option, option_problem = lookups.option(category_cell) if category_cell else (None, "")
    if not category_cell:
        result.add(
            _("Line %(line)s, category: empty. Write a category and option, like “Language: Spanish”.")
            % {"line": line},
            line=line,
            column="category",
        )
    elif option is None:
        result.add(
            _("Line %(line)s, category: %(problem)s") % {"line": line, "problem": option_problem},
            line=line,
            column="category",
        )
    population, population_problem = _population(population_cell)
    if population is None:
        result.add(
            _("Line %(line)s, population: %(problem)s") % {"line": line, "problem": population_problem},
            line=line,
            column="population",
        )
    if result.problem_count > problems_before:
        return None
    kind, name, neighborhood = geography
    return ParsedRow(
        line=line,
        geography_kind=kind,
        geography=name,
        neighborhood_id=neighborhood.pk if neighborhood else None,
        option_id=option.pk,
        population=population,
        geography_label=name or str(Kind.CITY.label),
        category=option.category.name,
        category_label=f"{option.category.name}: {option.label}",
    )


def baseline_import(*, actor, name: str, file_name: str, rows: list[ParsedRow]) -> CensusBaseline:
    """Save a parsed baseline and make it the one in use; the previous one is kept, no longer in use.

    All rows or none: on any problem this raises ValidationError and writes nothing."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the baseline a name, such as the census table and year.")})
    if len(name) > CensusBaseline._meta.get_field("name").max_length:
        raise ValidationError({"name": _("Keep the name to 200 characters or fewer.")})
    if not rows:
        raise ValidationError(_("The file has no rows to import."))
    if len({(row.geography_kind, row.geography, row.option_id) for row in rows}) != len(rows):
        raise ValidationError(_("The file names the same geography and category twice."))
    option_ids = {row.option_id for row in rows}
    neighborhood_ids = {row.neighborhood_id for row in rows if row.neighborhood_id}
    try:
        with transaction.atomic():
            # Lock what the rows point at, so that none is deleted while they are saved.
            if len(BreakdownOption.objects.select_for_update().filter(pk__in=option_ids)) != len(option_ids) or len(
                Neighborhood.objects.select_for_update().filter(pk__in=neighborhood_ids)
            ) != len(neighborhood_ids):
                raise ValidationError(
                    _("A category option or neighborhood in the file was deleted meanwhile. Upload the file again.")
                )
            CensusBaseline.objects.select_for_update().filter(is_current=True).update(is_current=False)
            baseline = CensusBaseline.objects.create(
                name=name, source_file=Truncator(file_name or "").chars(255), imported_by=actor, is_current=True
            )
            BaselineRow.objects.bulk_create(
                [
                    BaselineRow(
                        baseline=baseline,
                        geography_kind=row.geography_kind,
                        geography=row.geography,
                        neighborhood_id=row.neighborhood_id,
                        option_id=row.option_id,
                        population=row.population,
                    )
                    for row in rows
                ],
                batch_size=2000,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Another baseline was imported at the same moment. Reload the page and check which one is in use.")
        ) from error
    return baseline


def equity_settings_update(*, actor, minimum_cell: int, under_heard_ratio: Decimal) -> EquitySettings:
    """Set the dashboard's smallest count shown and its under-heard ratio (the one settings row).

    ``actor`` is the admin making the change; the row keeps no author, so it is not stored."""
    config = EquitySettings(pk=1, minimum_cell=minimum_cell, under_heard_ratio=under_heard_ratio)
    config.full_clean(exclude=["created_at", "updated_at"], validate_unique=False)
    with transaction.atomic():
        config, _created = EquitySettings.objects.update_or_create(
            pk=1, defaults={"minimum_cell": config.minimum_cell, "under_heard_ratio": config.under_heard_ratio}
        )
    return config
