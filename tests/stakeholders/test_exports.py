"""CSV exports neutralise formulas and are logged."""

import csv
import io

import pytest
from django.test import RequestFactory

from stakeholders.exports import csv_response, safe_cell
from stakeholders.models import SecurityEvent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ana", "Ana"),
        (None, ""),
        (12, "12"),
        ("a=b", "a=b"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    """Cells beginning with = + - @ (or tab/CR) get an apostrophe; others pass unchanged."""
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_export_streams_rows_and_logs_it(admin_user):
    """The download holds header and rows, and the export is in the security log."""
    request = RequestFactory().get("/people/export/", {"q": "x"})
    request.user = admin_user
    response = csv_response(request=request, name="people", header=["Name"], rows=iter([["=cmd"], ["Ana"]]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [["Name"], ["'=cmd"], ["Ana"]]
    assert 'filename="people-' in response["Content-Disposition"]
    event = SecurityEvent.objects.get(action="exported")
    assert event.actor == admin_user and event.detail["export"] == "people"
