"""The targets of the SwiftNIO HTTP core, each checked against one run's results.

Ratios are within the same run, so noise from the shared machine lands on both sides of each.
The Flask/gunicorn ratios are the earlier targets, kept so a regression against them shows.
"""
import statistics
from dataclasses import dataclass
from typing import List, Optional

from .systems import GUNICORN, LB_NGINX, LB_SEED, NGINX, SEED_MEMORY, SEED_REDIS

PEAK_MEMORY_LIMIT_MB = 20.0
MEMORY_REQUESTS = 1_000_000
FIRST_200_LIMIT_MS = 50.0
SEED_SERVER_ROWS = (SEED_MEMORY, SEED_REDIS, LB_SEED)


@dataclass(frozen=True)
class TargetCheck:
    target: str
    measured: str
    met: Optional[bool]    # None: not measured in this run


class Rows:
    """Looks up one table row of a results dict by system, method and concurrency."""

    def __init__(self, results: dict) -> None:
        self.rows = {(r["key"], r["method"], r["connections"]): r for r in results["rows"]}

    def get(self, key: str, method: str, connections: int) -> Optional[dict]:
        return self.rows.get((key, method, connections))


def _ratio_check(target: str, numerator: Optional[dict], denominator: Optional[dict],
                 field: str, at_least: Optional[float] = None,
                 at_most: Optional[float] = None) -> TargetCheck:
    if not numerator or not denominator or not denominator[field]:
        return TargetCheck(target, "not measured", None)
    ratio = numerator[field] / denominator[field]
    unit = "req/s" if field == "median_rps" else "ms"
    digits = 0 if unit == "req/s" else 3
    measured = (f"{ratio:.2f}× ({numerator[field]:,.{digits}f} vs "
                f"{denominator[field]:,.{digits}f} {unit})")
    met = ratio >= at_least if at_least is not None else ratio <= at_most
    return TargetCheck(target, measured, met)


def check_targets(results: dict) -> List[TargetCheck]:
    rows = Rows(results)
    nginx64 = rows.get(NGINX, "GET", 64)
    checks = [
        _ratio_check("seed-server memory GET ≥ 0.85× nginx (c=64)",
                     rows.get(SEED_MEMORY, "GET", 64), nginx64, "median_rps", at_least=0.85),
        _ratio_check("seed-server Redis GET ≥ 0.75× nginx (c=64)",
                     rows.get(SEED_REDIS, "GET", 64), nginx64, "median_rps", at_least=0.75),
        _ratio_check("seed-server Redis POST ≥ 0.6× nginx GET (c=64)",
                     rows.get(SEED_REDIS, "POST", 64), nginx64, "median_rps", at_least=0.6),
        _ratio_check("HAProxy → 2× seed-server Redis GET ≥ 0.8× HAProxy → 2× nginx (c=64)",
                     rows.get(LB_SEED, "GET", 64), rows.get(LB_NGINX, "GET", 64), "median_rps",
                     at_least=0.8),
        _ratio_check("seed-server Redis GET ≥ 15× gunicorn + redis-py GET (c=64)",
                     rows.get(SEED_REDIS, "GET", 64), rows.get(GUNICORN, "GET", 64),
                     "median_rps", at_least=15),
        _ratio_check("seed-server Redis POST ≥ 15× gunicorn + redis-py POST (c=64)",
                     rows.get(SEED_REDIS, "POST", 64), rows.get(GUNICORN, "POST", 64),
                     "median_rps", at_least=15),
    ]
    for key, label in ((SEED_MEMORY, "memory"), (SEED_REDIS, "Redis")):
        for method in ("GET", "POST"):
            checks.append(_ratio_check(f"seed-server {label} {method} p99 ≤ 1.5× nginx p99 (c=64)",
                                       rows.get(key, method, 64), nginx64, "p99_ms", at_most=1.5))
    checks.append(_ratio_check("seed-server Redis GET p50 ≤ 2.5× nginx p50 (c=1)",
                               rows.get(SEED_REDIS, "GET", 1), rows.get(NGINX, "GET", 1),
                               "p50_ms", at_most=2.5))
    checks += _memory_checks(results) + _startup_checks(results) + [_error_check(results)]
    return checks


def _memory_checks(results: dict) -> List[TargetCheck]:
    checks = []
    for peak in results.get("memory", []):
        target = (f"seed-server ({peak['backend']}) peak RSS ≤ {PEAK_MEMORY_LIMIT_MB:.0f} MB "
                  f"after {MEMORY_REQUESTS / 1e6:.0f}M requests")
        measured = (f"{peak['peak_mb']:.1f} MB after {peak['requests']:,} requests "
                    f"({peak['idle_mb']:.1f} MB idle)")
        enough = peak["requests"] >= MEMORY_REQUESTS and peak["errors"] == 0
        if not enough:
            measured += f"; only {peak['requests']:,} requests, {peak['errors']} errors"
        checks.append(TargetCheck(target, measured,
                                  enough and peak["peak_mb"] <= PEAK_MEMORY_LIMIT_MB))
    if not checks:
        checks.append(TargetCheck(f"seed-server peak RSS ≤ {PEAK_MEMORY_LIMIT_MB:.0f} MB after 1M requests",
                                  "not measured", None))
    return checks


def _startup_checks(results: dict) -> List[TargetCheck]:
    checks = []
    for backend, timings in results.get("startup", {}).items():
        target = f"seed-server ({backend}) first 200 ≤ {FIRST_200_LIMIT_MS:.0f} ms after exec"
        answered = [t for t in timings if t is not None]
        if len(answered) < len(timings) or not answered:
            checks.append(TargetCheck(target, f"{len(timings) - len(answered)} of "
                                      f"{len(timings)} starts gave no 200 within 10 s", False))
            continue
        median_ms = statistics.median(answered) * 1000
        checks.append(TargetCheck(
            target, f"median {median_ms:.0f} ms of {len(timings)} starts "
                    f"({min(answered) * 1000:.0f}–{max(answered) * 1000:.0f} ms)",
            median_ms <= FIRST_200_LIMIT_MS))
    if not checks:
        checks.append(TargetCheck(f"seed-server first 200 ≤ {FIRST_200_LIMIT_MS:.0f} ms after exec", "not measured",
                                  None))
    return checks


def _error_check(results: dict) -> TargetCheck:
    failing = [f"{r['label']} {r['method']} c={r['connections']}: {r['errors']}"
               for r in results["rows"] if r["errors"] and r["key"] in SEED_SERVER_ROWS]
    target = "no socket errors or non-2xx answers from seed-server in any run"
    if not any(r["key"] in SEED_SERVER_ROWS for r in results["rows"]):
        return TargetCheck(target, "not measured", None)
    return TargetCheck(target, "; ".join(failing) if failing else "none", not failing)
