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

from collections.abc import Callable, Iterable

from django.urls import reverse

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
