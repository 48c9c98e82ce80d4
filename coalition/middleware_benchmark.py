"""Response headers that tell the benchmark harness what a request cost in SQL.

Off unless ``settings.BENCHMARK_HEADERS`` is true (env ``BENCHMARK_HEADERS=1``);
settings.py only puts this middleware in ``MIDDLEWARE`` then, first in the list,
so the count includes the session, authentication and axes queries around the view.

- ``X-Query-Count``: SQL statements executed while handling the request.
- ``X-DB-Time-ms``: time spent inside those statements, in milliseconds.
- ``X-CPU-ms``: CPU time the worker's thread spent on the request (``time.thread_time``),
  in milliseconds: unlike wall-clock time it hardly grows when other processes compete
  for the CPU, so budgets judged on it give the same verdict on a busy machine.

Never turn it on in production: it tells anyone how much work a page does.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections


class _QueryCounter:
    """An ``execute_wrapper`` that counts statements and sums their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class QueryCountHeaderMiddleware:
    """Add ``X-Query-Count`` and ``X-DB-Time-ms`` to every response when BENCHMARK_HEADERS is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "BENCHMARK_HEADERS", False):
            return self.get_response(request)
        counter = _QueryCounter()
        cpu_started = time.thread_time()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response["X-Query-Count"] = str(counter.count)
        response["X-DB-Time-ms"] = f"{counter.seconds * 1000:.2f}"
        response["X-CPU-ms"] = f"{(time.thread_time() - cpu_started) * 1000:.2f}"
        return response
