"""The month calendar, one engagement as .ics, and each user's secret iCal feed."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..ical import calendar_of
from ..selectors.engagements import calendar_engagements_for, engagement_for_user, engagements_visible_to
from ..services import engagements as services


def _month_from(value: str | None) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_calendar(request):
    """A month of engagements as a grid (``?month=YYYY-MM``); a list of days on narrow screens."""
    first = _month_from(request.GET.get("month"))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    by_day: dict[datetime.date, list] = {}
    for engagement in engagements_visible_to(request.user).filter(starts_at__gte=start, starts_at__lt=end):
        by_day.setdefault(timezone.localdate(engagement.starts_at), []).append(engagement)
    weeks = [
        [{"date": day, "in_month": day.month == first.month, "engagements": by_day.get(day, [])} for day in week]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "month": first,
        "weeks": weeks,
        "weekdays": [week["date"] for week in weeks[0]],
        "previous": previous.strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "days_with_engagements": sorted(by_day.items()),
    }
    return render(request, "engagements/engagement_calendar.html", context)


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_ics(request, pk):
    """One engagement as an .ics file to add to a calendar."""
    engagement = engagement_for_user(request.user, pk)
    response = HttpResponse(calendar_of([engagement], name=engagement.title), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="engagement-{engagement.pk}.ics"'
    return response


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def calendar_feed(request):
    """The user's secret feed address, with a button to replace it."""
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(feed.get_absolute_url())
    return render(request, "engagements/calendar_feed.html", {"feed_url": url})


@login_required
@require_POST
def calendar_feed_revoke(request):
    """Replace the feed's secret: the old address stops working."""
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your old calendar address no longer works. Subscribe with the new one."))
    return redirect("engagements:calendar_feed")


def ical_feed(request, token):
    """A user's engagements as an iCal feed; the secret token in the address is the only key."""
    user, engagements = calendar_engagements_for(token)
    body = calendar_of(engagements.order_by("-starts_at")[:500], name=_("My engagements"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
