"""Project-level views: health check and error pages."""

from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stakeholders.security_log import Action, security_event_record


@require_safe
@never_cache
def healthz(request):
    """Liveness for the load balancer and compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    security_event_record(action=Action.PERMISSION_DENIED, request=request, detail={"method": request.method})
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database (sessions, navigation) may be what failed.
    return HttpResponseServerError(render_to_string("500.html"))
