"""Paginators that do not run a COUNT(*) of their own when the view can count another way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


class CountingPagePaginator(Paginator):
    """For object lists that count their matches in the query that reads a page.

    A search must find every match before it can sort them and cut out a page, so
    Django's separate ``COUNT(*)`` query would run the whole search a second time.
    The object list (``stakeholders.selectors.search.PeopleSearch``) answers
    ``rows_and_count(bottom, top)`` with one query for the page and the total; only
    a page number past the last match falls back to counting, to show the last page.
    """

    def get_page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number >= 1:
            bottom = (number - 1) * self.per_page
            rows, count = self.object_list.rows_and_count(bottom, bottom + self.per_page)
            if rows or number == 1:
                self.count = count
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
