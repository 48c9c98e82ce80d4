"""Demo data for liaison stipends in Riverton: two funding sources, eight liaisons
(the demo user ``liaison`` is one of them), their agreements and payments in every
status. Created by the demo admin ``admin`` and approved by ``admin2``, through the
services, so the history pages have something to show.

Idempotent: a liaison whose payee reference exists is left as it is. Deterministic:
quantities come from ``random.Random(seed)``; dates are counted back from today.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from .models import Department, FundingSource, Language, LiaisonProfile, Neighborhood, Person, User
from .services import stipends as services

LIAISONS = [
    # payee reference, first, last, communities served, rate, unit
    ("VND-100001", None, None, "Spanish-speaking families on the East Side", "150.00", "session"),
    ("VND-100002", "Abdi", "Warsame", "Somali elders and youth", "60.00", "session"),
    ("VND-100003", "Mai", "Vang", "Hmong farmers and market vendors", "35.00", "hour"),
    ("VND-100004", "Grace", "Osei", "Ghanaian congregations", "75.00", "session"),
    ("VND-100005", "Tomás", "Reyes", "Day laborers", "40.00", "hour"),
    ("VND-100006", "Linh", "Tran", "Vietnamese small-business owners", "400.00", "month"),
    ("VND-100007", "Dana", "Whitehorse", "Native youth in Riverside", "80.00", "session"),
    ("VND-100008", "Olga", "Petrenko", "Ukrainian newcomers", "55.00", "session"),
]


# The languages each demo liaison works in (ISO 639 codes of the Language table).
LIAISON_LANGUAGES = {
    "VND-100001": ["es", "en"],
    "VND-100002": ["so", "en"],
    "VND-100003": ["hmn", "en"],
    "VND-100004": ["en"],
    "VND-100005": ["es", "mam"],
    "VND-100006": ["vi", "en"],
    "VND-100007": ["nv", "en"],
    "VND-100008": ["uk", "ru"],
}


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def _month_end(start: datetime.date) -> datetime.date:
    return _month_start(start, -1) - datetime.timedelta(days=1)


def seed(*, random_seed: int = 7) -> int:
    """Create the demo stipend records that do not exist yet; return how many liaisons were added."""
    admin = User.objects.filter(username="admin").first()
    approver = User.objects.filter(username="admin2").first()
    if admin is None or approver is None:
        return 0
    rng = random.Random(random_seed)
    today = timezone.localdate()
    department, _ = Department.objects.get_or_create(
        parent=None, name="Office of Neighborhood Engagement", defaults={"abbreviation": "ONE"}
    )
    main_source, _ = FundingSource.objects.get_or_create(
        name="Community Liaison Program",
        fiscal_year=today.year,
        defaults={"department": department, "budget": Decimal("60000.00")},
    )
    language_source, _ = FundingSource.objects.get_or_create(
        name="Language Access Fund",
        fiscal_year=today.year,
        defaults={"department": department, "budget": Decimal("25000.00")},
    )
    neighborhoods = list(Neighborhood.objects.order_by("name")[:8])
    existing = set(LiaisonProfile.objects.values_list("payee_reference", flat=True))
    agreement_start = _month_start(today, 6)
    agreement_end = _month_start(today, -6) - datetime.timedelta(days=1)
    added = 0
    for index, (reference, first_name, last_name, communities, rate, unit) in enumerate(LIAISONS):
        quantities = [Decimal(rng.randint(2, 6)) for _ in range(5)]
        if reference in existing:
            continue
        person = _person(first_name, last_name)
        profile = services.liaison_profile_create(
            actor=admin,
            person=person,
            payee_reference=reference,
            active_from=agreement_start,
            communities_served=communities,
            partner_department=department,
            neighborhoods=neighborhoods[index % len(neighborhoods) : index % len(neighborhoods) + 1]
            if neighborhoods
            else [],
            languages=Language.objects.filter(code__in=LIAISON_LANGUAGES.get(reference, [])),
        )
        added += 1
        source = language_source if index % 3 == 2 else main_source
        agreement = services.stipend_agreement_create(
            actor=admin,
            liaison=profile,
            funding_source=source,
            rate=Decimal(rate),
            unit=unit,
            start_date=agreement_start,
            end_date=agreement_end,
            cap=Decimal(rate) * (12 if unit == "month" else 60),
        )
        if index == 7:
            continue  # left as a draft waiting for sign-off
        services.stipend_agreement_sign_off(actor=admin, agreement=agreement)
        services.stipend_agreement_activate(actor=admin, agreement=agreement)
        _payments(agreement, quantities, index, admin, approver, today)
        if index == 6:
            services.stipend_agreement_end(actor=admin, agreement=agreement, end_date=today)
    return added


def _person(first_name: str | None, last_name: str | None) -> Person:
    if first_name is None:  # the demo user "liaison"
        user = User.objects.filter(username="liaison").first()
        if user is not None:
            person = Person.objects.filter(user=user).first()
            if person is None:
                person = Person.objects.create(
                    first_name=user.first_name or "Lupe", last_name=user.last_name or "Hernández", user=user
                )
            return person
        first_name, last_name = "Lupe", "Hernández"
    return Person.objects.create(first_name=first_name, last_name=last_name)


def _payments(agreement, quantities, index, admin, approver, today) -> None:
    """Four monthly payments, oldest first: paid, paid, approved, submitted; plus a draft
    for some liaisons and a void one for others."""
    outcomes = ["paid", "paid", "approved", "submitted"]
    extra = "void" if index % 2 else "draft"
    for months_back, outcome in zip([4, 3, 2, 1, 1], [*outcomes, extra], strict=True):
        start = _month_start(today, months_back)
        payment = services.stipend_payment_create(
            actor=admin,
            agreement=agreement,
            period_start=start,
            period_end=_month_end(start),
            quantity=quantities[months_back] if agreement.unit != "month" else Decimal("1"),
        )
        if outcome == "draft":
            continue
        if outcome == "void":
            services.stipend_payment_void(actor=admin, payment=payment, reason="Entered twice by mistake.")
            continue
        services.stipend_payment_submit(actor=admin, payment=payment)
        if outcome == "submitted":
            continue
        services.stipend_payment_approve(actor=approver, payment=payment)
        if outcome == "paid":
            paid_on = min(_month_end(start) + datetime.timedelta(days=10), today)
            services.stipend_payment_mark_paid(
                actor=admin, payment=payment, paid_on=paid_on, finance_reference=f"AP-{payment.pk:06d}"
            )
