"""The test kit's own promise: every fixture cleans up on every path — a start that times out, a
server that exits at start, an exception inside the `with` block — leaving no child process and
no temporary folder; and nothing exported in the runner's environment changes what a test starts.
"""
import os
import signal
import socket
import time

import pytest

from testkit import (RedisServer, SeedServer, StartFailed, children_of, free_port, has_exited,
                     http_request, post_seed)


class Planted(Exception):
    """What a test raises on purpose inside a fixture's block."""


@pytest.fixture
def no_leftovers():
    """Yields a list to put fixtures in; afterwards, none of their processes or folders remain,
    and this test process has no child it did not have before."""
    before = children_of(os.getpid())
    fixtures = []
    yield fixtures
    assert fixtures, "the test registered no fixture to check"
    for fixture in fixtures:
        assert fixture.proc is not None, f"{fixture} never started a process"
        assert has_exited(fixture.proc.pid), f"{type(fixture).__name__} pid {fixture.proc.pid} still runs"
        assert fixture._workdir is None, f"{type(fixture).__name__} kept its folder"
    assert children_of(os.getpid()) <= before, \
        f"child processes left behind: {children_of(os.getpid()) - before}"


def _refused(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_start_that_times_out_stops_the_process_and_removes_its_folder(no_leftovers):
    elsewhere = free_port()
    # The server listens on `elsewhere`, so waiting for its own port times out with it running.
    seed = SeedServer(extra_args=["--port", str(elsewhere)], start_timeout=3)
    no_leftovers.append(seed)
    folder = seed.workdir
    started = time.monotonic()
    with pytest.raises(StartFailed, match="did not listen") as failure:
        with seed:
            pytest.fail("the block ran although the start timed out")
    elapsed = time.monotonic() - started
    assert 3 <= elapsed <= 15, f"the start gave up after {elapsed:.1f} s, not about 3 s"
    assert f"127.0.0.1:{elsewhere}" in str(failure.value), "the failure should carry the log"
    assert not folder.exists()
    assert _refused(elsewhere), "the timed-out server still listens"


def test_a_server_that_exits_at_start_fails_at_once_and_leaves_nothing(no_leftovers):
    seed = SeedServer(extra_args=["--log-level", "no-such-level"])
    no_leftovers.append(seed)
    started = time.monotonic()
    with pytest.raises(StartFailed, match="exited with"):
        with seed:
            pytest.fail("the block ran although the server exited")
    elapsed = time.monotonic() - started
    assert elapsed <= 15, f"noticed the exit after {elapsed:.1f} s instead of at once"
    assert "no-such-level" in seed.log(), "the log should survive the cleanup"


def test_an_exception_inside_the_block_stops_everything(no_leftovers):
    folders = []
    with pytest.raises(Planted):
        with RedisServer() as redis, SeedServer("redis", redis.url) as seed:
            no_leftovers.extend([redis, seed])
            folders = [redis.workdir, seed.workdir]
            assert post_seed(seed.url, 5) == (200, "5")
            raise Planted()
    assert folders and not any(folder.exists() for folder in folders)


def test_a_failed_assert_inside_the_block_stops_everything(no_leftovers):
    with pytest.raises(AssertionError, match="planted"):
        with SeedServer() as seed:
            no_leftovers.append(seed)
            seed.signal(signal.SIGSTOP)  # even a frozen server is stopped
            assert False, "planted"


def test_starting_twice_is_refused_and_leaves_nothing(no_leftovers):
    # `with RedisServer().start() as redis` starts twice, as `with` starts it too.
    redis = RedisServer()
    no_leftovers.append(redis)
    with pytest.raises(RuntimeError, match="already running"):
        with redis.start():
            pytest.fail("the block ran although the fixture was started twice")
    assert _refused(redis.port), "the first redis-server still listens"


def test_close_keeps_the_log_and_is_safe_to_repeat(no_leftovers):
    seed = SeedServer()
    no_leftovers.append(seed)
    seed.start()
    seed.close()
    seed.close()
    assert "seed-server listening" in seed.log()


def test_the_runners_environment_does_not_reach_a_started_server(monkeypatch, no_leftovers):
    # Each of these, if it reached the child, would change what it does: another backend, a
    # Redis that is not there, another name, no log, a drain that holds the stop for an hour.
    for name, value in {"SEEDKEEPER_BACKEND": "redis", "SEEDKEEPER_PORT": "1", "PORT": "1",
                        "REDIS_URL": "redis://127.0.0.1:1/0", "REDIS_KEY": "elsewhere",
                        "REDIS_TIMEOUT_MS": "1", "INSTANCE_NAME": "from-the-runner",
                        "LOG_LEVEL": "critical", "SEEDKEEPER_DRAIN_SECONDS": "3600",
                        "SEEDKEEPER_HOST": "203.0.113.1"}.items():
        monkeypatch.setenv(name, value)
    with SeedServer(instance_name="seed-clean") as seed:
        no_leftovers.append(seed)
        assert post_seed(seed.url, 11) == (200, "11"), "the server did not use the memory backend"
        status, headers, body = http_request(seed.url)
        assert (status, body, headers.get("x-served-by")) == (200, b"11", "seed-clean")
        child_env = open(f"/proc/{seed.proc.pid}/environ", "rb").read().split(b"\0")
        leaked = [item for item in child_env
                  if item.split(b"=")[0] in (b"SEEDKEEPER_BACKEND", b"PORT", b"REDIS_URL",
                                             b"LOG_LEVEL", b"SEEDKEEPER_DRAIN_SECONDS")]
        assert leaked == [], f"the runner's settings reached the child: {leaked}"
        started = time.monotonic()
        assert seed.stop() == 0
        assert time.monotonic() - started < 5, "the stop waited for a drain nobody asked for"
    assert "seed-server listening" in seed.log(), "LOG_LEVEL=critical reached the server"


def test_the_local_stack_is_gone_after_an_exception_inside_its_block():
    from reliability.local_stack import LocalStack
    stack = LocalStack("memory")
    pids = {}
    with pytest.raises(Planted):
        with stack:
            pids = stack.recorded_pids()
            raise Planted()
    assert set(pids) == set(LocalStack.PARTS), pids
    running = [part for part, pid in pids.items() if not has_exited(pid)]
    assert running == [], f"still running after the block raised: {running}"
    assert not stack.dir.exists(), "the stack's folder was left behind"
    assert all(_refused(port) for port in stack.ports.values())


def test_the_local_stack_is_gone_after_a_failed_up():
    from reliability.local_stack import LocalStack
    stack = LocalStack("memory")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", stack.ports["seed-b"]))
        squatter.listen()
        with pytest.raises(RuntimeError, match="failed"):
            with stack:
                pytest.fail("the block ran although `up` failed")
    assert not stack.dir.exists(), "the stack's folder was left behind"
    assert all(_refused(port) for port in stack.ports.values())
