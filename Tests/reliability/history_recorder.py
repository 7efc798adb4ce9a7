"""Drives concurrent GETs and POSTs at one or more targets and records every operation's history.

Each client is a thread holding one keep-alive connection per target and picking a target at random
for each operation. Times come from the monotonic clock, taken just before the request is sent and
just after the whole response is read: the GIL can only widen those intervals, which makes the
check more lenient, never wrong. Every POSTed value is unique across clients and runs.
"""
from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence
from urllib.parse import urlsplit

from .linearizability import INFINITY, Operation


@dataclass
class Tally:
    """What happened, by outcome, for the report and for assertions on errors."""
    reads_ok: int = 0
    writes_ok: int = 0
    failed: Dict[str, int] = field(default_factory=dict)  # "POST 503 via lb" -> count
    wrong_echo: List[str] = field(default_factory=list)   # POST answered 200 with another value

    def count_failure(self, what: str) -> None:
        self.failed[what] = self.failed.get(what, 0) + 1

    @property
    def failures(self) -> int:
        return sum(self.failed.values())


@dataclass
class Recording:
    operations: List[Operation]
    tally: Tally
    duration: float
    samples: List["Sample"] = field(default_factory=list)


class _Connection:
    """One keep-alive HTTP/1.1 connection that reconnects after any error."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.conn: Optional[http.client.HTTPConnection] = None

    def request(self, method: str, body: Optional[bytes]) -> tuple:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.conn.request(method, "/", body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
            if resp.getheader("connection", "").lower() == "close":
                self.close()
            return resp.status, data
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def unique_value_source(client: int) -> Callable[[], int]:
    """Values no other client, and (almost surely) no earlier run, will ever write."""
    run = random.SystemRandom().getrandbits(20)  # values stay below 2^50, well inside int64
    counter = iter(range(1, 10 ** 6))

    def next_value() -> int:
        return (run * 1000 + client) * 10 ** 6 + next(counter)
    return next_value


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it: `outcome` is the status code, or the exception's name."""
    method: str
    target: str
    invoked: float
    completed: float
    outcome: object

    @property
    def latency(self) -> float:
        return self.completed - self.invoked


class Load:
    """Background clients sending random GETs and POSTs; bounded by `operations` and
    `max_seconds`, and stoppable early. Writes can be paused (clients then only read), so a test
    can make one write the last acknowledged one."""

    def __init__(self, targets: Dict[str, str], clients: int, operations: int, max_seconds: float,
                 write_ratio: float = 0.5, request_timeout: float = 2.0,
                 seed: Optional[int] = None, think_time: float = 0.0) -> None:
        self.targets, self.names = targets, sorted(targets)
        self.clients, self.max_seconds = clients, max_seconds
        self.write_ratio, self.request_timeout, self.think_time = write_ratio, request_timeout, think_time
        self._budget = iter(range(operations))
        self._lock = threading.Lock()
        self.stop_event = threading.Event()
        self.writes_allowed = threading.Event()
        self.writes_allowed.set()
        self._ops: List[List[Operation]] = [[] for _ in range(clients)]
        self._samples: List[List[Sample]] = [[] for _ in range(clients)]
        self._tallies = [Tally() for _ in range(clients)]
        base_rng = random.Random(seed)
        self._seeds = [base_rng.getrandbits(64) for _ in range(clients)]
        self._threads: List[threading.Thread] = []
        self._started = self._deadline = 0.0

    def start(self) -> "Load":
        self._started = time.monotonic()
        self._deadline = self._started + self.max_seconds
        self._threads = [threading.Thread(target=self._run_client, args=(i,), daemon=True)
                         for i in range(self.clients)]
        for t in self._threads:
            t.start()
        return self

    def _take(self) -> bool:
        with self._lock:
            return (not self.stop_event.is_set() and time.monotonic() < self._deadline
                    and next(self._budget, None) is not None)

    def _run_client(self, client: int) -> None:
        rng = random.Random(self._seeds[client])
        next_value = unique_value_source(client)
        conns = {name: _Connection(self.targets[name], self.request_timeout) for name in self.names}
        out, samples, tally = self._ops[client], self._samples[client], self._tallies[client]
        try:
            while self._take():
                name = rng.choice(self.names)
                if rng.random() < self.write_ratio and self.writes_allowed.is_set():
                    _one_write(conns[name], name, client, next_value(), out, tally, samples)
                else:
                    _one_read(conns[name], name, client, out, tally, samples)
                if self.think_time:
                    time.sleep(self.think_time)
        finally:
            for c in conns.values():
                c.close()

    def finish(self) -> Recording:
        """Waits for the clients (they stop at the bounds or after `stop_event`)."""
        limit = self._deadline + self.request_timeout * 3 + 5
        for t in self._threads:
            t.join(max(0.0, limit - time.monotonic()))
        duration = time.monotonic() - self._started
        if any(t.is_alive() for t in self._threads):
            raise RuntimeError("a load client did not stop: a request hung past every timeout")
        total = Tally()
        for t in self._tallies:
            total.reads_ok += t.reads_ok
            total.writes_ok += t.writes_ok
            total.wrong_echo += t.wrong_echo
            for k, v in t.failed.items():
                total.failed[k] = total.failed.get(k, 0) + v
        ops = sorted((op for ops in self._ops for op in ops), key=lambda op: op.invoked)
        ops = [Operation(o.kind, o.value, o.invoked, o.completed, o.client, o.target, i)
               for i, o in enumerate(ops)]
        samples = sorted((s for ss in self._samples for s in ss), key=lambda s: s.invoked)
        return Recording(ops, total, duration, samples)

    def stop(self) -> Recording:
        self.stop_event.set()
        return self.finish()

    def __enter__(self) -> "Load":
        return self.start()

    def __exit__(self, *exc) -> None:
        """Stops the clients on every path, so an assert that fires mid-run leaves no thread
        sending requests into the next test."""
        self.stop_event.set()
        for t in self._threads:
            t.join(self.request_timeout * 3 + 5)


def record_history(targets: Dict[str, str], clients: int, operations: int, max_seconds: float,
                   **options) -> Recording:
    """Runs `clients` threads until `operations` operations are done in total or `max_seconds`
    pass, whichever comes first. `targets` maps a name ("lb", "seed-a") to a base URL."""
    return Load(targets, clients, operations, max_seconds, **options).start().finish()


def _one_write(conn: _Connection, name: str, client: int, value: int,
               out: List[Operation], tally: Tally, samples: List[Sample]) -> None:
    body = json.dumps({"num": value}).encode()
    invoked = time.monotonic()
    try:
        status, data = conn.request("POST", body)
    except (OSError, http.client.HTTPException) as error:
        # Sent or not, applied or not: unknown. It may take effect at any later time.
        samples.append(Sample("POST", name, invoked, time.monotonic(), type(error).__name__))
        tally.count_failure(f"POST {type(error).__name__} via {name}")
        out.append(Operation("write", value, invoked, INFINITY, client, name))
        return
    completed = time.monotonic()
    samples.append(Sample("POST", name, invoked, completed, status))
    if status == 200:
        if data.strip() != str(value).encode():
            tally.wrong_echo.append(f"POST {value} via {name} answered {data[:60]!r}")
        tally.writes_ok += 1
        out.append(Operation("write", value, invoked, completed, client, name))
    elif 400 <= status < 500:
        # Refused as a client mistake: it must not have happened (a read of it fails the check).
        tally.count_failure(f"POST {status} via {name}")
    else:
        tally.count_failure(f"POST {status} via {name}")
        out.append(Operation("write", value, invoked, INFINITY, client, name))


def _one_read(conn: _Connection, name: str, client: int,
              out: List[Operation], tally: Tally, samples: List[Sample]) -> None:
    invoked = time.monotonic()
    try:
        status, data = conn.request("GET", None)
    except (OSError, http.client.HTTPException, socket.timeout) as error:
        samples.append(Sample("GET", name, invoked, time.monotonic(), type(error).__name__))
        tally.count_failure(f"GET {type(error).__name__} via {name}")
        return  # a failed read tells nothing
    completed = time.monotonic()
    samples.append(Sample("GET", name, invoked, completed, status))
    if status != 200:
        tally.count_failure(f"GET {status} via {name}")
        return
    try:
        value = int(data)
    except ValueError:
        tally.count_failure(f"GET 200 with a non-integer body via {name}")
        return
    tally.reads_ok += 1
    out.append(Operation("read", value, invoked, completed, client, name))
