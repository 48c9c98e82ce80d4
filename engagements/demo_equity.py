"""Demo equity data: consented demographics for most residents and a census baseline,
so the demo city's equity dashboard has something to compare. Running it twice changes nothing."""

from __future__ import annotations

import random

from django.utils import timezone

from stakeholders.models import Neighborhood, Person, PersonDemographics, User
from stakeholders.roles import Role

from .models import BaselineRow, BreakdownCategory, BreakdownOption, CensusBaseline, Commitment, EquityAssessment

BASELINE_NAME = "Riverton ACS 2024 5-year estimates (demo)"
CITY_POPULATION = 184_000
# Shares of residents by preferred language and age band; each district varies around them.
LANGUAGE_SHARES = {"en": 0.62, "es": 0.21, "vi": 0.06, "so": 0.04, "ar": 0.03, "zh": 0.03, "asl": 0.01}
AGE_SHARES = {"Under 18": 0.22, "18–24": 0.10, "25–44": 0.28, "45–64": 0.24, "65 and over": 0.16}
AGE_WEIGHTS = {"under_18": 1, "18_24": 3, "25_34": 4, "35_44": 4, "45_54": 4, "55_64": 3, "65_plus": 4, "not_said": 1}


def seed(*, seed_value: int = 14) -> dict[str, int]:
    rng = random.Random(seed_value)
    return {"demographics": _demographics(rng), "baseline_rows": _baseline(rng), "assessments": _assessments()}


# Three decisions weighed for equity: one published, one reviewed, one still a draft.
ASSESSMENTS = [
    (
        "published",
        "Renters in Canal District and Eastside Flats, most of them Spanish- or Somali-speaking households.",
        "Construction detours for six weeks on the bus lines these households use most.",
        "Safer crossings near two schools and a shelter at the busiest stop.",
        "Detour maps in Spanish and Somali, and a shuttle during the two weeks of full closure.",
    ),
    (
        "reviewed",
        "Older residents of Iron Hill who do not drive.",
        "Fewer evening meetings in person.",
        "Meetings by phone with interpretation.",
        "A phone line with a call-back in the resident's language.",
    ),
    (
        "draft",
        "Families with children under 18 in Sunnyside.",
        "",
        "Longer library hours on weekends.",
        "",
    ),
]


def _assessments() -> int:
    """A few equity impact assessments on the demo's commitments, through the services."""
    from .services.assessments import assessment_create, assessment_set_status

    if EquityAssessment.objects.exists():
        return 0
    author = User.objects.filter(groups__name=str(Role.COORDINATOR), is_active=True).order_by("pk").first()
    reviewer = User.objects.filter(groups__name=str(Role.ADMIN), is_active=True).order_by("pk").first()
    commitments = list(
        Commitment.objects.filter(engagement__is_published=True, equity_assessment__isnull=True).order_by("pk")[:3]
    )
    if author is None or reviewer is None or len(commitments) < len(ASSESSMENTS):
        return 0
    for commitment, (status, populations, burdens, benefits, mitigation) in zip(commitments, ASSESSMENTS, strict=False):
        assessment = assessment_create(
            actor=author,
            commitment=commitment,
            populations_affected=populations,
            burdens=burdens,
            benefits=benefits,
            mitigation=mitigation,
            input_items=list(commitment.engagement.input_items.all()[:2]),
        )
        if status in ("reviewed", "published"):
            assessment_set_status(actor=reviewer, assessment=assessment, status="reviewed")
        if status == "published":
            assessment_set_status(actor=reviewer, assessment=assessment, status="published")
    return len(ASSESSMENTS)


def _demographics(rng: random.Random) -> int:
    """Six residents in ten consent to give an age band."""
    if PersonDemographics.objects.exists():  # seeded before (or entered by hand): leave them
        return 0
    recorder = User.objects.filter(groups__name=str(Role.STAFF), is_active=True).order_by("pk").first()
    residents = Person.objects.filter(user__isnull=True, demographics__isnull=True).order_by("pk")
    now = timezone.now()
    bands, weights = list(AGE_WEIGHTS), list(AGE_WEIGHTS.values())
    rows = [
        PersonDemographics(
            person=person,
            consent_recorded_at=now,
            consent_recorded_by=recorder,
            age_band=rng.choices(bands, weights=weights)[0],
        )
        for person in residents
        if rng.random() < 0.6
    ]
    PersonDemographics.objects.bulk_create(rows)
    return len(rows)


def _baseline(rng: random.Random) -> int:
    if CensusBaseline.objects.exists():
        return 0
    languages = {
        option.language_id: option
        for option in BreakdownOption.objects.filter(category__kind=BreakdownCategory.Kind.LANGUAGE)
        if option.language_id
    }
    ages = {
        option.label: option
        for option in BreakdownOption.objects.filter(category__kind=BreakdownCategory.Kind.AGE_BAND)
    }
    places = {
        option.neighborhood_id: option
        for option in BreakdownOption.objects.filter(category__kind=BreakdownCategory.Kind.NEIGHBORHOOD)
        if option.neighborhood_id
    }
    neighborhoods = list(Neighborhood.objects.order_by("name"))
    if not neighborhoods or not languages:
        return 0
    baseline = CensusBaseline.objects.create(name=BASELINE_NAME, source_file="riverton-acs-2024.csv")
    rows = []
    sizes = {n.pk: rng.randint(5_000, 14_000) for n in neighborhoods}
    scale = CITY_POPULATION / sum(sizes.values())
    sizes = {pk: round(size * scale) for pk, size in sizes.items()}
    districts: dict[str, int] = {}
    for neighborhood in neighborhoods:
        if neighborhood.council_district:
            districts[neighborhood.council_district] = (
                districts.get(neighborhood.council_district, 0) + sizes[neighborhood.pk]
            )
        if neighborhood.pk in places:
            rows.append(_row(baseline, "city", "", places[neighborhood.pk], sizes[neighborhood.pk]))

    def shares(table: dict, population: int, vary: float) -> list[tuple]:
        weights = {key: share * rng.uniform(1 - vary, 1 + vary) for key, share in table.items()}
        total = sum(weights.values())
        return [(key, round(population * weight / total)) for key, weight in weights.items()]

    geographies = [("city", "", CITY_POPULATION)] + [("council_district", d, p) for d, p in sorted(districts.items())]
    for kind, name, population in geographies:
        vary = 0 if kind == "city" else 0.6
        for code, people in shares(LANGUAGE_SHARES, population, vary):
            if code in languages:
                rows.append(_row(baseline, kind, name, languages[code], people))
        for label, people in shares(AGE_SHARES, population, vary / 3):
            if label in ages:
                rows.append(_row(baseline, kind, name, ages[label], people))
    BaselineRow.objects.bulk_create(rows)
    return len(rows)


def _row(baseline, kind, name, option, population) -> BaselineRow:
    return BaselineRow(baseline=baseline, geography_kind=kind, geography=name, option=option, population=population)
