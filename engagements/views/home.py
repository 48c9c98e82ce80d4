from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..models import Commitment
from ..selectors.followups import home_commitments_due, home_elections, home_followups, home_term_ends
from .rows import labels, person_name, pk_url, short_dates

HOME_FOLLOWUPS = 10
HORIZON_DAYS = 180


@require_safe
@login_required
def home(request):
    """The signed-in user's home: open follow-ups, the commitments they owe this month, and
    elections and term ends ahead that touch the people they have relationships with."""
    today = timezone.localdate()
    short_date = short_dates()
    elections = home_elections(request.user, today=today, days=HORIZON_DAYS)
    for row in elections:
        row["date_text"] = short_date(row["date"])
    return render(
        request,
        "engagements/home.html",
        {
            "roles": sorted(request.user.role_names),
            "today": today,
            "followups": home_followups(request.user, today=today, limit=HOME_FOLLOWUPS),
            "elections": elections,
            "term_ends": [
                {
                    "date": short_date(row["planned_end_date"]),
                    "person": person_name(
                        row["person__first_name"], row["person__preferred_name"], row["person__last_name"]
                    ),
                    "position": row["position__title"],
                }
                for row in home_term_ends(request.user, today=today, days=HORIZON_DAYS)
            ],
            "horizon_days": HORIZON_DAYS,
            "commitments_due": _commitment_rows(home_commitments_due(request.user, today=today), today, short_date),
        },
    )


def _commitment_rows(commitments, today, short_date) -> list[dict]:
    url = pk_url("engagements:commitment_detail")
    status_labels = labels(Commitment.Status.choices)
    return [
        {
            "pk": row["pk"],
            "url": url(row["pk"]),
            "description": row["description"],
            "overdue": row["due_on"] < today,
            "due": short_date(row["due_on"]),
            "status": status_labels.get(row["status"], row["status"]),
            "engagement_title": row["engagement_title"],
        }
        for row in commitments
    ]
