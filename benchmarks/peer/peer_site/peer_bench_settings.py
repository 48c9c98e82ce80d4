"""DjangoCRM's own settings (``webcrm.settings`` of django-crm-admin 1.7.0) on PostgreSQL, for the benchmark.

Run by the peer's virtualenv (gunicorn ``--chdir`` here), never by Coalition's. What changes
from the shipped settings, and why:

- the database: PostgreSQL from ``PEER_DATABASE_URL`` (the shipped default is SQLite),
  ``CONN_MAX_AGE=600`` like the Coalition server the harness starts;
- ``DEBUG`` off, loopback hosts only, warnings-only logging, as Coalition runs;
- the same benchmark middleware as Coalition (``X-Query-Count``, ``X-DB-Time-ms``,
  ``X-CPU-ms``), first in the list as in Coalition's settings;
- a ``/healthz/`` URL in front of its URLconf, so the harness's ``Server`` can wait for it.
"""

import os
import urllib.parse

from webcrm.settings import *  # noqa: F403  # the peer's settings, unchanged unless overridden below
from webcrm.settings import MIDDLEWARE

_url = urllib.parse.urlsplit(os.environ["PEER_DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": urllib.parse.unquote(_url.username or ""),
        "PASSWORD": urllib.parse.unquote(_url.password or ""),
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        "CONN_MAX_AGE": 600,
    }
}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
BENCHMARK_HEADERS = True
MIDDLEWARE = ["peer_bench_middleware.QueryCountHeaderMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "peer_bench_urls"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
