"""iCalendar output for engagements (one event per engagement), with the icalendar package."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from .models import Engagement

DEFAULT_LENGTH = datetime.timedelta(hours=1)


def calendar_of(engagements: Iterable[Engagement], *, name: str) -> bytes:
    """An iCalendar file with one event per engagement that has a start."""
    calendar = Calendar()
    calendar.add("prodid", "-//Coalition//Engagements//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("://", 1)[-1]
    for engagement in engagements:
        if engagement.starts_at is None:
            continue
        event = Event()
        event.add("uid", f"engagement-{engagement.pk}@{host}")
        event.add("summary", engagement.title)
        event.add("dtstart", engagement.starts_at)
        event.add("dtend", engagement.ends_at or engagement.starts_at + DEFAULT_LENGTH)
        event.add("dtstamp", engagement.updated_at)
        location = ", ".join(part for part in [engagement.location, str(engagement.neighborhood or "")] if part)
        if location:
            event.add("location", location)
        event.add("description", engagement.summary)
        event.add("url", f"{settings.SITE_URL}{engagement.get_absolute_url()}")
        calendar.add_component(event)
    return calendar.to_ical()
