import unicodedata

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from stakeholders.rows import choice_labels, person_name, pk_url

from ..models import Commitment
from ..selectors.followups import home_commitments_due, home_elections, home_followups, home_term_ends
from .rows import short_dates

HOME_FOLLOWUPS = 10
HORIZON_DAYS = 180
COMMITMENT_CHARS = 120


@require_safe
@login_required
def home(request):
    """The signed-in user's home: open follow-ups, the commitments they owe this month, and
    elections and term ends ahead that touch the people they have relationships with."""
    today = timezone.localdate()
    short_date = short_dates()
    # Each row of the two "coming up" lists is one line of text, made here: a row then costs
    # the template one variable, not four (the large city fills both lists, 100 rows).
    elections = home_elections(request.user, today=today, days=HORIZON_DAYS)
    for row in elections:
        row["text"] = f"{short_date(row['date'])} · {row['election']}: {row['position']} ({row['holder']})"
    return render(
        request,
        "engagements/home.html",
        {
            "roles": sorted(request.user.role_names),
            "today": today,
            "followups": home_followups(request.user, today=today, limit=HOME_FOLLOWUPS),
            "elections": elections,
            "term_ends": [
                _term_end_row(
                    date=short_date(row["planned_end_date"]),
                    person=person_name(
                        row["person__first_name"], row["person__preferred_name"], row["person__last_name"]
                    ),
                    position=row["position__title"],
                )
                for row in home_term_ends(request.user, today=today, days=HORIZON_DAYS)
            ],
            "horizon_days": HORIZON_DAYS,
            "commitments_due": _commitment_rows(home_commitments_due(request.user, today=today), today, short_date),
        },
    )


def _term_end_row(*, date: str, person: str, position: str) -> dict:
    return {"date": date, "person": person, "position": position, "text": f"{date} · {person}, {position}"}


def _commitment_rows(commitments, today, short_date) -> list[dict]:
    url = pk_url("engagements:commitment_detail")
    status_labels = choice_labels(Commitment.Status.choices)
    return [
        {
            "pk": row["pk"],
            "url": url(row["pk"]),
            "description": _truncated(row["description"], COMMITMENT_CHARS),
            "overdue": row["due_on"] < today,
            "due": short_date(row["due_on"]),
            # What follows "due <date>": status and engagement, escaped together by the template.
            "about": f"{status_labels.get(row['status'], row['status'])} · {row['engagement_title']}",
        }
        for row in commitments
    ]


def _truncated(text: str, length: int) -> str:
    """``text|truncatechars:length``, without walking the characters of a text that fits."""
    normalized = unicodedata.normalize("NFC", text)
    return normalized if len(normalized) <= length else Truncator(text).chars(length)
