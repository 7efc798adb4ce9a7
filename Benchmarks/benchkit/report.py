"""The markdown report: one table per concurrency, seed-server's start-up and memory, targets."""
import statistics
from typing import List

from .systems import LB_NGINX, LB_SEED, NGINX
from .targets import Rows, check_targets

MARK = {True: "✅", False: "❌", None: "—"}


def milliseconds(value: float) -> str:
    """Three decimals below 1 ms: wrk resolves microseconds, and c=1 latencies are that small."""
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _table(results: dict, connections: int) -> List[str]:
    rows = Rows(results)
    nginx = rows.get(NGINX, "GET", connections)
    lb_ceiling = rows.get(LB_NGINX, "GET", connections)
    lines = [f"### c={connections} (wrk -t1 -c{connections}, keep-alive, "
             f"{results['settings']['rounds']} rounds × {results['settings']['seconds']} s)", "",
             "| system | method | req/s median | min–max | p50 ms | p99 ms | × nginx "
             "| × HAProxy→2×nginx | errors |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for row in results["rows"]:
        if row["connections"] != connections:
            continue
        vs_nginx = f"{row['median_rps'] / nginx['median_rps']:.2f}" if nginx else "—"
        vs_lb = (f"{row['median_rps'] / lb_ceiling['median_rps']:.2f}"
                 if lb_ceiling and row["key"] in (LB_SEED, LB_NGINX) else "")
        errors = f"**{row['errors']:,}**" if row["errors"] else "0"
        lines.append(
            f"| {row['label']} | {row['method']} | {row['median_rps']:,.0f} "
            f"| {row['min_rps']:,.0f}–{row['max_rps']:,.0f} | {milliseconds(row['p50_ms'])} "
            f"| {milliseconds(row['p99_ms'])} | {vs_nginx} | {vs_lb} | {errors} |")
    return lines


def _startup_and_memory(results: dict) -> List[str]:
    lines = ["### seed-server start-up and memory", ""]
    for backend, timings in results.get("startup", {}).items():
        answered = sorted(t * 1000 for t in timings if t is not None)
        if answered:
            lines.append(f"- exec → first 200 ({backend} backend): median "
                         f"{statistics.median(answered):.0f} ms over {len(timings)} starts "
                         f"(all: {', '.join(f'{t:.0f}' for t in answered)} ms)")
        else:
            lines.append(f"- exec → first 200 ({backend} backend): no 200 within 10 s")
    for peak in results.get("memory", []):
        lines.append(f"- peak RSS ({peak['backend']} backend): {peak['peak_mb']:.1f} MB (VmHWM) "
                     f"after {peak['requests']:,} requests in {peak['seconds']:.0f} s "
                     f"(GET and POST alternating, c=64; {peak['idle_mb']:.1f} MB before the "
                     f"load; {peak['errors']} errors). After the load, "
                     f"{peak.get('anon_kib', 0) * 1024 / 1e6:.1f} MB of it is the process's own "
                     f"memory (RssAnon) and {peak.get('file_kib', 0) * 1024 / 1e6:.1f} MB mapped "
                     f"files (RssFile: the binary and shared libraries, shared with other "
                     f"processes)")
    if len(lines) == 2:
        lines.append("- not measured (no seed-server in this run)")
    return lines


def _targets(results: dict) -> List[str]:
    lines = ["### Targets (ratios within this run)", "", "| target | measured | |", "|---|---|:-:|"]
    for check in check_targets(results):
        lines.append(f"| {check.target} | {check.measured} | {MARK[check.met]} |")
    return lines


def render(results: dict) -> str:
    settings = results["settings"]
    head = [f"Measured {results['date']} on {results['machine']['summary']}; "
            f"everything (wrk included) shares the same cores. nginx: a worker per core "
            f"(auto); HAProxy: nbthread 1 in both LB rows; Redis: one redis-server for all, persistence off; seed-server: "
            f"{settings.get('seed_server', 'not measured')}. POST rows are compared with nginx's GET (a static file takes no "
            f"POST). Bench wall time {settings.get('wall_seconds', 0):.0f} s.", ""]
    body: List[str] = []
    for connections in settings["concurrencies"]:
        body += _table(results, connections) + [""]
    body += _startup_and_memory(results) + [""] + _targets(results)
    return "\n".join(head + body) + "\n"
