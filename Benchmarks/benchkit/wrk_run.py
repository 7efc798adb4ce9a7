"""One wrk run (1 thread, keep-alive) and what it measured, read from wrk/seed.lua's last line."""
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parents[1] / "wrk" / "seed.lua"
# Long enough that the slow references finish their requests instead of counting timeouts.
REQUEST_TIMEOUT = "10s"


@dataclass(frozen=True)
class WrkRun:
    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    max_us: int
    connect_errors: int
    read_errors: int
    write_errors: int
    status_errors: int     # answers with a status of 400 or more
    timeout_errors: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        return (self.connect_errors + self.read_errors + self.write_errors
                + self.status_errors + self.timeout_errors)


def run_wrk(port: int, method: str, connections: int, seconds: int) -> WrkRun:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", REQUEST_TIMEOUT,
            "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}/"]
    env = dict(os.environ, BENCH_METHOD=method)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=seconds + 30)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return WrkRun(**json.loads(line[len("BENCH_RESULT "):]))
    raise RuntimeError(f"wrk printed no BENCH_RESULT line (exit {done.returncode}); "
                       f"is wrk 4.x installed? stderr: {done.stderr.strip()[:500]}")
