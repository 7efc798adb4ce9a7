"""Drives deploy/local/stack from tests: free ports, its own STACK_DIR, and seed-check."""
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, Optional

from testkit import REPO_ROOT, clean_environment, free_port, has_exited, seed_check_bin
from testkit import seed_server_bin

STACK_SCRIPT = REPO_ROOT / "deploy" / "local" / "stack"
PARTS = ("redis", "seed-a", "seed-b", "haproxy")


def distinct_free_ports(count: int):
    ports = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


class Stack:
    """One local stack on free loopback ports, with its state in `directory`."""

    def __init__(self, directory: Path, backend: str = "redis") -> None:
        self.directory = directory
        self.lb_port, self.a_port, self.b_port, self.redis_port = distinct_free_ports(4)
        # Only the stack's own settings: nothing exported in the runner's shell reaches it.
        self.env = clean_environment({
            "STACK_DIR": str(directory),
            "LB_PORT": str(self.lb_port),
            "TARGET_A_PORT": str(self.a_port),
            "TARGET_B_PORT": str(self.b_port),
            "REDIS_PORT": str(self.redis_port),
            "SEED_SERVER_BIN": str(seed_server_bin()),
            "STACK_BACKEND": backend,
        })

    @property
    def lb_url(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    @property
    def target_urls(self):
        return [f"http://127.0.0.1:{self.a_port}", f"http://127.0.0.1:{self.b_port}"]

    def run(self, command: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run([str(STACK_SCRIPT), command], env=self.env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def up(self) -> subprocess.CompletedProcess:
        result = self.run("up")
        assert result.returncode == 0, f"stack up failed:\n{result.stdout}\n{result.stderr}\n{self.logs()}"
        return result

    def down(self) -> subprocess.CompletedProcess:
        return self.run("down", timeout=90)

    def pid(self, part: str) -> Optional[int]:
        path = self.directory / "pids" / f"{part}.pid"
        try:
            return int(path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def recorded_pids(self) -> Dict[str, int]:
        return {part: pid for part in PARTS if (pid := self.pid(part)) is not None}

    def kill(self, part: str, sig: int = signal.SIGKILL) -> int:
        pid = self.pid(part)
        assert pid is not None, f"no pid file for {part}"
        os.kill(pid, sig)
        wait_for_exit(pid, 10)
        return pid

    def logs(self) -> str:
        out = []
        for log in sorted((self.directory / "logs").glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            out.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(out)

    def seed_check(self, *extra: str, with_targets: bool = True, timeout: float = 150
                   ) -> subprocess.CompletedProcess:
        argv = [str(seed_check_bin()), "--lb", self.lb_url]
        if with_targets:
            for url in self.target_urls:
                argv += ["--target", url]
        return run_seed_check(argv[1:] + list(extra), timeout=timeout)


def run_seed_check(args, timeout: float = 150) -> subprocess.CompletedProcess:
    """Runs seed-check; the subprocess timeout is the proof that it never hangs."""
    return subprocess.run([str(seed_check_bin()), *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, env=clean_environment())


def json_report(result: subprocess.CompletedProcess) -> dict:
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"seed-check --json printed no JSON ({error}):\n{result.stdout}\n{result.stderr}")


def rows_by_id(report: dict) -> Dict[str, dict]:
    return {row["id"]: row for row in report["checks"]}


def process_alive(pid: int) -> bool:
    return not has_exited(pid)


def wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.05)
    return not process_alive(pid)


def kill_leftovers(pids: Dict[str, int]) -> None:
    """Last resort after a failed test: SIGKILL what the stack recorded, by pid only."""
    for pid in pids.values():
        if process_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
