"""The real local stack (deploy/local/stack: Redis + seed-a + seed-b + HAProxy) on free ports,
with its state in a temporary folder, for tests that need the load balancer.

As a context manager it cleans up on every path (a failed `up`, an exception in the block, a
normal end): `stack down`, then SIGKILL by pid for any part `down` left, then the folder goes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict

from testkit import REPO_ROOT, clean_environment, free_port, has_exited, seed_server_bin
from testkit import wait_for_port

STACK = REPO_ROOT / "deploy" / "local" / "stack"


class LocalStack:
    PARTS = ("redis", "seed-a", "seed-b", "haproxy")

    def __init__(self, backend: str = "redis") -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="stack-"))
        self.ports = {"haproxy": free_port(), "seed-a": free_port(), "seed-b": free_port(),
                      "redis": free_port()}
        while len(set(self.ports.values())) < 4:
            self.ports["redis"] = free_port()
        self.env = clean_environment(dict(
            STACK_DIR=str(self.dir), STACK_BACKEND=backend,
            LB_PORT=str(self.ports["haproxy"]), TARGET_A_PORT=str(self.ports["seed-a"]),
            TARGET_B_PORT=str(self.ports["seed-b"]), REDIS_PORT=str(self.ports["redis"]),
            SEED_SERVER_BIN=str(seed_server_bin())))

    @property
    def lb(self) -> str:
        return f"http://127.0.0.1:{self.ports['haproxy']}"

    @property
    def targets(self) -> Dict[str, str]:
        return {name: f"http://127.0.0.1:{self.ports[name]}" for name in ("seed-a", "seed-b")}

    def run(self, command: str) -> str:
        done = subprocess.run([str(STACK), command], env=self.env, capture_output=True,
                              text=True, timeout=180, cwd=REPO_ROOT)
        if done.returncode not in (0, 3) or (command == "up" and done.returncode):
            raise RuntimeError(f"deploy/local/stack {command} failed ({done.returncode}):\n"
                               f"{done.stdout}\n{done.stderr}\n{self.logs()}")
        return done.stdout

    def up(self) -> "LocalStack":
        self.run("up")
        return self

    def pid(self, part: str) -> int:
        return int((self.dir / "pids" / f"{part}.pid").read_text().strip())

    def send_signal(self, part: str, sig: int) -> None:
        os.kill(self.pid(part), sig)

    def kill_and_wait(self, part: str, sig: int = signal.SIGKILL, timeout: float = 15.0) -> float:
        """Signals a part and waits until its process is gone; returns when that was."""
        pid = self.pid(part)
        os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if has_exited(pid):
                return time.monotonic()
            time.sleep(0.01)
        raise TimeoutError(f"{part} (pid {pid}) did not exit within {timeout} s of signal {sig}")

    def restart_missing(self) -> None:
        """`stack up` again starts only the parts that are not running."""
        self.run("up")
        for part, port in self.ports.items():
            wait_for_port(port, timeout=30)

    def unusual_lb_lines(self) -> str:
        """HAProxy's log lines for requests that did not end cleanly (termination state other
        than `----`, or no 200): what to read when a client saw a failure."""
        try:
            lines = (self.dir / "logs" / "haproxy.log").read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(line for line in lines
                         if '"' in line and (" ---- " not in line or " 200 " not in line))

    def logs(self) -> str:
        out = []
        for log in sorted((self.dir / "logs").glob("*.log")):
            out.append(f"--- {log.name} (end) ---\n" + log.read_text(errors="replace")[-1500:])
        return "\n".join(out)

    def recorded_pids(self) -> Dict[str, int]:
        """The pid of every part whose pid file exists and holds a number."""
        pids = {}
        for part in self.PARTS:
            try:
                pids[part] = self.pid(part)
            except (FileNotFoundError, ValueError):
                pass
        return pids

    def down(self) -> None:
        subprocess.run([str(STACK), "down"], env=self.env, capture_output=True, timeout=120,
                       cwd=REPO_ROOT)

    def close(self) -> None:
        """`stack down`; SIGKILL by pid whatever it left running; remove the folder."""
        seen = self.recorded_pids()
        try:
            self.down()
        finally:
            for pid in seen.values():
                if not has_exited(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "LocalStack":
        try:
            return self.up()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()

