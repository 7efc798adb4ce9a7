"""An instance dying behind HAProxy, and a rolling restart, under load through the LB.

A rolling restart must cost no request at all: a stopping seed-server drains. A SIGKILL must cost
none either, but for one kind: HAProxy resends what a dead target refused or left unanswered
(`retries 1`, `option redispatch`, `retry-on conn-failure empty-response` in
deploy/local/haproxy.cfg), yet a POST that was on its way to the target at the instant it was
killed is sometimes not resent: HAProxy closes that client's connection instead (seen here with
HAProxy 2.6, a few times in ten runs, never for a GET). So only such POSTs may fail, at most one
per client, and nothing else."""
import signal
import time

import pytest

from testkit import http_request

from .history_recorder import Load
from .linearizability import check
from .local_stack import LocalStack

CLIENTS = 6
HEALTH_CHECK_DOWN = 2.5  # HAProxy: inter 1s, fall 2 — a dead target leaves within ~2 s
HEALTH_CHECK_UP = 2.5    # rise 1: back within ~1 s of listening


def _served_by(url: str, count: int) -> set:
    names = set()
    for _ in range(count):
        status, headers, _ = http_request(url, timeout=5)
        assert status == 200
        names.add(headers.get("x-served-by"))
    return names


@pytest.mark.slow
def test_one_instance_killed_behind_the_load_balancer():
    with LocalStack("redis") as stack, Load({"lb": stack.lb}, CLIENTS, 100_000, 60) as load:
        assert _served_by(stack.lb, 10) == {"seed-a", "seed-b"}
        time.sleep(3.0)
        signalled_at = time.monotonic()
        killed_at = stack.kill_and_wait("seed-a", signal.SIGKILL)
        time.sleep(6.0)
        recording = load.stop()
        total = len(recording.samples)
        failed = [s for s in recording.samples if s.outcome != 200]
        print(f"instance SIGKILL: {len(failed)} of {total} requests failed: {recording.tally.failed}; "
              f"signalled {signalled_at:.4f}, gone {killed_at:.4f}; failed at "
              f"{[(s.method, round(s.invoked, 4), round(s.completed, 4)) for s in failed]}")
        assert total > 500, "too little load to prove anything"
        during_kill = [s for s in recording.samples
                       if killed_at - 1 <= s.invoked <= killed_at + HEALTH_CHECK_DOWN]
        assert len(during_kill) > 50, "too few requests while HAProxy still sent to the dead target"
        # In flight at the kill: sent before the process was gone, answered after the signal.
        in_flight_post = [s for s in failed if s.method == "POST"
                          and s.invoked <= killed_at and s.completed >= signalled_at]
        assert failed == in_flight_post, \
            f"{len(failed) - len(in_flight_post)} requests failed that were not a POST in flight " \
            f"at the kill: {recording.tally.failed}; first: {failed[:3]}\n{stack.unusual_lb_lines()}"
        assert len(in_flight_post) <= CLIENTS, "more POSTs lost than clients had in flight"
        late = [s for s in recording.samples if s.invoked > killed_at + HEALTH_CHECK_DOWN]
        assert late, "no request after the health check took seed-a out"
        assert _served_by(stack.lb, 10) == {"seed-b"}
        verdict = check(recording.operations)
        assert verdict.linearizable, verdict.explain()


@pytest.mark.slow
def test_rolling_restart_under_load_loses_no_request():
    with LocalStack("redis") as stack, Load({"lb": stack.lb}, CLIENTS, 200_000, 90) as load:
        time.sleep(2.0)
        for part in ("seed-a", "seed-b"):
            old_pid = stack.pid(part)
            stack.kill_and_wait(part, signal.SIGTERM)
            time.sleep(HEALTH_CHECK_DOWN)
            stack.restart_missing()
            assert stack.pid(part) != old_pid, f"{part} was not restarted"
            time.sleep(HEALTH_CHECK_UP)
        recording = load.stop()
        total = len(recording.samples)
        failed = [s for s in recording.samples if s.outcome != 200]
        print(f"rolling restart: {len(failed)} of {total} requests failed: {recording.tally.failed}")
        assert total > 500, "too little load to prove anything"
        assert not failed, f"{len(failed)} requests failed: {recording.tally.failed}; " \
                           f"first: {failed[:3]}\n{stack.logs()}"
        assert _served_by(stack.lb, 10) == {"seed-a", "seed-b"}
        verdict = check(recording.operations)
        assert verdict.linearizable, verdict.explain()
