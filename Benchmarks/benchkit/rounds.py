"""Interleaved rounds: every workload runs once per round, so noise from the shared machine
(builds, other users) lands on every system alike instead of on whichever ran during it."""
import statistics
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence

from .systems import System
from .wrk_run import WrkRun, run_wrk


@dataclass(frozen=True)
class Workload:
    system: System
    method: str
    connections: int

    @property
    def name(self) -> str:
        return f"{self.system.label} {self.method} c={self.connections}"


@dataclass(frozen=True)
class Summary:
    median_rps: float
    min_rps: float
    max_rps: float
    p50_ms: float     # median over the rounds of each run's p50
    p99_ms: float     # median over the rounds of each run's p99
    requests: int
    errors: int


def workloads(systems: Sequence[System], concurrencies: Sequence[int]) -> List[Workload]:
    return [Workload(system, method, c)
            for c in concurrencies for system in systems for method in system.methods]


def run_rounds(plan: Sequence[Workload], rounds: int, seconds: int,
               log: Callable[[str], None]) -> Dict[Workload, List[WrkRun]]:
    runs: Dict[Workload, List[WrkRun]] = {w: [] for w in plan}
    total = rounds * len(plan)
    done = 0
    for round_index in range(rounds):
        # Each round starts further along the list, so no system always runs first or last.
        offset = round_index * len(plan) // rounds
        for workload in list(plan[offset:]) + list(plan[:offset]):
            run = run_wrk(workload.system.port, workload.method, workload.connections, seconds)
            runs[workload].append(run)
            done += 1
            errors = f"  ERRORS: {run.errors}" if run.errors else ""
            log(f"[{done:3d}/{total}] round {round_index + 1}/{rounds}  {workload.name:<58}"
                f"{run.rps:>9,.0f} req/s  p99 {run.p99_us / 1000:6.2f} ms{errors}")
    return runs


def summarize(runs: Sequence[WrkRun]) -> Summary:
    rates = [r.rps for r in runs]
    return Summary(
        median_rps=statistics.median(rates), min_rps=min(rates), max_rps=max(rates),
        p50_ms=statistics.median(r.p50_us for r in runs) / 1000,
        p99_ms=statistics.median(r.p99_us for r in runs) / 1000,
        requests=sum(r.requests for r in runs), errors=sum(r.errors for r in runs))
