"""What the rows of list pages show, computed once per page instead of once per row.

A list page shows 50 rows. Built from model instances, each row pays a
``reverse()`` per link (about 35 µs), a ``get_FOO_display()`` that translates every
label of the field's choices, and ``str()`` through descriptors. Views of every
app instead fetch the columns a row shows (``.values()``) and build the row's
links, labels and names with these helpers: one ``reverse()`` per page, labels
translated once per request (in the active language), names from their columns, dates
formatted once per distinct date (``short_dates``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models import Field
from django.urls import reverse
from django.utils import formats

# The id reversed in place of a real one, then cut out of the URL: long enough that no
# fixed part of a URL contains it, and a valid value for an <int:pk> converter.
_ID_MARKER = 987654321987


def pk_url(url_name: str, *args) -> Callable[[object], str]:
    """``lambda pk: reverse(url_name, args=[*args, pk])``, at the cost of one ``reverse()``
    however many rows it links (the record's id is the URL's last argument)."""
    head, tail = reverse(url_name, args=[*args, _ID_MARKER]).split(str(_ID_MARKER))
    return lambda pk: f"{head}{pk}{tail}"


def choice_labels(choices: Iterable[tuple[object, object]]) -> dict:
    """Value → label of a field's (flat) choices, translated once for this request."""
    return {value: str(label) for value, label in choices}


def person_name(first_name: str, preferred_name: str, last_name: str) -> str:
    """What ``str(person)`` shows (preferred or first name, then last name), from the columns."""
    return f"{preferred_name or first_name} {last_name}".strip()


def user_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """What ``str(user)`` shows (full name, else username), from the three columns; "" for no user."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def short_dates() -> Callable[[datetime.date], str]:
    """``|date:"SHORT_DATE_FORMAT"`` remembered for one page, whose rows share a few dates."""
    texts: dict[datetime.date, str] = {}

    def short_date(value: datetime.date) -> str:
        if value not in texts:
            texts[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return texts[value]

    return short_date


def with_detail_urls(objects: Iterable, url_name: str) -> list:
    """``objects`` as a list, each with the URL named ``url_name`` for it as ``.detail_url``.

    ``url_name`` must take the object's id as its only argument. Row dicts (from
    ``.values()``) get a ``"detail_url"`` key from their ``"id"``.
    """
    url = pk_url(url_name)
    objects = list(objects)
    for obj in objects:
        if isinstance(obj, dict):
            obj["detail_url"] = url(obj["id"])
        else:
            obj.detail_url = url(obj.pk)
    return objects


def with_choice_labels(objects: Iterable, field: Field) -> list:
    """``objects`` as a list, each with the label of its ``field`` choice as ``.<field name>_label``.

    What ``get_<field>_display()`` returns, with the labels translated once per page.
    Row dicts (from ``.values()``) get a ``"<field name>_label"`` key.
    """
    labels = choice_labels(field.flatchoices)
    attribute = f"{field.name}_label"
    objects = list(objects)
    for obj in objects:
        if isinstance(obj, dict):
            obj[attribute] = labels.get(obj[field.name], obj[field.name])
        else:
            value = getattr(obj, field.attname)
            setattr(obj, attribute, labels.get(value, value))
    return objects
