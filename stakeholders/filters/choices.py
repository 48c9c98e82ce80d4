"""Model choice filters whose options are read as plain rows, not model instances.

A large city has a hundred users and hundreds of liaisons; building a model instance for
each ``<option>`` of a filter form cost more than writing the option (about 25 µs an
instance), and it grew with the city while the list's own rows did not. The submitted
value is still checked against the queryset and arrives in the filter as an instance.
"""

from __future__ import annotations

from collections.abc import Iterator

import django_filters
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.forms.models import ModelChoiceIterator

from ..models import LiaisonProfile
from ..rows import user_name
from ..selectors.people import person_display_name


class _RowsChoiceIterator(ModelChoiceIterator):
    """The empty choice, then the field's ``option_rows(queryset)``: ``(pk, label)`` pairs."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.option_rows(self.queryset)


class _LiaisonChoiceField(ModelChoiceField):
    iterator = _RowsChoiceIterator

    @staticmethod
    def option_rows(queryset: QuerySet) -> QuerySet:
        return queryset.values_list("pk", "person_name")


class _UserChoiceField(ModelChoiceField):
    iterator = _RowsChoiceIterator

    @staticmethod
    def option_rows(queryset: QuerySet) -> Iterator[tuple[int, str]]:
        """``(pk, str(user))``: the full name, or the username when there is none."""
        for pk, first_name, last_name, username in queryset.values_list("pk", "first_name", "last_name", "username"):
            yield pk, user_name(first_name, last_name, username)


class LiaisonChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of liaison, labelled by name (``str(liaison)``), without loading their person records."""

    field_class = _LiaisonChoiceField

    def __init__(self, *args, **kwargs):
        queryset = LiaisonProfile.objects.only("pk").annotate(person_name=person_display_name("person__"))
        super().__init__(*args, queryset=queryset, **kwargs)


class UserChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among ``queryset``'s users, labelled as ``str(user)``, in the queryset's order."""

    field_class = _UserChoiceField
