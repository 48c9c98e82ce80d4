"""Template filters for what is written differently in each language: money, language and role names."""

from django import template

from .. import language_names as names
from ..roles import Role

register = template.Library()


@register.filter
def money(amount) -> str:
    """``{{ payment.amount|money }}`` → "$1,234.50" in the reader's conventions."""
    return names.money(amount)


@register.filter
def role_label(name: str) -> str:
    """A role (group) name as the reader calls it: "Coordinator" → "Coordinador"."""
    return Role(name).label if name in Role.values else name


@register.filter
def language_names(stored_names) -> list[str]:
    """``{{ row.language_names|language_names|join:", " }}``: names read from arrays, in the reader's language."""
    return names.language_names(stored_names or [])
