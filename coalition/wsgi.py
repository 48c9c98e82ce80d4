"""The WSGI application gunicorn serves (Dockerfile, docker-compose and the benchmark harness)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps and their models, and through the URLconf
# every view, form and filter) lives as long as the worker. Frozen, it is left out of
# the garbage collector's full collections, which a big page triggers mid-request by
# the objects it allocates: the ally map of 1,800 allies on the large city had a p95
# twice its p50 (200 ms against 109 ms), spent traversing these objects.
get_resolver().url_patterns  # noqa: B018 -- imports the URLconf and every view module now, before freezing
gc.collect()
gc.freeze()
