"""Project-level views: health check, error pages, and what makes the app installable
(the web app manifest and the service worker)."""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stakeholders.security_log import Action, security_event_record

# What the quick log needs to open with no network; the service worker caches these
# (cache-first) under a name that changes with their content. Add a file here when the
# quick log starts loading it.
OFFLINE_STATIC_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "css/engagements.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/app.js",
    "js/quick_log.js",
    "img/favicon.svg",
)
# The caches' version is a hash of this number, the files above and the worker's own
# script, so a change to any of them replaces every cache. Raise it to force a
# replacement without changing a file.
SERVICE_WORKER_VERSION = 1
SERVICE_WORKER_SCRIPT = "js/sw.js"


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


API_PREFIX = "/api/"


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):  # an address the API does not have (``/api/v1/people/0.5/``)
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database (sessions, navigation) may be what failed.
    return HttpResponseServerError(render_to_string("500.html"))


@require_safe
def web_manifest(request):
    """The web app manifest: the name, icons and start page of the installed app.

    The installed app starts at the quick log, the one page that opens with no network.
    """
    manifest = {
        "id": "/",
        "name": "Coalition",
        "short_name": "Coalition",
        "description": _("Coalition — relationships that outlast turnover."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("engagements:log"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "max-age=86400"
    return response


@require_safe
def service_worker(request):
    """The service worker script, from the site root so that its scope is the whole site.

    It is ``static/js/sw.js`` behind one line of settings: the cache version, the quick
    log's address and the static files to cache. Browsers look for a new version at each
    navigation (``no-cache``); any change of that text installs it.
    """
    source = _service_worker_source() if not settings.DEBUG else _service_worker_source.__wrapped__()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@functools.cache
def _service_worker_source() -> str:
    script = _static_bytes(SERVICE_WORKER_SCRIPT)
    digest = hashlib.sha256(str(SERVICE_WORKER_VERSION).encode() + script)
    for name in OFFLINE_STATIC_FILES:
        digest.update(_static_bytes(name))
    config = {
        "version": digest.hexdigest()[:16],
        "page": reverse("engagements:log"),
        "static": [static(name) for name in OFFLINE_STATIC_FILES],
    }
    return f"self.COALITION_OFFLINE = {json.dumps(config)};\n{script.decode()}"


def _static_bytes(name: str) -> bytes:
    path = finders.find(name)
    if path:
        with open(path, "rb") as file:
            return file.read()
    with staticfiles_storage.open(name) as file:
        return file.read()
