"""Refuse requests that carry NUL characters, before any code can pass them on.

PostgreSQL cannot store or compare text containing NUL (psycopg2 raises
``ValueError`` before the query is sent), so a NUL that reaches a query — a
search box read straight from ``request.GET``, a field that is not a Django
``CharField``, a third-party handler reading ``request.POST`` — is a 500.
Django's ``CharField`` already turns NUL into a field error; this covers every
other path. A browser never sends NUL from a form, so the answer is a plain 400
(JSON with ``detail`` for the API).
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _carries_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        has_form_body = request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }
        if NUL in request.path or _carries_nul(request.GET) or (has_form_body and _carries_nul(request.POST)):
            message = _(
                "The request contains a NUL character, which this site does not accept. Remove it and try again."
            )
            if request.path.startswith("/api/"):  # API clients read JSON errors
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
