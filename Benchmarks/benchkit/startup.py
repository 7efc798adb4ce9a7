"""Time from exec of seed-server to its first 200 for GET /, over several fresh starts."""
import time
from pathlib import Path
from typing import List, Optional

from .http_probe import first_200_seconds
from .processes import ProcessSet
from .systems import child_env, free_port, seed_server_argv


def time_to_first_200(procs: ProcessSet, binary: Path, backend: str,
                      redis_port: Optional[int], starts: int) -> List[Optional[float]]:
    """Seconds per start (None where no 200 came within 10 s)."""
    timings: List[Optional[float]] = []
    for index in range(starts):
        port = free_port()
        argv = seed_server_argv(binary, port, f"seed-start-{index}", backend, redis_port)
        env = child_env()
        started = time.perf_counter()
        child = procs.start(f"seed-start-{backend}-{index}", argv, env=env)
        try:
            timings.append(first_200_seconds(port, started, timeout=10.0))
        finally:
            procs.stop(child)
    return timings
