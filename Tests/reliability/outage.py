"""Measuring an outage from the client's side: answer times, and when service came back."""
from __future__ import annotations

import time
from typing import Dict, List, Sequence

from testkit import http_request

from .history_recorder import Sample


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def during(samples: Sequence[Sample], start: float, end: float) -> List[Sample]:
    """Requests sent after `start` that finished before `end`."""
    return [s for s in samples if s.invoked >= start and s.completed <= end]


def overlapping(samples: Sequence[Sample], start: float, end: float) -> List[Sample]:
    """Requests that were in progress at some moment between `start` and `end`: sent during the
    window, or sent before it and still waiting when it began. The ones an outage can hold up."""
    return [s for s in samples if s.invoked <= end and s.completed >= start]


def served_after(samples: Sequence[Sample], since: float) -> Dict[str, int]:
    """Per target, how many requests sent after `since` got a 200. Only these prove a
    recovery: a success from before the fault says nothing about after it."""
    counts: Dict[str, int] = {}
    for s in samples:
        if s.invoked >= since and s.outcome == 200:
            counts[s.target] = counts.get(s.target, 0) + 1
    return counts


def answer_times(samples: Sequence[Sample]) -> str:
    latencies = [s.latency for s in samples]
    return (f"{len(latencies)} requests, max {max(latencies, default=0) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms")


def unanswered(samples: Sequence[Sample]) -> List[Sample]:
    """Requests that got no HTTP status at all (timed out, reset, refused)."""
    return [s for s in samples if not isinstance(s.outcome, int)]


def wait_for_service(urls: Dict[str, str], since: float, timeout: float,
                     method: str = "GET", body: bytes = None) -> Dict[str, float]:
    """Polls every URL until it answers 200; returns seconds from `since` for each. A URL that
    never does within `timeout` maps to infinity. Only requests sent after `since` count: call it
    once the fault has been repaired, with `since` the moment of the repair."""
    recovered: Dict[str, float] = {}
    assert since <= time.monotonic(), "`since` is in the future"
    deadline = time.monotonic() + timeout
    while len(recovered) < len(urls) and time.monotonic() < deadline:
        for name, url in urls.items():
            if name in recovered:
                continue
            try:
                status, _, _ = http_request(url, method, body, timeout=1.0)
            except OSError:
                continue
            if status == 200:
                recovered[name] = time.monotonic() - since
        time.sleep(0.01)
    return {name: recovered.get(name, float("inf")) for name in urls}
