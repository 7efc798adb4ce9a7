#!/usr/bin/env python3
"""`make bench`: seed-server against nginx, HAProxy and Flask, measured side by side in one run.

Starts everything on 127.0.0.1, checks that each system answers correctly, runs wrk in
interleaved rounds, measures seed-server's start-up time and peak memory, stops everything
(also on Ctrl-C or error) and prints one markdown report. Writes Benchmarks/out/results.json,
Benchmarks/out/RESULTS.md and Benchmarks/out/chart.png; with --record also Benchmarks/RESULTS.md
and Benchmarks/chart.png (the committed copy).
"""
import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from benchkit import chart, machine, report
from benchkit.correctness import check
from benchkit.memory import peak_memory_under_load
from benchkit.processes import ProcessSet, interrupt_on_termination
from benchkit.rounds import run_rounds, summarize, workloads
from benchkit.startup import time_to_first_200
from benchkit.systems import start_all
from benchkit.targets import MEMORY_REQUESTS
from benchkit.wrk_run import run_wrk

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
BUDGET_SECONDS = 600


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-server", type=Path,
                        default=REPO_ROOT / ".build" / "release" / "seed-server",
                        help="the binary to measure (default: the release build)")
    parser.add_argument("--without-seed-server", action="store_true",
                        help="measure only the reference systems (for working on the bench)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4, help="length of one wrk run")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 1])
    parser.add_argument("--memory-requests", type=int, default=MEMORY_REQUESTS)
    parser.add_argument("--memory-time-limit", type=float, default=120.0)
    parser.add_argument("--starts", type=int, default=5, help="starts timed per backend")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out")
    parser.add_argument("--record", action="store_true",
                        help="also write Benchmarks/RESULTS.md and Benchmarks/chart.png")
    parser.add_argument("--note", default="", help="conditions of the run, for RESULTS.md")
    parser.add_argument("--from-json", type=Path,
                        help="render the report and chart from an earlier results.json")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def measure(args: argparse.Namespace) -> dict:
    seed_server = None if args.without_seed_server else args.seed_server.resolve()
    if seed_server is not None and not seed_server.exists():
        sys.exit(f"{seed_server} not found: build it with "
                 f"`swift build -c release --static-swift-stdlib --product seed-server` (make bench does), "
                 f"or pass --seed-server PATH, or --without-seed-server")
    workdir = args.out / "work"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "logs").mkdir(parents=True)
    started = time.monotonic()
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine.describe(),
        "load_before": machine.load_average(),
        "settings": {"rounds": args.rounds, "seconds": args.seconds,
                     "concurrencies": args.concurrency,
                     "seed_server": _describe_binary(
                         None if seed_server is None else args.seed_server.absolute())},
        "note": args.note, "rows": [], "startup": {}, "memory": [],
    }
    busy = float(results["load_before"].split()[0])
    if busy > 1.0:
        log(f"load average {busy:.1f} before the start: other work shares these cores, so "
            f"absolute numbers will be low and wide; the ratios stay comparable")
    with ProcessSet(workdir / "logs") as procs:
        systems, redis_port = start_all(procs, workdir, seed_server, log)
        for index, system in enumerate(systems):
            check(system, 1000 + index)
        log(f"all {len(systems)} systems answer correctly")
        plan = workloads(systems, args.concurrency)
        estimate = (len(plan) * (1 + args.rounds * (args.seconds + 0.2))
                    + (args.memory_time_limit + 2 * args.starts if seed_server else 0))
        log(f"{len(plan)} workloads × {args.rounds} rounds × {args.seconds} s; "
            f"about {estimate / 60:.1f} min to go")
        log("warm-up: every workload once for 1 s (not counted)")
        for workload in plan:
            run_wrk(workload.system.port, workload.method, workload.connections, 1)
        runs = run_rounds(plan, args.rounds, args.seconds, log)
        for workload in plan:
            summary = summarize(runs[workload])
            results["rows"].append({
                "key": workload.system.key, "label": workload.system.label,
                "method": workload.method, "connections": workload.connections,
                **dataclasses.asdict(summary),
                "runs_rps": [round(r.rps) for r in runs[workload]]})
        if seed_server is not None:
            for backend in ("memory", "redis"):
                log(f"timing exec → first 200, {backend} backend, {args.starts} starts")
                results["startup"][backend] = time_to_first_200(
                    procs, seed_server, backend, redis_port, args.starts)
            log(f"peak memory: about {args.memory_requests:,} requests, "
                f"at most {args.memory_time_limit:.0f} s")
            peak = peak_memory_under_load(procs, seed_server, "redis", redis_port,
                                          args.memory_requests, args.memory_time_limit, 5, log)
            results["memory"].append({**dataclasses.asdict(peak), "peak_mb": peak.peak_mb,
                                      "idle_mb": peak.idle_mb})
        log("stopping everything")
    results["settings"]["wall_seconds"] = time.monotonic() - started
    results["load_after"] = machine.load_average()
    return results


def _describe_binary(binary) -> str:
    if binary is None:
        return "not measured"
    try:
        shown = binary.relative_to(REPO_ROOT)
    except ValueError:
        shown = binary.name
    kind = "release build" if "release" in binary.parts else "build"
    linked = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    runtime = "Swift runtime linked dynamically" if "libswiftCore" in linked \
        else "Swift runtime linked statically, as shipped"
    return f"{kind} ({shown}, {runtime})"


def results_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# seedkeeper benchmark results", "",
        f"`make bench`, {results['date']}. How to read this: [README.md](README.md). "
        f"Where seed-server's time goes: [PROFILE.md](PROFILE.md).", "",
        "![median req/s per system, min–max over rounds](chart.png)", "",
        "## Machine", "",
        f"- {m['cores']} cores: {m['cpu']}; {m['memory']} memory; {m['kernel']}",
        f"- {m['nginx']}; {m['haproxy']}; {m['redis']}; {m['wrk']}",
        f"- {m['swift']}",
        f"- Python {m['python']}, Flask {m['flask']}, gunicorn {m['gunicorn']}, "
        f"redis-py {m['redis-py']}",
        f"- load average (1, 5, 15 min) before: {results['load_before']}, "
        f"after: {results.get('load_after', '?')}",
    ]
    if results.get("note"):
        lines.append(f"- conditions: {results['note']}")
    lines += ["", "## Results", "", report.render(results)]
    return "\n".join(lines)


def write_outputs(results: dict, out: Path, record: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "RESULTS.md").write_text(results_markdown(results))
    chart.draw(results, out / "chart.png")
    if record:
        shutil.copy(out / "RESULTS.md", BENCH_DIR / "RESULTS.md")
        shutil.copy(out / "chart.png", BENCH_DIR / "chart.png")
        log("recorded Benchmarks/RESULTS.md and Benchmarks/chart.png")


def main() -> int:
    args = parse_args()
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        interrupt_on_termination()
        try:
            results = measure(args)
        except KeyboardInterrupt:
            log("interrupted: every process the bench started has been stopped")
            return 130
        except (RuntimeError, OSError) as error:
            log(f"bench failed: {error}")
            log("every process the bench started has been stopped; logs: Benchmarks/out/work/")
            return 1
    write_outputs(results, args.out, args.record)
    print()
    print(report.render(results))
    wall = results["settings"].get("wall_seconds", 0)
    if wall > BUDGET_SECONDS:
        log(f"warning: the bench took {wall:.0f} s, over its {BUDGET_SECONDS} s budget; "
            f"use fewer --rounds or --seconds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
