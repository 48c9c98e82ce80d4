"""Names of languages and amounts of money, written for the reader's language (CLDR data, through Babel).

The Language table names each language in English ("Vietnamese"); a reader of the
Spanish pages sees "vietnamita", written the Spanish way, in lower case. Codes CLDR does
not know keep their stored name.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop

# The CLDR locale each of the site's languages is written in: the United States' conventions.
CLDR_LOCALES = {"en": "en_US", "es": "es_US"}

# Seeded languages whose code CLDR does not name (stakeholders/migrations/0004): translated
# through the catalog instead, by their stored English name.
NOT_IN_CLDR = {
    "asl": gettext_noop("American Sign Language"),
    "cmn": gettext_noop("Mandarin"),
    "kar": gettext_noop("Karen"),
    "mam": gettext_noop("Mam"),
}


def cldr_locale(language: str | None = None) -> str:
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return CLDR_LOCALES.get(language, language)


@cache
def _names(locale: str) -> tuple[dict[str, str], dict[str, str]]:
    """(code → name, English name → name) in ``locale``; empty for a locale CLDR lacks."""
    try:
        names = Locale.parse(locale).languages
    except (UnknownLocaleError, ValueError):
        return {}, {}
    english = Locale.parse("en").languages
    by_code = dict(names)  # as CLDR writes them: Spanish names are lower case ("vietnamita")
    by_english = {english[code]: by_code[code] for code in by_code if code in english}
    return by_code, by_english


def language_name(code: str, stored_name: str, language: str | None = None) -> str:
    """The name of language ``code`` in the reader's language; ``stored_name`` (English) where unknown."""
    locale = cldr_locale(language)
    if locale.startswith("en"):
        return stored_name
    by_code, by_english = _names(locale)
    if code in NOT_IN_CLDR and stored_name == NOT_IN_CLDR[code]:
        return gettext(stored_name)
    return by_code.get(code) or by_english.get(stored_name) or stored_name


def language_names(stored_names, language: str | None = None) -> list[str]:
    """Translate a list of stored (English) language names, as list pages read them from arrays."""
    locale = cldr_locale(language)
    if locale.startswith("en"):
        return list(stored_names)
    _by_code, by_english = _names(locale)
    extra = set(NOT_IN_CLDR.values())
    # "Persian (Farsi)": CLDR knows "Persian".
    return [
        gettext(name) if name in extra else by_english.get(name) or by_english.get(name.split(" (")[0], name)
        for name in stored_names
    ]


def money(amount: Decimal | int | float | str | None, language: str | None = None) -> str:
    """``amount`` in the site's currency, the way the reader writes it ($1,234.50)."""
    if amount is None or amount == "":
        return ""
    return format_currency(Decimal(str(amount)), settings.CURRENCY, locale=cldr_locale(language))
