"""Linearizability of one read/write register whose writes all carry distinct values.

With unique write values every read names the write it saw, so the general (NP-complete) check
becomes polynomial (Gibbons & Korach, 1997): each write and the reads of its value form a
*cluster*. A cluster's *zone* runs from the earliest response in it to the latest invocation in it.
If that earliest response comes before that latest invocation the zone is *forward*: the register
must hold the cluster's value for that whole stretch. Otherwise it is *backward*: the cluster can be
linearized at one instant inside it. The history is linearizable if and only if
  1. every read returns the initial value or a value some write wrote,
  2. no read responds before the invocation of the write it saw,
  3. no two forward zones overlap, and
  4. no backward zone lies entirely inside a forward zone
(the pairwise zone conditions are those of Gibbons & Korach; Golab, Li & Shah 2011 state them the
same way). The work is O(n log n).

An operation that failed or timed out has no known response. A failed write may or may not have
taken effect, so it completes at +infinity; a failed read tells nothing and is left out.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence

INFINITY = math.inf


@dataclass(frozen=True)
class Operation:
    """One client operation: `kind` is "read" or "write"; `value` is what was read or written.

    `invoked` and `completed` are monotonic times taken before sending and after the whole
    response arrived, so they enclose the moment the server acted. `completed` is +infinity for a
    write whose outcome is unknown (failed or timed out).
    """
    kind: str
    value: int
    invoked: float
    completed: float
    client: int = 0
    target: str = ""
    index: int = -1

    def describe(self) -> str:
        end = "?" if self.completed == INFINITY else f"{self.completed:.6f}"
        where = f" via {self.target}" if self.target else ""
        return (f"#{self.index} client {self.client} {self.kind} {self.value}{where} "
                f"[{self.invoked:.6f} .. {end}]")


@dataclass(frozen=True)
class Zone:
    value: int
    low: float
    high: float
    forward: bool


@dataclass
class Verdict:
    """The outcome: `linearizable`, and for a violation the operations that cause it."""
    linearizable: bool
    operations_checked: int
    problems: List[str] = field(default_factory=list)

    def explain(self, limit: int = 10) -> str:
        if self.linearizable:
            return f"linearizable ({self.operations_checked} operations)"
        shown = self.problems[:limit]
        more = len(self.problems) - len(shown)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        return (f"NOT linearizable ({self.operations_checked} operations checked):\n  "
                + "\n  ".join(shown) + tail)


def _initial_write(value: int) -> Operation:
    # The value the register held before the history began, written "before all time".
    return Operation("write", value, -INFINITY, -INFINITY, client=-1, target="initial", index=-1)


def check(history: Iterable[Operation], initial: int = 0) -> Verdict:
    """Decides whether `history` (writes with pairwise distinct values) is linearizable."""
    operations = list(history)
    writes: Dict[int, Operation] = {}
    problems: List[str] = []
    for op in operations:
        if op.kind not in ("read", "write"):
            raise ValueError(f"operation {op.describe()}: kind must be 'read' or 'write'")
        if op.completed < op.invoked:
            raise ValueError(f"operation {op.describe()} completes before it is invoked")
        if op.kind == "write":
            if op.value in writes or op.value == initial:
                raise ValueError(f"value {op.value} is written twice (or is the initial value): "
                                 "this checker needs every write to carry a unique value")
            writes[op.value] = op
    writes[initial] = _initial_write(initial)

    clusters: Dict[int, List[Operation]] = {value: [w] for value, w in writes.items()}
    for op in operations:
        if op.kind != "read":
            continue
        write = writes.get(op.value)
        if write is None:
            problems.append(f"read of a value nobody wrote: {op.describe()}")
            continue
        if op.completed < write.invoked:
            problems.append(f"read responded before its write was invoked: {op.describe()} "
                            f"saw {write.describe()}")
        clusters[op.value].append(op)

    zones = [_zone(value, members) for value, members in clusters.items()]
    forward = sorted((z for z in zones if z.forward), key=lambda z: z.low)
    for earlier, later in zip(forward, forward[1:]):
        if later.low < earlier.high:
            problems.append(_conflict("two values each had to be the current one over "
                                      "overlapping stretches", earlier, later, clusters))
    lows = [z.low for z in forward]
    for zone in zones:
        if zone.forward:
            continue
        # Forward zones are sorted by start; the one that could enclose this zone is the last
        # that starts before it (if forward zones overlap that is reported above already).
        at = bisect.bisect_left(lows, zone.low) - 1
        if at >= 0 and forward[at].high > zone.high:
            problems.append(_conflict("a value was written and read entirely while another "
                                      "value had to be current", forward[at], zone, clusters))
    return Verdict(not problems, len(operations), problems)


def _zone(value: int, members: Sequence[Operation]) -> Zone:
    first_response = min(op.completed for op in members)
    last_invocation = max(op.invoked for op in members)
    if first_response < last_invocation:
        return Zone(value, first_response, last_invocation, forward=True)
    return Zone(value, last_invocation, first_response, forward=False)


def _conflict(what: str, a: Zone, b: Zone, clusters: Dict[int, List[Operation]]) -> str:
    def cluster_text(zone: Zone) -> str:
        members = sorted(clusters[zone.value], key=lambda op: op.invoked)
        shown = "; ".join(op.describe() for op in members[:6])
        more = f"; +{len(members) - 6} more" if len(members) > 6 else ""
        kind = "forward" if zone.forward else "backward"
        return f"value {zone.value} ({kind} zone {zone.low:.6f}..{zone.high:.6f}): {shown}{more}"
    return f"{what}:\n    {cluster_text(a)}\n    {cluster_text(b)}"


def read(value: int, invoked: float, completed: float, client: int = 0, target: str = "",
         index: int = -1) -> Operation:
    return Operation("read", value, invoked, completed, client, target, index)


def write(value: int, invoked: float, completed: Optional[float], client: int = 0,
          target: str = "", index: int = -1) -> Operation:
    """A write; `completed=None` means its outcome is unknown (it may or may not have happened)."""
    return Operation("write", value, invoked, INFINITY if completed is None else completed,
                     client, target, index)
