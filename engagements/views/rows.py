"""The rows of the list pages as plain dicts, built once in Python.

A list page shows 50 rows. Rendering model instances costs, per row, a ``reverse()``
for every link, a ``get_FOO_display()`` that walks the field's choices, and attribute
lookups that go through descriptors. The list views instead fetch the columns a row
shows (``.values()`` on the page's slice, so the paginator still counts the plain,
join-free queryset) and turn each row into a dict: templates resolve a dict key in
one step, links, labels and names come from ``stakeholders.rows`` (one ``reverse()``
per page, labels translated once per request), dates from ``short_dates`` below.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import formats


def short_dates() -> Callable[[datetime.date], str]:
    """``|date:"SHORT_DATE_FORMAT"`` remembered for one page, whose rows share a few dates."""
    texts: dict[datetime.date, str] = {}

    def short_date(value: datetime.date) -> str:
        if value not in texts:
            texts[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return texts[value]

    return short_date
