"""The demo city's equity data: consented demographics, a census baseline and three
assessments (one published), made once; a second seed changes nothing."""

import io

import pytest
from django.core.management import call_command

from engagements.models import BaselineRow, CensusBaseline, EquityAssessment
from stakeholders.models import PersonDemographics

pytestmark = pytest.mark.django_db


def _counts():
    return (
        PersonDemographics.objects.filter(consent_recorded_at__isnull=False).count(),
        CensusBaseline.objects.count(),
        BaselineRow.objects.count(),
        sorted(EquityAssessment.objects.values_list("status", flat=True)),
    )


def test_the_demo_city_has_equity_data_and_seeding_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    consented, baselines, rows, statuses = first = _counts()
    assert consented > 100 and baselines == 1 and rows > 50
    assert statuses == ["draft", "published", "reviewed"]
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
