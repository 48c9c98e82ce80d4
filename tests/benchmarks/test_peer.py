"""The peer benchmark's arithmetic and report (benchmarks/peer/report.py) on synthetic results,
and its command line; the run itself (a second venv, two databases, minutes) stays out of the suite."""

from __future__ import annotations

from benchmarks.peer import compare, report


def _series(median: float, p95: float, cpu: float, queries: int, rows: int | None = 50) -> dict:
    return {
        "page": "x",
        "path": "/x/",
        "requests": 200,
        "status_codes": {"200": 200},
        "errors": 0,
        "rows": rows,
        "latency_ms": {"median": median, "p95": p95, "min": median, "max": p95},
        "cpu_ms": {"median": cpu, "p95": cpu, "min": cpu, "max": cpu},
        "queries": {"median": queries, "p95": queries, "min": queries, "max": queries},
        "db_ms": {"median": 1.0, "p95": 1.0, "min": 1.0, "max": 1.0},
        "bytes": {"median": 2048, "p95": 2048, "min": 2048, "max": 2048},
        "cpu_pressure_pct": 10.0,
    }


def _load(requests: int, seconds: float, errors: int = 0) -> dict:
    return {
        "page": "x",
        "clients": 4,
        "duration_s": seconds,
        "requests": requests,
        "rps": round(requests / seconds, 1),
        "errors": errors,
        "status_codes": {"200": requests - errors},
        "latency_ms": {"median": 10.0, "p95": 20.0, "min": 5.0, "max": 30.0},
        "cpu_pressure_pct": 30.0,
    }


def _result(coalition_requests: int, peer_requests: int, peer_errors: int = 0) -> dict:
    return {
        "meta": {
            "started_at": "2026-12-05T00:00:00+00:00",
            "commit": "abc1234",
            "cpus": 2,
            "loadavg": "1.00 1.00 1.00",
            "peer_package": "django-crm-admin==1.7.0",
            "server": "gunicorn sync, 2 workers x 1 thread each",
            "coalition_counts": {"people": 10_000},
            "peer_counts": {"contacts": 10_000},
            "rounds": 10,
            "requests_per_page": 200,
            "clients": 4,
            "load_rounds": 2,
            "load_seconds": 10.0,
        },
        "coalition": {
            "pages": {
                "list": _series(10.0, 12.0, 8.0, 7),
                "detail": _series(8.0, 9.0, 6.0, 9, rows=None),
                "search": _series(12.0, 15.0, 9.0, 7),
            },
            "load": [_load(coalition_requests, 10.0), _load(coalition_requests, 10.0)],
        },
        "peer": {
            "pages": {
                "list": _series(200.0, 240.0, 160.0, 322, rows=100),
                "detail": _series(80.0, 90.0, 60.0, 32, rows=None),
                "search": _series(300.0, 330.0, 190.0, 322, rows=100),
            },
            "load": [_load(peer_requests, 10.0, peer_errors), _load(peer_requests, 10.0)],
        },
        "peer_unavailable": None,
    }


def test_ratio_rounds_and_refuses_unknown_or_zero():
    """A ratio has one decimal from 10 up and two below; a missing or zero side gives no ratio."""
    assert report.ratio(200.0, 8.0) == 25.0
    assert report.ratio(1.0, 3.0) == 0.33
    assert report.ratio(None, 3.0) is None
    assert report.ratio(3.0, 0) is None


def test_load_totals_add_the_runs_up():
    """Requests per second over several runs are all requests over all seconds, not a mean of rates."""
    totals = report.load_totals([_load(100, 10.0), _load(300, 20.0)])
    assert totals["requests"] == 400
    assert totals["seconds"] == 30.0
    assert totals["rps"] == 13.3
    assert report.load_totals([]) is None


def test_ratios_read_above_one_when_coalition_is_ahead():
    """Throughput is Coalition over the peer; latency, CPU time and queries are the peer over Coalition;
    rows per second account for the peer's longer page."""
    computed = report.ratios(_result(coalition_requests=1000, peer_requests=50))
    assert computed["list_throughput_coalition_over_peer"] == 20.0
    assert computed["list_rows_per_second_coalition_over_peer"] == 10.0
    assert computed["pages"]["list"]["p50_latency_peer_over_coalition"] == 20.0
    assert computed["pages"]["detail"]["p95_latency_peer_over_coalition"] == 10.0
    assert computed["pages"]["search"]["cpu_ms_peer_over_coalition"] == 21.1
    assert computed["pages"]["list"]["queries_peer_over_coalition"] == 46.0


def test_verdict_needs_fifteen_times_the_peer_list_throughput():
    """The list must serve at least 15x the peer's requests per second, without load errors."""
    assert report.verdict(_result(coalition_requests=1500, peer_requests=100))[0] is True
    ok, message = report.verdict(_result(coalition_requests=1400, peer_requests=100))
    assert ok is False
    assert "14.0x" in message
    ok, message = report.verdict(_result(coalition_requests=1500, peer_requests=100, peer_errors=3))
    assert ok is False
    assert "errors" in message


def test_a_missing_peer_is_reported_not_judged():
    """When the peer could not be installed the report says why and still shows Coalition's figures."""
    result = _result(coalition_requests=1000, peer_requests=50)
    result["peer"] = None
    result["peer_unavailable"] = "pip could not install the peer's requirements (exit 1)"
    assert report.verdict(result)[0] is None
    text = report.format_report(result)
    assert "PEER NOT MEASURED: pip could not install" in text
    assert "/x/" in text


def test_report_shows_both_sides_and_the_ratios():
    """The printed report has a row per page and side, both load totals, the ratios and the verdict."""
    text = report.format_report(_result(coalition_requests=2000, peer_requests=50))
    assert text.count("coalition") >= 4
    assert text.count("peer ") >= 4
    assert "40.0x pages per second, 20.0x rows shown per second" in text
    assert "PASS: Coalition's list throughput is 40.0x the peer's" in text


def test_command_line_defaults_and_requirement_names():
    """The defaults match the documented run; a requirement line's name drops its version and markers."""
    args = compare.parse_args([])
    assert (args.rounds, args.per_round, args.clients, args.workers) == (10, 20, 4, 2)
    assert args.peer_venv == args.data_dir / "venv"
    assert compare._requirement_name("mysqlclient==2.2.7") == "mysqlclient"
    assert compare._requirement_name("Django>=5.2; python_version >= '3.10'") == "django"
