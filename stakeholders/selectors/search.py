"""People search: by name, email or organization, a typo tolerated, in name order with a count.

Every search reads ``PersonSearchEntry``: one row per person with the text they are
found by (names, email, the names of every organization they are or were
affiliated with) and the names the people list sorts by, kept current by the
triggers of migration 0013. A query matches a person when each of its words (up
to five) matches that text. Two ways to match a word, chosen per database:

* With the pg_trgm extension (the machine's PostgreSQL; migration 0011 creates it
  when the server offers it, 0013 the trigram GIN index on the entries): the word
  is a substring (``LIKE lower(word)``: the document is stored in lower case) or
  word-similar (``document %> word``, pg_trgm's word_similarity >= 0.6, which
  ignores case). Both are answered by the index. The similarity is
  written ``document %> word``, the form the index is searched with, so the bitmap
  scan's recheck is the only test of a candidate (not the recheck and then the
  same OR again as a filter).
* Without it (the embedded PostgreSQL has no contrib extensions): the word matches
  as a substring, or, for words of 4+ characters, within one edit: every pattern
  (in lower case) with one character replaced (``_``), one dropped, or one ``_``
  inserted goes into one ``LIKE ANY (...)``. A sequential scan, fine for the sizes such a server
  serves (tests and local use).

The people list pages through ``PeopleSearch``: the page's ids and the number of
matches come from the entries in one query (found, counted and sorted there), the
page's rows from the people table in a second one, 50 rows whatever the number of
matches. Joining every match to the people table to sort and count them was most
of a large city's search time (issue 9).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Count, QuerySet, Window
from django.db.models.expressions import RawSQL

from ..models import Person, PersonSearchEntry

FUZZY_MIN_LENGTH = 4
MAX_WORDS = 5
_trigram_by_database: dict[str, bool] = {}


def trigram_search_available() -> bool:
    """Whether pg_trgm is installed in the current database (asked once per database)."""
    name = connection.settings_dict["NAME"]
    if name not in _trigram_by_database:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            _trigram_by_database[name] = cursor.fetchone()[0]
    return _trigram_by_database[name]


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def typo_patterns(term: str) -> list[str]:
    """Lower-case LIKE patterns matching ``term`` as a substring within one edit (substitution, deletion, insertion)."""
    chars = [_like_escape(c) for c in term.lower()]
    patterns = {"".join(chars)}
    if len(term) >= FUZZY_MIN_LENGTH:
        for i in range(len(chars)):
            patterns.add("".join(chars[:i] + ["_"] + chars[i + 1 :]))  # one character replaced
            patterns.add("".join(chars[:i] + chars[i + 1 :]))  # one character too many in the term
        for i in range(1, len(chars)):
            patterns.add("".join(chars[:i] + ["_"] + chars[i:]))  # one character missing from the term
    return sorted(f"%{pattern}%" for pattern in patterns)


def _document_matches(query: str) -> tuple[str, list]:
    """SQL true for the entries whose ``document`` matches every word of ``query``, and its parameters."""
    trigram = trigram_search_available()
    conditions, params = [], []
    for word in query.split()[:MAX_WORDS]:
        if trigram:
            conditions.append("(document LIKE lower(%s) OR document %%> %s)")
            params += [f"%{_like_escape(word)}%", word]
        else:
            conditions.append("document LIKE ANY (%s)")
            params.append(typo_patterns(word))
    return " AND ".join(conditions) or "TRUE", params


def matching_entries(query: str) -> QuerySet[PersonSearchEntry]:
    """The search entries of the people matching ``query``."""
    sql, params = _document_matches(query)
    # A fixed column name and operators; every word is a parameter.
    return PersonSearchEntry.objects.filter(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611  # nosec B611


def people_matching(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The people of ``people`` matching ``query``, as a filter (exports, search-as-you-type)."""
    sql, params = _document_matches(query)
    # OFFSET 0 keeps the matches a set of their own, found by the index and probed by
    # hash, so an ordered, limited list cannot turn into a walk along the name index
    # that tests each person's text in turn.
    return people.filter(
        pk__in=RawSQL(  # noqa: S611  # nosec B611 -- fixed SQL text; every word is a parameter
            f"SELECT person_id FROM stakeholders_personsearchentry WHERE {sql} OFFSET 0",  # noqa: S608
            params,
        )
    )


class PeopleSearch:
    """The people of ``people`` matching ``query``, in the people list's order, for a paginator.

    ``people`` is what the search looks among: everyone a user may see, narrowed by
    the list's other filters. ``rows`` turns a queryset of people into what a page
    shows: the people themselves by default, or dicts with an ``id``
    (``people_list_rows``). Implements what ``Paginator`` and
    ``CountingPagePaginator`` use: ``count()``, slicing, and ``rows_and_count()``.
    """

    ORDER = ("last_name", "first_name", "person_id")

    def __init__(self, people: QuerySet[Person], query: str, rows=None) -> None:
        self.people = people
        self.query = query
        self.rows = rows or (lambda people: people)

    def _entries(self) -> QuerySet[PersonSearchEntry]:
        entries = matching_entries(self.query)
        if self.people.query.has_filters():  # someone who sees only some people, or another filter
            entries = entries.filter(person__in=self.people.values("pk"))
        return entries

    def count(self) -> int:
        return self._entries().count()

    def rows_and_count(self, bottom: int, top: int) -> tuple[list[dict], int]:
        """The rows from ``bottom`` to ``top`` and the number of all matches (0 when the slice is empty)."""
        counted = self._entries().order_by(*self.ORDER).annotate(matches=Window(Count("*")))
        page = list(counted.values_list("person_id", "matches")[bottom:top])
        if not page:
            return [], 0
        position = {person_id: i for i, (person_id, _matches) in enumerate(page)}
        rows = sorted(self.rows(Person.objects.filter(pk__in=position)), key=lambda row: position[_pk(row)])
        return rows, page[0][1]

    def __getitem__(self, key: slice) -> list[dict]:
        return self.rows_and_count(key.start or 0, key.stop)[0]


def _pk(row: Person | dict) -> int:
    return row["id"] if isinstance(row, dict) else row.pk
