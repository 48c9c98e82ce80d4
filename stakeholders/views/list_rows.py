"""Links to many records of one kind at once, for the rows of list pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

_PLACEHOLDER = 2147483647


def with_detail_urls(objects: Iterable, url_name: str) -> list:
    """``objects`` as a list, each with the URL of its detail page as ``.detail_url``.

    The URL is reversed once, with a placeholder id, and each object's id is put in
    its place: reversing costs about 35 µs, which adds up over a page of 50 rows.
    ``url_name`` must take the object's id as its only argument.
    """
    prefix, _, suffix = reverse(url_name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    objects = list(objects)
    for obj in objects:
        obj.detail_url = f"{prefix}{obj.pk}{suffix}"
    return objects
