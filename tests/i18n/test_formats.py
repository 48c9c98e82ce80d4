"""Dates, numbers, money and language names are written the reader's way."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from stakeholders.language_names import language_name, language_names, money


@pytest.mark.parametrize(
    ("language", "long_date", "short_date"),
    [("en", "Dec. 4, 2026", "12/04/2026"), ("es", "4 de diciembre de 2026", "4 dic 2026")],
)
def test_dates_read_the_readers_way(language, long_date, short_date):
    """Spanish dates spell the month, so 4/12 is never taken for April 12."""
    day = datetime.date(2026, 12, 4)
    with translation.override(language):
        assert date_format(day) == long_date
        assert date_format(day, "SHORT_DATE_FORMAT") == short_date


@pytest.mark.parametrize("language", ["en", "es"])
def test_numbers_and_money_keep_us_separators(language):
    """Amounts read $1,234.50 in both languages (Spanish as written in the US, CLDR es-US)."""
    with translation.override(language):
        assert money(Decimal("1234.5")) == "$1,234.50"
        assert number_format(Decimal("1234.56"), 2, force_grouping=True) == "1,234.56"
        rendered = Template("{% load formatting %}{{ amount|money }}").render(Context({"amount": Decimal("75")}))
        assert rendered == "$75.00"
    assert money(None) == ""


def test_language_names_are_in_the_readers_language():
    """The stored English names become Spanish ones (CLDR or the catalog); unknown ones stay as stored."""
    with translation.override("es"):
        assert language_name("vi", "Vietnamese") == "vietnamita"
        assert language_name("asl", "American Sign Language") == "lengua de señas americana"
        assert language_name("xx", "Made-up tongue") == "Made-up tongue"
        assert language_names(["Spanish", "Persian (Farsi)", "Made-up tongue"]) == [
            "español",
            "persa",
            "Made-up tongue",
        ]
    with translation.override("en"):
        assert language_name("vi", "Vietnamese") == "Vietnamese"


@pytest.mark.django_db
def test_date_inputs_keep_iso_values_in_spanish(client, coordinator_user):
    """An edit form in Spanish fills <input type="date"> with an ISO value the browser can show."""
    from tests.engagements.factories import EngagementFactory

    engagement = EngagementFactory(created_by=coordinator_user)
    client.force_login(coordinator_user)
    body = client.get(f"/engagements/{engagement.pk}/edit/", headers={"accept-language": "es"}).content.decode()
    local_day = engagement.starts_at.astimezone().date()
    assert 'type="date"' in body
    assert f'value="{local_day.isoformat()}"' in body or 'value="20' in body
