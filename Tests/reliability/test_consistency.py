"""Linearizability of the whole stack (Redis + seed-a + seed-b + HAProxy): concurrent keep-alive
clients send random GETs and unique POSTs to both targets and through the load balancer, and the
recorded history must be linearizable — also while Redis is killed and restarted. The same check
must FAIL on the deliberately broken stack (each instance keeps its own seed in memory)."""
import time

import pytest

from .history_recorder import Load, record_history
from .linearizability import check
from .local_stack import LocalStack

OPERATIONS = 20_000
# Failed reads are not recorded, so ask for more requests to keep 10 000 recorded operations.
OPERATIONS_WITH_OUTAGE = 16_000
CLIENTS = 8
MAX_SECONDS = 240  # a bound, not a speed target: the count is what must be reached


def _report(name, recording, verdict):
    t = recording.tally
    print(f"{name}: {len(recording.operations)} ops checked in {recording.duration:.1f} s "
          f"({t.reads_ok} reads, {t.writes_ok} writes ok, failures {t.failed or 0}); "
          f"linearizable: {verdict.linearizable}")


@pytest.mark.slow
def test_stack_is_linearizable_across_targets_and_load_balancer():
    with LocalStack("redis") as stack:
        targets = dict(stack.targets, lb=stack.lb)
        recording = record_history(targets, CLIENTS, OPERATIONS, MAX_SECONDS)
        verdict = check(recording.operations)
        _report("stack", recording, verdict)
        assert len(recording.operations) >= OPERATIONS, \
            f"only {len(recording.operations)} operations within {MAX_SECONDS} s"
        assert recording.tally.failures == 0, recording.tally.failed
        assert not recording.tally.wrong_echo, recording.tally.wrong_echo[:5]
        assert verdict.linearizable, verdict.explain()


@pytest.mark.slow
def test_broken_stack_with_memory_backend_fails_the_check():
    with LocalStack("memory") as stack:
        targets = dict(stack.targets, lb=stack.lb)
        recording = record_history(targets, 4, 2_000, 60)
        verdict = check(recording.operations)
        _report("memory stack", recording, verdict)
        assert len(recording.operations) >= 1_000
        assert not verdict.linearizable, \
            "two instances with separate memory passed the linearizability check: the check is blind"
        assert "NOT linearizable" in verdict.explain()


@pytest.mark.slow
def test_stack_stays_linearizable_while_redis_is_killed_and_restarted():
    with LocalStack("redis") as stack, \
            Load(dict(stack.targets, lb=stack.lb), CLIENTS, OPERATIONS_WITH_OUTAGE, MAX_SECONDS) as load:
        time.sleep(3.0)
        stack.kill_and_wait("redis")
        time.sleep(2.0)
        stack.restart_missing()  # the append-only file brings every acknowledged write back
        recording = load.finish()  # runs on until the operation count (or the time bound)
        verdict = check(recording.operations)
        _report("stack, Redis killed and restarted", recording, verdict)
        assert len(recording.operations) >= 10_000, \
            f"only {len(recording.operations)} operations within {MAX_SECONDS} s"
        failed_posts = sum(v for k, v in recording.tally.failed.items() if k.startswith("POST"))
        assert failed_posts > 0, "no write failed: Redis was not down while the load ran"
        assert recording.tally.writes_ok > 100 and recording.tally.reads_ok > 100
        assert not recording.tally.wrong_echo, recording.tally.wrong_echo[:5]
        assert verdict.linearizable, verdict.explain()
