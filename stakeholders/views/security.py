from datetime import UTC

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..filters.security import SecurityEventFilter
from ..models import SecurityEvent
from ..rows import with_choice_labels

PAGE_SIZE = 100
_SHOWN = ("occurred_at", "actor_username", "action", "object_type", "object_id", "path", "ip_address")


@require_safe
@login_required
@permission_required("stakeholders.view_securityevent", raise_exception=True)
def security_log(request):
    """The security log, newest first, for admins. Read-only by design."""
    event_filter = SecurityEventFilter(request.GET, queryset=SecurityEvent.objects.only(*_SHOWN))
    page = Paginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_choice_labels(page.object_list, SecurityEvent._meta.get_field("action"))
    for event in page.object_list:
        # In UTC, as the page says (the date filter would show the site's time zone).
        event.occurred_utc = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    template = "stakeholders/security_log.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": event_filter, "page": page})
