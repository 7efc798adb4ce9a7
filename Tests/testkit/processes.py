"""Real redis-server and seed-server processes, each on a free loopback port.

Each is a context manager that cleans up on every path: when its start fails or times out
(`__enter__` raising), when the test's block raises, and when it ends normally, the process is
stopped and its temporary folder removed; the log stays readable through `log()`. A process
used without `with` must be `close()`d; whatever a test leaves open anyway is closed when the
test session ends (see Tests/conftest.py)."""
import os
import shutil
import signal as _signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Mapping, Optional, Sequence

from .environment import clean_environment
from .paths import seed_server_bin
from .ports import free_port

# Every process object not closed yet, so the session can close what a test forgot.
_open: "set[_Process]" = set()


class StartFailed(TimeoutError):
    """A process did not start listening in time, or exited first; it has been stopped."""


class _Process:
    """One child process with its log file and temporary folder."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self._workdir: Optional[Path] = None
        self._final_log = ""

    @property
    def workdir(self) -> Path:
        """The process's own temporary folder (its cwd and log), made on first use."""
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix=f"{type(self).__name__.lower()}-"))
            _open.add(self)
        return self._workdir

    @property
    def log_path(self) -> Path:
        return self.workdir / "output.log"

    def _spawn(self, argv: Sequence[str], env: Optional[Mapping[str, str]] = None) -> None:
        if self.running():
            # `with X().start() as x` starts twice (`with` starts it too): the second process
            # would find the port taken and exit, the wait would see the first one listening,
            # and the first would be left running with no one to stop it.
            raise RuntimeError(f"{type(self).__name__} is already running (pid {self.proc.pid}); "
                               f"`with` starts it: write `with {type(self).__name__}(...) as x`")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=clean_environment(env),
                                         cwd=self.workdir)

    def _wait_listening(self, port: int, timeout: float) -> None:
        """Returns once `port` accepts connections; otherwise stops the process and raises
        StartFailed with its log, at once if it exits first, else after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is None or self.proc.poll() is not None:
                code = self.proc.returncode if self.proc else None
                raise StartFailed(f"{type(self).__name__} exited with {code} before listening on "
                                  f"{port}; its log:\n{self.log()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                pass
            if time.monotonic() >= deadline:
                self.stop()
                raise StartFailed(f"{type(self).__name__} did not listen on {port} within "
                                  f"{timeout} s; stopped it. Its log:\n{self.log()[-3000:]}")
            time.sleep(0.05)

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
        if self._workdir is None:
            return self._final_log
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def close(self) -> None:
        """Stops the process and removes its folder, keeping the log text; safe to repeat."""
        try:
            self.stop()
        finally:
            if self._workdir is not None:
                self._final_log = self.log()
                shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = None
            _open.discard(self)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()


class RedisServer(_Process):
    """redis-server from Debian, on a free loopback port, with its own data directory.

    Stopping and starting again keeps the data directory (a restart finds its append-only
    file); `close()` removes it."""

    def __init__(self, port: Optional[int] = None, password: Optional[str] = None,
                 appendonly: bool = False) -> None:
        if not shutil.which("redis-server"):
            raise FileNotFoundError("redis-server not found: `make test` installs it with apt-get")
        super().__init__()
        self.port = port or free_port()
        self.password = password
        self.appendonly = appendonly

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> "RedisServer":
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.workdir), "--save", "", "--daemonize", "no"]
        if self.appendonly:
            argv += ["--appendonly", "yes", "--appendfsync", "always"]
        if self.password:
            argv += ["--requirepass", self.password]
        self._spawn(argv)
        self._wait_listening(self.port, timeout)
        return self

    def cli(self, *args: str) -> str:
        argv = ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), "--no-auth-warning"]
        if self.password:
            argv += ["-a", self.password]
        return subprocess.run(argv + list(args), capture_output=True, text=True, timeout=10,
                              env=clean_environment()).stdout.strip()


class SeedServer(_Process):
    """A seed-server process, configured by flags. `backend="redis"` needs `redis_url`.

    `env` is the whole of its environment beyond PATH, HOME and the locale (see
    testkit.environment): nothing from the test runner's environment reaches it."""

    def __init__(self, backend: str = "memory", redis_url: Optional[str] = None,
                 instance_name: Optional[str] = None, port: Optional[int] = None,
                 extra_args: Sequence[str] = (), env: Optional[Mapping[str, str]] = None,
                 start_timeout: float = 30.0) -> None:
        super().__init__()
        self.start_timeout = start_timeout
        self.port = port or free_port()
        self.backend = backend
        self.redis_url = redis_url
        self.instance_name = instance_name or f"seed-{self.port}"
        self.extra_args = list(extra_args)
        self.env = dict(env or {})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> "SeedServer":
        """Starts it; with `wait`, returns once it listens, or raises StartFailed (with the
        process stopped) if it exits first or does not listen within `start_timeout` seconds."""
        argv = [str(seed_server_bin()), "--host", "127.0.0.1", "--port", str(self.port),
                "--backend", self.backend, "--instance-name", self.instance_name]
        if self.redis_url:
            argv += ["--redis-url", self.redis_url]
        argv += self.extra_args
        self._spawn(argv, env=self.env)
        if wait:
            self._wait_listening(self.port, self.start_timeout)
        return self


def close_all() -> None:
    """Closes every process object still open: the session's last line of defence."""
    for process in list(_open):
        process.close()


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


def children_of(pid: int) -> "set[int]":
    """The pids whose parent is `pid` right now (from /proc), zombies included."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry))
    return found


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    """Polls `predicate` until it is true or `timeout` seconds pass; returns the last result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
