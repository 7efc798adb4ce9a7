"""Real redis-server and seed-server processes, each on a free loopback port, stopped on exit."""
import os
import shutil
import signal as _signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

from .paths import seed_server_bin
from .ports import free_port, wait_for_port


class _Process:
    """One child process with its log file; a context manager that always stops it."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{type(self).__name__.lower()}-"))
        self.log_path = self.workdir / "output.log"

    def _spawn(self, argv: Sequence[str], env: Optional[dict] = None) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env, cwd=self.workdir)
        log.close()

    def signal(self, sig: int) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, sig: int = _signal.SIGTERM, timeout: float = 10.0) -> Optional[int]:
        """Stops the process (SIGTERM, then SIGKILL after `timeout`) and returns its exit code."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(_signal.SIGCONT)  # a frozen process cannot act on SIGTERM
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        self.stop(_signal.SIGKILL)

    def running(self) -> bool:
        return bool(self.proc) and self.proc.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class RedisServer(_Process):
    """redis-server from Debian, on a free loopback port, with its own data directory."""

    def __init__(self, port: Optional[int] = None, password: Optional[str] = None,
                 appendonly: bool = False) -> None:
        super().__init__()
        if not shutil.which("redis-server"):
            raise FileNotFoundError("redis-server not found: `make test` installs it with apt-get")
        self.port = port or free_port()
        self.password = password
        self.appendonly = appendonly

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.workdir), "--save", "", "--daemonize", "no"]
        if self.appendonly:
            argv += ["--appendonly", "yes", "--appendfsync", "always"]
        if self.password:
            argv += ["--requirepass", self.password]
        self._spawn(argv)
        wait_for_port(self.port, timeout=10)
        return self

    def cli(self, *args: str) -> str:
        argv = ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "--no-auth-warning"]
        if self.password:
            argv += ["-a", self.password]
        return subprocess.run(argv + list(args), capture_output=True, text=True,
                              timeout=10).stdout.strip()

    def __enter__(self):
        return self.start()


class SeedServer(_Process):
    """A seed-server process. `backend="redis"` needs `redis_url`."""

    def __init__(self, backend: str = "memory", redis_url: Optional[str] = None,
                 instance_name: Optional[str] = None, port: Optional[int] = None,
                 extra_args: Sequence[str] = ()) -> None:
        super().__init__()
        self.port = port or free_port()
        self.backend = backend
        self.redis_url = redis_url
        self.instance_name = instance_name or f"seed-{self.port}"
        self.extra_args = list(extra_args)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> "SeedServer":
        argv = [str(seed_server_bin()), "--host", "127.0.0.1", "--port", str(self.port),
                "--backend", self.backend, "--instance-name", self.instance_name]
        if self.redis_url:
            argv += ["--redis-url", self.redis_url]
        argv += self.extra_args
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PORT", "INSTANCE_NAME")}
        self._spawn(argv, env=env)
        if wait:
            wait_for_port(self.port, timeout=30)
        return self

    def __enter__(self):
        return self.start()


def has_exited(pid: int) -> bool:
    """True once every thread of process `pid` has ended, and so its sockets are closed.

    A zombie has exited, but its main thread turns zombie before the others have finished dying
    after SIGKILL: until the last thread is gone, its listening socket still accepts connections.
    """
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z" and threads <= 1


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    """Polls `predicate` until it is true or `timeout` seconds pass; returns the last result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
