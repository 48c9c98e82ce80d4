from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..selectors.followups import home_commitments_due, home_elections, home_followups, home_term_ends

HOME_FOLLOWUPS = 10
HORIZON_DAYS = 180


@require_safe
@login_required
def home(request):
    """The signed-in user's home: open follow-ups, the commitments they owe this month, and
    elections and term ends ahead that touch the people they have relationships with."""
    today = timezone.localdate()
    return render(
        request,
        "engagements/home.html",
        {
            "roles": sorted(request.user.role_names),
            "today": today,
            "followups": home_followups(request.user, today=today, limit=HOME_FOLLOWUPS),
            "elections": home_elections(request.user, today=today, days=HORIZON_DAYS),
            "term_ends": home_term_ends(request.user, today=today, days=HORIZON_DAYS),
            "horizon_days": HORIZON_DAYS,
            "commitments_due": home_commitments_due(request.user, today=today),
        },
    )
