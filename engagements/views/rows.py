"""The rows of the list pages as plain dicts, built once in Python.

A list page shows 50 rows. Rendering model instances costs, per row, a ``reverse()``
for every link, a ``get_FOO_display()`` that walks the field's choices, and attribute
lookups that go through descriptors. The list views instead fetch the columns a row
shows (``.values()`` on the page's slice, so the paginator still counts the plain,
join-free queryset) and turn each row into a dict here: templates resolve a dict
key in one step, links are formatted from one ``reverse()`` per page, and labels
come from a dict made once per request (in the active language).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import formats

# A pk no table reaches, reversed in place of the real one; formatting then swaps it out.
_PLACEHOLDER = 987654321987


def pk_url(name: str) -> Callable[[object], str]:
    """``lambda pk: reverse(name, args=[pk])`` for a URL whose only argument is a pk,
    at the cost of one ``reverse()`` however many rows it links."""
    head, tail = reverse(name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Value → label of a ``TextChoices``, translated once for this request."""
    return {value: str(label) for value, label in choices}


def user_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """What ``str(user)`` shows (full name, else username), from the three columns; "" for no user."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def person_name(first_name: str, preferred_name: str, last_name: str) -> str:
    """What ``str(person)`` shows (preferred or first name, then last name), from the columns."""
    return f"{preferred_name or first_name} {last_name}".strip()


def short_dates() -> Callable[[datetime.date], str]:
    """``|date:"SHORT_DATE_FORMAT"`` remembered for one page, whose rows share a few dates."""
    texts: dict[datetime.date, str] = {}

    def short_date(value: datetime.date) -> str:
        if value not in texts:
            texts[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return texts[value]

    return short_date
