"""Paginators that do not run a COUNT(*) of their own when the view can count another way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


def _matches(row) -> int:
    return row["matches_in_all_pages"] if isinstance(row, dict) else row.matches_in_all_pages


class CountingPagePaginator(Paginator):
    """Counts the matches in the query that reads the page (``COUNT(*) OVER ()``).

    A search must find every match before it can sort them and cut out a page, so
    Django's separate ``COUNT(*)`` query would run the whole search a second time.
    Here the page's rows carry the total and the search runs once; only a page
    number past the last match falls back to counting, to show the last page.

    Not for unfiltered lists: they read a page straight from an index, and a window
    count would make them read every row instead.
    """

    def get_page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number >= 1:
            bottom = (number - 1) * self.per_page
            counted = self.object_list.annotate(matches_in_all_pages=Window(Count("*")))
            rows = list(counted[bottom : bottom + self.per_page])
            if rows or number == 1:
                self.count = _matches(rows[0]) if rows else 0
                return self._get_page(rows, number, self)
        return super().get_page(number)


class CountedPaginator(Paginator):
    """A paginator told the number of rows, when the view counts them in a query it runs anyway.

    The payments ledger sums the matching payments for its total row; the same
    query counts them, so pagination needs no ``COUNT(*)`` of its own.
    """

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count
