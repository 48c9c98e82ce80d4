"""CSV exports: spreadsheet-safe cells, streamed rows, and a security-log entry.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) would be run as a formula by a spreadsheet, so it is prefixed with an
apostrophe. Every export is written to the security log (who, what, how many rows).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from django.utils import timezone

from .security_log import Action, security_event_record

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell value as text that no spreadsheet will evaluate."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(
    *, request, name: str, header: Sequence[str], rows: Iterable[Sequence], record_type: str = ""
) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV download named ``<name>-<date>.csv`` and log the export.

    ``rows`` may be a lazy iterator; cells are neutralised one by one.
    """
    writer = csv.writer(_Echo())
    counted = {"rows": 0}

    def stream():
        yield "\ufeff"  # BOM, so spreadsheet programs read UTF-8 names correctly
        yield writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            counted["rows"] += 1
            yield writer.writerow([safe_cell(cell) for cell in row])

    security_event_record(
        action=Action.EXPORTED,
        request=request,
        detail={"export": name, "record_type": record_type, "query": request.GET.urlencode()[:500]},
    )
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
