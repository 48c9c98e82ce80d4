"""Ratios, verdict and table of the peer benchmark (benchmarks/peer/compare.py); pure functions.

A result holds, per side (``coalition``, ``peer``), the sequential series of each page kind
(``list``, ``detail``, ``search``) and the load runs of the list page. The ratios read so that
a number above 1 means Coalition is ahead: throughput Coalition / peer, latency and CPU time
peer / Coalition.
"""

from __future__ import annotations

from benchmarks.harness import format_table

KINDS = ("list", "detail", "search")
SIDES = ("coalition", "peer")
# Issue 20: Coalition's people list serves at least 15 times the peer's contact list throughput.
MIN_LIST_THROUGHPUT_RATIO = 15.0


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` to one decimal place (two under 10); None when either is unknown or zero."""
    if not numerator or not denominator:
        return None
    value = numerator / denominator
    return round(value, 1 if value >= 10 else 2)


def load_totals(runs: list[dict]) -> dict | None:
    """The load runs of one side added up: requests, seconds, requests per second, errors, worst p95."""
    if not runs:
        return None
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["duration_s"] for run in runs)
    p95s = [run["latency_ms"]["p95"] for run in runs if run.get("latency_ms")]
    p50s = [run["latency_ms"]["median"] for run in runs if run.get("latency_ms")]
    pressures = [run["cpu_pressure_pct"] for run in runs if run.get("cpu_pressure_pct") is not None]
    return {
        "clients": runs[0]["clients"],
        "runs": len(runs),
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "errors": sum(run["errors"] for run in runs),
        "p50_ms": max(p50s) if p50s else None,
        "p95_ms": max(p95s) if p95s else None,
        "cpu_pressure_pct": round(sum(pressures) / len(pressures), 1) if pressures else None,
    }


def _series_value(series: dict | None, key: str, stat: str) -> float | None:
    if not series or not series.get(key):
        return None
    return series[key][stat]


def ratios(result: dict) -> dict:
    """Coalition against the peer: list throughput, and latency and CPU time per page kind."""
    coalition, peer = result["coalition"], result["peer"]
    out: dict = {"pages": {}}
    for kind in KINDS:
        ours, theirs = coalition["pages"].get(kind), (peer or {}).get("pages", {}).get(kind)
        out["pages"][kind] = {
            "p50_latency_peer_over_coalition": ratio(
                _series_value(theirs, "latency_ms", "median"), _series_value(ours, "latency_ms", "median")
            ),
            "p95_latency_peer_over_coalition": ratio(
                _series_value(theirs, "latency_ms", "p95"), _series_value(ours, "latency_ms", "p95")
            ),
            "cpu_ms_peer_over_coalition": ratio(
                _series_value(theirs, "cpu_ms", "median"), _series_value(ours, "cpu_ms", "median")
            ),
            "queries_peer_over_coalition": ratio(
                _series_value(theirs, "queries", "max"), _series_value(ours, "queries", "max")
            ),
        }
    ours_load, theirs_load = load_totals(coalition.get("load", [])), load_totals((peer or {}).get("load", []))
    out["list_throughput_coalition_over_peer"] = ratio(
        ours_load and ours_load["rps"], theirs_load and theirs_load["rps"]
    )
    # The same throughput in rows shown per second: the pages differ in length (Coalition 50, peer 100).
    ours_rows = (coalition["pages"].get("list") or {}).get("rows")
    theirs_rows = ((peer or {}).get("pages", {}).get("list") or {}).get("rows")
    out["list_rows_per_second_coalition_over_peer"] = ratio(
        ours_load and ours_rows and ours_load["rps"] * ours_rows,
        theirs_load and theirs_rows and theirs_load["rps"] * theirs_rows,
    )
    return out


def verdict(result: dict, minimum: float = MIN_LIST_THROUGHPUT_RATIO) -> tuple[bool | None, str]:
    """Whether Coalition's list throughput is at least ``minimum`` times the peer's (None: not measured)."""
    if result.get("peer") is None:
        return None, f"not judged: the peer was not measured ({result.get('peer_unavailable') or 'no peer result'})"
    value = ratios(result)["list_throughput_coalition_over_peer"]
    if value is None:
        return None, "not judged: a list load run served no request"
    coalition_errors = (load_totals(result["coalition"]["load"]) or {}).get("errors", 0)
    peer_errors = (load_totals(result["peer"]["load"]) or {}).get("errors", 0)
    if coalition_errors or peer_errors:
        return False, f"load errors (Coalition {coalition_errors}, peer {peer_errors}): throughputs not comparable"
    if value >= minimum:
        return True, f"Coalition's list throughput is {value}x the peer's (needed >= {minimum:g}x)"
    return False, f"Coalition's list throughput is only {value}x the peer's (needed >= {minimum:g}x)"


PAGE_HEADERS = [
    "page",
    "side",
    "path",
    "rows",
    "p50 ms",
    "p95 ms",
    "cpu ms",
    "queries",
    "db ms",
    "KB",
    "pressure %",
    "errors",
]
LOAD_HEADERS = ["page", "side", "clients", "seconds", "requests", "req/s", "errors", "p50 ms", "p95 ms", "pressure %"]
RATIO_HEADERS = ["page", "p50 peer/ours", "p95 peer/ours", "cpu peer/ours", "queries peer/ours"]


def _page_row(kind: str, side: str, series: dict) -> list:
    return [
        kind,
        side,
        series["path"],
        series.get("rows"),
        _series_value(series, "latency_ms", "median"),
        _series_value(series, "latency_ms", "p95"),
        _series_value(series, "cpu_ms", "median"),
        _series_value(series, "queries", "max"),
        _series_value(series, "db_ms", "median"),
        round(series["bytes"]["median"] / 1024, 1) if series.get("bytes") else None,
        series.get("cpu_pressure_pct"),
        series["errors"],
    ]


def format_report(result: dict) -> str:
    """The tables printed to stdout: pages side by side, list load, ratios and the verdict."""
    meta = result["meta"]
    lines = [
        f"Peer benchmark {meta['started_at']} (commit {meta.get('commit') or '?'}, {meta['cpus']} CPUs, load average "
        f"{meta['loadavg']}): Coalition against {meta['peer_package']}, {meta['server']}",
        f"data: Coalition {meta['coalition_counts']}; peer {meta.get('peer_counts') or '-'}",
        f"{meta['requests_per_page']} requests per page per side in {meta['rounds']} interleaved rounds; "
        f"list load {meta['clients']} clients, {meta['load_rounds']} x {meta['load_seconds']:g} s per side",
    ]
    if result.get("peer_unavailable"):
        lines.append(f"PEER NOT MEASURED: {result['peer_unavailable']}")
    rows = []
    for kind in KINDS:
        for side in SIDES:
            series = (result.get(side) or {}).get("pages", {}).get(kind)
            if series:
                rows.append(_page_row(kind, side, series))
    lines += ["", format_table(PAGE_HEADERS, rows)]
    load_rows = []
    for side in SIDES:
        totals = load_totals((result.get(side) or {}).get("load", []))
        if totals:
            load_rows.append(
                [
                    "list",
                    side,
                    totals["clients"],
                    totals["seconds"],
                    totals["requests"],
                    totals["rps"],
                    totals["errors"],
                    totals["p50_ms"],
                    totals["p95_ms"],
                    totals["cpu_pressure_pct"],
                ]
            )
    if load_rows:
        lines += ["", format_table(LOAD_HEADERS, load_rows)]
    if result.get("peer"):
        computed = ratios(result)
        ratio_rows = [
            [
                kind,
                computed["pages"][kind]["p50_latency_peer_over_coalition"],
                computed["pages"][kind]["p95_latency_peer_over_coalition"],
                computed["pages"][kind]["cpu_ms_peer_over_coalition"],
                computed["pages"][kind]["queries_peer_over_coalition"],
            ]
            for kind in KINDS
        ]
        lines += [
            "",
            format_table(RATIO_HEADERS, ratio_rows),
            "",
            f"list throughput, Coalition / peer: {computed['list_throughput_coalition_over_peer']}x pages per second,"
            f" {computed['list_rows_per_second_coalition_over_peer']}x rows shown per second",
        ]
    ok, message = verdict(result)
    lines.append({True: "PASS: ", False: "FAIL: ", None: ""}[ok] + message)
    return "\n".join(lines)
