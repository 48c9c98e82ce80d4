from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..filters.security import SecurityEventFilter
from ..models import SecurityEvent

PAGE_SIZE = 100


@require_safe
@login_required
@permission_required("stakeholders.view_securityevent", raise_exception=True)
def security_log(request):
    """The security log, newest first, for admins. Read-only by design."""
    event_filter = SecurityEventFilter(request.GET, queryset=SecurityEvent.objects.all())
    page = Paginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "stakeholders/security_log.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": event_filter, "page": page})
