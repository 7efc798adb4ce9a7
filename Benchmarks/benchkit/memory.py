"""seed-server's peak resident memory (VmHWM) after about a million requests under wrk."""
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .processes import ProcessSet
from .systems import start_seed_server
from .wrk_run import run_wrk


@dataclass(frozen=True)
class PeakMemory:
    backend: str
    requests: int
    seconds: float
    errors: int
    idle_hwm_kib: int      # after start-up and the first 200, before the load
    peak_hwm_kib: int      # VmHWM once the load is over: the peak over the whole life
    anon_kib: int          # RssAnon after the load: heap and stacks, this process's own
    file_kib: int          # RssFile after the load: mapped binary and shared libraries

    @property
    def peak_mb(self) -> float:
        return self.peak_hwm_kib * 1024 / 1e6

    @property
    def idle_mb(self) -> float:
        return self.idle_hwm_kib * 1024 / 1e6


def status_kib(pid: int, field: str) -> int:
    """One memory field of /proc/PID/status (VmHWM, RssAnon, ...), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field} line")


def high_water_mark_kib(pid: int) -> int:
    return status_kib(pid, "VmHWM")


def peak_memory_under_load(procs: ProcessSet, binary: Path, backend: str, redis_port: int,
                           target_requests: int, time_limit: float, chunk_seconds: int,
                           log: Callable[[str], None]) -> PeakMemory:
    """Alternates GET and POST chunks (c=64) on a fresh server until `target_requests` went
    through or `time_limit` seconds passed, whichever comes first."""
    name = f"seed-rss-{backend}"
    port = start_seed_server(procs, binary, name, backend, redis_port)
    child = next(c for c in procs.children if c.name == name)
    try:
        idle = high_water_mark_kib(child.pid)
        requests = errors = 0
        started = time.monotonic()
        method = "GET"
        while requests < target_requests and time.monotonic() - started < time_limit:
            run = run_wrk(port, method, 64, chunk_seconds)
            requests += run.requests
            errors += run.errors
            method = "POST" if method == "GET" else "GET"
            log(f"  memory ({backend}): {requests:>9,} requests, "
                f"VmHWM {high_water_mark_kib(child.pid) / 1024:.1f} MiB")
        return PeakMemory(backend, requests, time.monotonic() - started, errors, idle,
                          high_water_mark_kib(child.pid), status_kib(child.pid, "RssAnon"),
                          status_kib(child.pid, "RssFile"))
    finally:
        procs.stop(child)
