#!/usr/bin/env python3
"""Where seed-server spends its time under wrk load: a perf profile of the release binary.

Starts Redis and one seed-server on loopback, drives it with wrk (c=64) and samples it with
`perf record -e cpu-clock` (a software clock: works in VMs without hardware counters). Writes
the flat profile by symbol, by shared object and by thread to Benchmarks/out/profile-*.txt
(Swift names demangled) and prints the top of each. Everything started is stopped at the end.
"""
import argparse
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from benchkit.processes import ProcessSet, interrupt_on_termination
from benchkit.systems import start_nginx, start_redis, start_seed_server
from benchkit.wrk_run import run_wrk

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of every thread of `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(pid: int, port: int, method: str, seconds: int) -> str:
    """Throughput and CPU microseconds per request: on 2 cores shared with wrk, a server's
    throughput is about (the CPU it gets) / (CPU per request)."""
    before = cpu_seconds(pid)
    run = run_wrk(port, method, 64, seconds)
    used = cpu_seconds(pid) - before
    return (f"{run.rps:>9,.0f} req/s, {used / (run.duration_us / 1e6):.2f} cores busy, "
            f"{used * 1e6 / max(run.requests, 1):5.1f} µs CPU per request, {run.errors} errors")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-server", type=Path,
                        default=REPO_ROOT / ".build" / "release" / "seed-server")
    parser.add_argument("--backend", choices=("memory", "redis"), default="redis")
    parser.add_argument("--method", choices=("GET", "POST"), default="GET")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out")
    args = parser.parse_args()
    if not shutil.which("perf"):
        sys.exit("perf not found: apt-get install linux-perf")
    if not args.seed_server.exists():
        sys.exit(f"{args.seed_server} not found: swift build -c release --product seed-server")
    interrupt_on_termination()
    name = f"profile-{args.backend}-{args.method.lower()}"
    workdir = args.out / f"work-{name}"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "logs").mkdir(parents=True)
    perf_data = workdir / "perf.data"  # kept for `perf report -i` by hand
    with ProcessSet(workdir / "logs") as procs:
        redis_port = start_redis(procs, workdir) if args.backend == "redis" else None
        port = start_seed_server(procs, args.seed_server.resolve(), "seed-profiled",
                                 args.backend, redis_port)
        pid = next(c.pid for c in procs.children if c.name == "seed-profiled")
        nginx_port = start_nginx(procs, workdir, "nginx")
        nginx_master = next(c.pid for c in procs.children if c.name == "nginx")
        nginx_worker = int(Path(f"/proc/{nginx_master}/task/{nginx_master}/children")
                           .read_text().split()[0])
        run_wrk(port, args.method, 64, 1)  # warm-up
        run_wrk(nginx_port, "GET", 64, 1)
        print(f"seed-server {args.backend} {args.method} c=64: "
              f"{cpu_per_request(pid, port, args.method, 5)}")
        print(f"nginx static GET c=64:        {cpu_per_request(nginx_worker, nginx_port, 'GET', 5)}")
        load = {}
        wrk = threading.Thread(target=lambda: load.update(
            run=run_wrk(port, args.method, 64, args.seconds + 1)))
        wrk.start()
        subprocess.run(["perf", "record", "-e", "cpu-clock", "-F", "2000", "-g", "-p", str(pid),
                        "-o", str(perf_data), "--", "sleep", str(args.seconds)],
                       check=True, capture_output=True)
        wrk.join()
    run = load["run"]
    print(f"{args.backend} {args.method} c=64 while profiled: {run.rps:,.0f} req/s, "
          f"{run.errors} errors")
    for sort in ("sym", "dso", "comm"):
        report = subprocess.run(
            ["perf", "report", "-i", str(perf_data), "--stdio", "--no-children", "-g", "none",
             "--sort", sort, "--percent-limit", "0.5"], capture_output=True, text=True).stdout
        demangled = subprocess.run(["swift-demangle", "--simplified"], input=report,
                                   capture_output=True, text=True).stdout or report
        path = args.out / f"{name}-by-{sort}.txt"
        path.write_text(demangled)
        lines = [l for l in demangled.splitlines() if l.strip() and not l.startswith("#")]
        print(f"\n== by {sort} ({path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path})")
        print("\n".join(line[:160] for line in lines[:25]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
