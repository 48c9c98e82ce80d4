"""Template filters for what is written differently in each language: money and language names."""

from django import template

from .. import language_names as names

register = template.Library()


@register.filter
def money(amount) -> str:
    """``{{ payment.amount|money }}`` → "$1,234.50" in the reader's conventions."""
    return names.money(amount)


@register.filter
def language_names(stored_names) -> list[str]:
    """``{{ row.language_names|language_names|join:", " }}``: names read from arrays, in the reader's language."""
    return names.language_names(stored_names or [])
