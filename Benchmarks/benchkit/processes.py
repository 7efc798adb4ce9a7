"""Every process the bench starts runs in its own process group and is stopped on the way out,
whether the bench ends normally, fails, or is interrupted (Ctrl-C, SIGTERM)."""
import os
import signal
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence


class Child:
    """One started process (and whatever it forks: nginx and gunicorn workers share its group)."""

    def __init__(self, name: str, popen: subprocess.Popen, log_path: Path) -> None:
        self.name = name
        self.popen = popen
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM to the whole group, SIGKILL after `timeout`; never leaves a worker behind."""
        if self.alive():
            _signal_group(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.pid, signal.SIGKILL)
                self.popen.wait()
        # Workers outlive a master that was killed; the group id still names them.
        _signal_group(self.pid, signal.SIGKILL)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class ProcessSet:
    """A context manager that owns started processes and stops them in reverse order."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: List[Child] = []

    def start(self, name: str, argv: Sequence[str], cwd: Optional[Path] = None,
              env: Optional[Dict[str, str]] = None) -> Child:
        log_path = self.log_dir / f"{name}.log"
        with open(log_path, "ab") as log:
            popen = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=cwd, env=env,
                                     start_new_session=True)
        child = Child(name, popen, log_path)
        self.children.append(child)
        return child

    def stop(self, child: Child) -> None:
        child.stop()
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        while self.children:
            self.children.pop().stop()

    def __enter__(self) -> "ProcessSet":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()


def interrupt_on_termination() -> None:
    """Makes SIGINT, SIGTERM and SIGHUP unwind like Ctrl-C, so every `finally` and `with` runs
    (SIGINT too: a shell starts background jobs with it ignored, and Python keeps that)."""
    def raise_interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, raise_interrupt)
